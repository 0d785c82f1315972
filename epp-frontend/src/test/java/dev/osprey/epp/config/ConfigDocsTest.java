package dev.osprey.epp.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.epp.EppConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    @Test
    void docsListEveryKeyExactlyAsDefined() throws IOException {
        Path docs = Path.of("..", "docs", "epp.md");
        String table = ConfigDocs.markdownTable(EppConfig.definitions());
        assertThat(Files.readString(docs, StandardCharsets.UTF_8))
                .as("docs/epp.md must contain the table generated from EppConfig.definitions()")
                .contains(table);
    }

    @Test
    void tableEscapesPipes() {
        assertThat(ConfigDocs.markdownTable(java.util.List.of(new ConfigDefinition("k", "", "a|b"))))
                .contains("| `k` | (empty) | a\\|b |");
    }
}
