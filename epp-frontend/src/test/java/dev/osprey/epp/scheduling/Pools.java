package dev.osprey.epp.scheduling;

import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Test helpers: snapshots, single-plugin configs and reading scores out of explanations. */
final class Pools {

    static final long NOW = 1_000_000;

    private Pools() {
    }

    static EndpointSnapshot ep(String id, int waiting, int running, double kv) {
        return EndpointSnapshot.of(id, "10.0.0." + Math.abs(id.hashCode() % 250), 8000, waiting, running, kv, NOW);
    }

    static EndpointSnapshot lora(String id, List<String> running, List<String> waiting, int slots) {
        return new EndpointSnapshot(id, "10.0.1." + Math.abs(id.hashCode() % 250), 8000, 0, 0, 0,
                EndpointHealth.HEALTHY, NOW, 0, running, waiting, slots);
    }

    static PoolSnapshot pool(EndpointSnapshot... eps) {
        return new PoolSnapshot("local/default/pool", 1, NOW, List.of(eps));
    }

    /** A config with the given plugin types in one profile (weight 1 each). */
    static String config(String... types) {
        StringBuilder sb = new StringBuilder("apiVersion: inference.networking.x-k8s.io/v1alpha1\n"
                + "kind: EndpointPickerConfig\nplugins:\n");
        for (String t : types) {
            sb.append("- type: ").append(t).append('\n');
        }
        return sb.toString();
    }

    static SchedulingRequest request(String id) {
        return SchedulingRequest.builder(id, "model-a").build();
    }

    static PickResult.Picked picked(PickResult r) {
        if (!(r instanceof PickResult.Picked p)) {
            throw new AssertionError("expected a pick, got " + r);
        }
        return p;
    }

    /** The named plugin's score per endpoint id, from the explanation (pools of ≤ 8 endpoints). */
    static Map<String, Double> scores(PickResult r, String plugin) {
        return picked(r).explanation().endpoints().stream()
                .collect(Collectors.toMap(Explanation.EndpointScores::endpointId, e -> e.byPlugin().get(plugin)));
    }

    static EndpointPicker seeded(String yaml) {
        return SchedulerFactory.fromConfig(yaml, SchedulerOptions.defaults().withSeed(7).withExplanations(true));
    }
}
