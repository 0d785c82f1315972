package dev.osprey.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

    private static final List<String> KEYS = List.of("osprey.x.scrape.interval", "osprey.x.max-loras");

    @Test
    void prefixedVariablesNameKeysAndOthersAreIgnored() {
        assertThat(ConfigSources.variable("osprey.x.max-loras")).isEqualTo("OSPREY_X_MAX_LORAS");
        assertThat(ConfigSources.environment("OSPREY_X_", KEYS, Map.of("OSPREY_X_MAX_LORAS", "3",
                "OSPREY_X_SCRAPE_INTERVAL", "50ms", "PATH", "/bin", "OSPREY_Y_OTHER", "1")))
                .containsExactly(Map.entry("osprey.x.max-loras", "3"), Map.entry("osprey.x.scrape.interval", "50ms"));
    }

    @Test
    void aPrefixedVariableThatNamesNoKeyFailsNamingIt() {
        assertThatThrownBy(() -> ConfigSources.environment("OSPREY_X_", KEYS, Map.of("OSPREY_X_SCRAPE_INTERVL", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("OSPREY_X_SCRAPE_INTERVL")
                .hasMessageContaining("OSPREY_X_SCRAPE_INTERVAL");
    }

    @Test
    void propertiesFileIsReadAndAMissingOneIsNamed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("x.properties"), "osprey.x.max-loras=4\n# comment\n");
        assertThat(ConfigSources.propertiesFile(file)).containsExactly(Map.entry("osprey.x.max-loras", "4"));
        Path missing = dir.resolve("absent.properties");
        assertThatThrownBy(() -> ConfigSources.propertiesFile(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--config " + missing);
    }
}
