package dev.osprey.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    @Test
    void theDocumentedConfigurationTableMatchesTheDefinitions() throws IOException {
        Path docs = Path.of("..", "docs", "aggregator.md");
        assertThat(docs).as("regenerate with ConfigDocs.main").exists();
        assertThat(Files.readString(docs)).contains(ConfigDocs.markdownTable());
    }

    @Test
    void everyKeyHasOneRow() {
        assertThat(ConfigDocs.markdownTable().lines().filter(l -> l.startsWith("| `osprey.aggregator.")))
                .hasSameSizeAs(AggregatorConfig.definitions());
    }
}
