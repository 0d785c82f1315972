package dev.osprey.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigReferenceTest {

    @Test
    void tableHasOneRowPerKey() {
        String table = ConfigReference.markdown(CollectorConfig.definitions());

        assertThat(table.lines()).hasSize(2 + CollectorConfig.definitions().size());
        assertThat(table).contains("| `" + CollectorConfig.SCRAPE_INTERVAL + "` | `50ms` |");
    }

    @Test
    void theDocsContainTheGeneratedTable() throws IOException {
        Path docs = Path.of("..", "docs", "collector.md");

        assertThat(docs).as("docs/collector.md; regenerate its table with dev.osprey.collector.ConfigReference")
                .exists();
        assertThat(Files.readString(docs, StandardCharsets.UTF_8))
                .as("docs/collector.md is out of date; regenerate its table with dev.osprey.collector.ConfigReference")
                .contains(ConfigReference.markdown(CollectorConfig.definitions()));
    }
}
