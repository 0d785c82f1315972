package dev.osprey.aggregator.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LaunchArgumentsTest {

    @Test
    void defaultsToNoFileAndTheOperationsPort() {
        assertThat(LaunchArguments.parse()).isEqualTo(new LaunchArguments(Optional.empty(),
                LaunchArguments.DEFAULT_OPERATIONS_PORT));
    }

    @Test
    void readsBothFlags() {
        assertThat(LaunchArguments.parse("--config", "a.properties", "--metrics-port", "-1"))
                .isEqualTo(new LaunchArguments(Optional.of(Path.of("a.properties")), -1));
    }

    @Test
    void rejectsUnknownFlagsMissingValuesAndBadPorts() {
        assertThatThrownBy(() -> LaunchArguments.parse("--resources", "x")).hasMessageStartingWith(
                "unknown argument --resources");
        assertThatThrownBy(() -> LaunchArguments.parse("--config")).hasMessageStartingWith("--config: missing value");
        assertThatThrownBy(() -> LaunchArguments.parse("--metrics-port", "http")).hasMessageStartingWith(
                "--metrics-port: not a number");
        assertThatThrownBy(() -> LaunchArguments.parse("--metrics-port", "70000")).hasMessageStartingWith(
                "--metrics-port: must be");
    }
}
