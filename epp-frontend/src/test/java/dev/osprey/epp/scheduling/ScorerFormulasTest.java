package dev.osprey.epp.scheduling;

import static dev.osprey.epp.scheduling.Pools.NOW;
import static dev.osprey.epp.scheduling.Pools.config;
import static dev.osprey.epp.scheduling.Pools.ep;
import static dev.osprey.epp.scheduling.Pools.lora;
import static dev.osprey.epp.scheduling.Pools.pool;
import static dev.osprey.epp.scheduling.Pools.request;
import static dev.osprey.epp.scheduling.Pools.scores;
import static dev.osprey.epp.scheduling.Pools.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorerFormulasTest {

    @Test
    void queueScorerIsMinMaxNormalizedWaiting() {
        Map<String, Double> s = scores(seeded(config("queue-scorer")).pick(
                pool(ep("a", 0, 9, 0.9), ep("b", 5, 0, 0), ep("c", 10, 0, 0)), request("r"), NOW), "queue-scorer");
        assertThat(s).containsEntry("a", 1.0).containsEntry("b", 0.5).containsEntry("c", 0.0);
    }

    @Test
    void minMaxScorersGiveOneWhenAllEqual() {
        Map<String, Double> s = scores(seeded(config("queue-scorer")).pick(
                pool(ep("a", 3, 0, 0), ep("b", 3, 1, 0)), request("r"), NOW), "queue-scorer");
        assertThat(s.values()).containsOnly(1.0);
    }

    @Test
    void runningRequestsScorerUsesRunning() {
        Map<String, Double> s = scores(seeded(config("running-requests-size-scorer")).pick(
                pool(ep("a", 9, 2, 0), ep("b", 0, 6, 0), ep("c", 0, 4, 0)), request("r"), NOW),
                "running-requests-size-scorer");
        assertThat(s).containsEntry("a", 1.0).containsEntry("b", 0.0).containsEntry("c", 0.5);
    }

    @Test
    void kvCacheScorerIsOneMinusUtilization() {
        Map<String, Double> s = scores(seeded(config("kv-cache-utilization-scorer")).pick(
                pool(ep("a", 0, 0, 0.25), ep("b", 0, 0, 1.0)), request("r"), NOW), "kv-cache-utilization-scorer");
        assertThat(s.get("a")).isCloseTo(0.75, within(1e-9));
        assertThat(s.get("b")).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void loraAffinityScorerFollowsUpstreamLadder() {
        EndpointPicker p = seeded(config("lora-affinity-scorer"));
        SchedulingRequest r = SchedulingRequest.builder("r", "base").loraAdapter("sql").build();
        Map<String, Double> s = scores(p.pick(pool(
                lora("running", List.of("sql"), List.of(), 2),
                lora("free-slot", List.of("x"), List.of(), 2),
                lora("waiting", List.of("x"), List.of("sql"), 2),
                lora("full", List.of("x", "y"), List.of(), 2)), r, NOW), "lora-affinity-scorer");
        assertThat(s).containsEntry("running", 1.0).containsEntry("free-slot", 0.8)
                .containsEntry("waiting", 0.6).containsEntry("full", 0.0);
    }

    @Test
    void tokenLoadScorerCountsInflightPromptTokensTimesTwoAndAHalf() {
        EndpointPicker p = seeded("""
                apiVersion: inference.networking.x-k8s.io/v1alpha1
                kind: EndpointPickerConfig
                plugins:
                - type: token-load-scorer
                  parameters:
                    queueThresholdTokens: 1000
                - type: header-based-testing-filter
                """);
        var snapshot = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0));
        String addressA = snapshot.endpoints().get(0).address();
        // send a 200-token request to a: 500 token-load units of 1000
        p.pick(snapshot, SchedulingRequest.builder("first", "m").promptTokens(200)
                .headers(Map.of("test-epp-endpoint-selection", addressA)).build(), NOW);
        Map<String, Double> s = scores(p.pick(snapshot, request("second"), NOW), "token-load-scorer");
        assertThat(s.get("a")).isCloseTo(0.5, within(1e-9));
        assertThat(s.get("b")).isEqualTo(1.0);
        p.completed("first", NOW);
        assertThat(scores(p.pick(snapshot, request("third"), NOW), "token-load-scorer").values())
                .allMatch(v -> v > 0.99);
    }

    @Test
    void sessionAffinityScorerSticksToTheLastEndpointOfTheSession() {
        EndpointPicker p = seeded(config("session-affinity-scorer"));
        var snapshot = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0), ep("c", 0, 0, 0));
        Map<String, String> h = Map.of("x-session-token", "s1");
        String first = Pools.picked(p.pick(snapshot, SchedulingRequest.builder("1", "m").headers(h).build(), NOW))
                .primary().endpointId();
        for (int i = 0; i < 20; i++) {
            PickResult r = p.pick(snapshot, SchedulingRequest.builder("n" + i, "m").headers(h).build(), NOW);
            assertThat(Pools.picked(r).primary().endpointId()).isEqualTo(first);
            assertThat(scores(r, "session-affinity-scorer")).containsEntry(first, 1.0);
        }
        assertThat(scores(p.pick(snapshot, request("no-session"), NOW), "session-affinity-scorer").values())
                .containsOnly(0.0);
    }

    @Test
    void weightsMultiplyClampedScores() {
        EndpointPicker p = seeded("""
                apiVersion: inference.networking.x-k8s.io/v1alpha1
                kind: EndpointPickerConfig
                plugins:
                - type: queue-scorer
                - type: kv-cache-utilization-scorer
                schedulingProfiles:
                - name: p
                  plugins:
                  - pluginRef: queue-scorer
                    weight: 2
                  - pluginRef: kv-cache-utilization-scorer
                    weight: 3
                """);
        PickResult.Picked r = Pools.picked(p.pick(pool(ep("a", 0, 0, 0.5), ep("b", 4, 0, 0.0)), request("r"), NOW));
        assertThat(r.loads().get("a")).isCloseTo(2 * 1.0 + 3 * 0.5, within(1e-9));
        assertThat(r.loads().get("b")).isCloseTo(2 * 0.0 + 3 * 1.0, within(1e-9));
        assertThat(r.primary().endpointId()).isEqualTo("a");
    }
}
