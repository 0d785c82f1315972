package dev.osprey.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every scenario shipped in bench/scenarios loads, validates and names only strategies the bench can build. */
class ShippedScenariosTest {

    @Test
    void everyShippedScenarioIsValid() throws IOException {
        Path dir = Path.of("scenarios");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("active-active.yaml",
                "multi-lora.yaml", "overload-criticality.yaml", "shared-prefix.yaml", "sharegpt-like.yaml",
                "stale-metrics.yaml");
        for (Path file : files) {
            Scenario s = ScenarioLoader.load(file);
            for (Scenario.StrategySpec spec : s.strategies()) {
                assertThatCode(() -> Strategies.factory(spec, dir)).as(file + ": " + spec.label())
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void activeActiveRunsOspreysDefaultWithAndWithoutSharedState() throws IOException {
        Scenario s = ScenarioLoader.load(Path.of("scenarios/active-active.yaml"));

        assertThat(s.pipeline().eppReplicas()).containsExactly(1, 2, 4);
        assertThat(s.strategies()).extracting(Scenario.StrategySpec::label)
                .contains("osprey-default", Strategies.OSPREY_UNSHARED, "upstream-default");
    }
}
