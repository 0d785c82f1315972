package dev.osprey.epp.scheduling;

import static dev.osprey.epp.scheduling.Pools.NOW;
import static dev.osprey.epp.scheduling.Pools.ep;
import static dev.osprey.epp.scheduling.Pools.picked;
import static dev.osprey.epp.scheduling.Pools.pool;
import static dev.osprey.epp.scheduling.Pools.request;
import static dev.osprey.epp.scheduling.Pools.seeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.api.Criticality;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DetectorsAndFiltersTest {

    private static final String HEAD = "apiVersion: inference.networking.x-k8s.io/v1alpha1\n"
            + "kind: EndpointPickerConfig\n";

    private static Set<String> picks(EndpointPicker p, PoolSnapshot s, int n) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < n; i++) {
            out.add(picked(p.pick(s, request("r" + i), NOW)).primary().endpointId());
            p.completed("r" + i, NOW);
        }
        return out;
    }

    @Test
    void utilizationDetectorIsNoFilterUnlessAProfileListsIt() {
        EndpointPicker p = seeded(HEAD + "plugins:\n- type: utilization-detector\n- type: random-picker\n");
        assertThat(picks(p, pool(ep("q", 5, 0, 0), ep("ok", 0, 0, 0)), 40)).containsExactlyInAnyOrder("q", "ok");
    }

    @Test
    void utilizationDetectorAsFilterKeepsEndpointsBelowThresholdsOrAllWhenNoneIs() {
        EndpointPicker p = seeded(HEAD + """
                plugins:
                - type: utilization-detector
                - type: random-picker
                schedulingProfiles:
                - name: default
                  plugins:
                  - pluginRef: utilization-detector
                  - pluginRef: random-picker
                """);
        assertThat(picks(p, pool(ep("q", 5, 0, 0), ep("ok", 4, 0, 0.79), ep("kv", 0, 0, 0.8)), 40))
                .containsExactly("ok");
        assertThat(picks(p, pool(ep("q", 5, 0, 0), ep("kv", 0, 0, 0.8)), 40)).containsExactlyInAnyOrder("q", "kv");
    }

    @Test
    void utilizationDetectorHeadroomWidensTheFilter() {
        EndpointPicker p = seeded(HEAD + """
                plugins:
                - type: utilization-detector
                  parameters:
                    headroom: 0.5
                - type: random-picker
                schedulingProfiles:
                - name: default
                  plugins:
                  - pluginRef: utilization-detector
                  - pluginRef: random-picker
                """);
        assertThat(picks(p, pool(ep("q7", 7, 0, 0), ep("q8", 8, 0, 0)), 40)).containsExactly("q7");
    }

    @Test
    void concurrencyDetectorShedsSheddableRequestsAtCapacity() {
        EndpointPicker p = seeded(HEAD + """
                plugins:
                - type: concurrency-detector
                  parameters:
                    maxConcurrency: 2
                - type: max-score-picker
                schedulingProfiles:
                - name: default
                  plugins:
                  - pluginRef: max-score-picker
                saturationDetector:
                  pluginRef: concurrency-detector
                """);
        PoolSnapshot s = pool(ep("a", 50, 0, 0.99));
        SchedulingRequest sheddable = SchedulingRequest.builder("s", "m").criticality(Criticality.SHEDDABLE).build();
        assertThat(p.pick(s, sheddable, NOW)).as("in-flight 0 of 2").isInstanceOf(PickResult.Picked.class);
        p.pick(s, request("r1"), NOW);
        assertThat(p.pick(s, SchedulingRequest.builder("s2", "m").criticality(Criticality.SHEDDABLE).build(), NOW))
                .as("in-flight 2 of 2").isInstanceOf(PickResult.Shed.class);
        assertThat(p.pick(s, request("r2"), NOW)).as("standard is never shed").isInstanceOf(PickResult.Picked.class);
        p.completed("s", NOW);
        p.completed("r1", NOW);
        p.completed("r2", NOW);
        assertThat(p.pick(s, SchedulingRequest.builder("s3", "m").criticality(Criticality.SHEDDABLE).build(), NOW))
                .isInstanceOf(PickResult.Picked.class);
    }

    private static EndpointPicker sticky(int penaltyMs) {
        return seeded(HEAD + """
                plugins:
                - type: prefix-cache-affinity-filter
                  parameters:
                    explorationProbability: 0
                    maxTTFTPenaltyMs: %d
                - type: queue-scorer
                - type: max-score-picker
                schedulingProfiles:
                - name: default
                  plugins:
                  - pluginRef: prefix-cache-affinity-filter
                  - pluginRef: queue-scorer
                  - pluginRef: max-score-picker
                """.formatted(penaltyMs));
    }

    @Test
    void prefixAffinityFilterDropsStickinessWhenTheWarmEndpointIsTooSlow() {
        String prompt = "shared system prompt, long enough for many blocks. ".repeat(40);
        for (int penalty : new int[] {0, 5000}) {
            EndpointPicker p = sticky(penalty);
            PoolSnapshot idle = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0));
            String warm = picked(p.pick(idle, SchedulingRequest.builder("w", "m").prompt(prompt).build(), NOW))
                    .primary().endpointId();
            p.completed("w", NOW);
            String cold = warm.equals("a") ? "b" : "a";
            // warm has 20 queued requests: ~1 s of estimated extra wait, more than 0 ms, less than 5000 ms
            PoolSnapshot busy = pool(ep(warm, 20, 0, 0), ep(cold, 0, 0, 0));
            String chosen = picked(p.pick(busy, SchedulingRequest.builder("x", "m").prompt(prompt).build(), NOW))
                    .primary().endpointId();
            assertThat(chosen).as("penalty %d ms", penalty).isEqualTo(penalty == 0 ? cold : warm);
        }
    }
}
