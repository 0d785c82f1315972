package dev.osprey.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ConfigurationReferenceTest {

    @Test
    void docsConfigurationMatchesTheDefinitionsInTheCode() throws Exception {
        String onDisk = Files.readString(Path.of("..", "docs", "configuration.md"));

        assertThat(onDisk).as("docs/configuration.md is generated; regenerate it with "
                + "java -cp all-in-one/target/osprey-all-in-one.jar dev.osprey.allinone.ConfigurationReference "
                + "docs/configuration.md").isEqualTo(ConfigurationReference.markdown());
    }
}
