package dev.osprey.bench.live;

import dev.osprey.api.Criticality;
import dev.osprey.bench.sim.SimRequest;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The model names live requests carry and the resource file that makes the EPP see each request's criticality.
 * Standard requests name their target (the base model or their LoRA adapter) directly; a Critical or Sheddable one
 * names an alias {@code <target>--critical} / {@code <target>--sheddable}, an InferenceModel of that criticality
 * whose only target model is the real one, so the EPP resolves the criticality and rewrites the model name before
 * the simulator sees it.
 */
final class LiveModels {

    /** The base model every simulator serves (as in the simulation). */
    static final String BASE_MODEL = "meta-llama/Llama-3.1-8B-Instruct";
    static final String POOL_NAMESPACE = "bench";
    static final String POOL_NAME = "live-pool";
    /** Pod label the pool selects. */
    static final String APP_LABEL = "osprey-live-sim";

    private LiveModels() {
    }

    /** The model name a request sends. */
    static String modelFor(SimRequest r) {
        String target = target(r);
        return r.criticality() == Criticality.STANDARD ? target : alias(target, r.criticality());
    }

    private static String target(SimRequest r) {
        return r.adapter() == null ? BASE_MODEL : r.adapter();
    }

    private static String alias(String target, Criticality c) {
        return target + "--" + c.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The resource YAML for a live pipeline: the pool (selecting the simulators the all-in-one adds, on
     * {@code port}), the base model as Standard, and one alias InferenceModel per (target, non-Standard criticality)
     * that {@code requests} use.
     */
    static String resourcesYaml(int port, Iterable<SimRequest> requests) {
        StringBuilder sb = new StringBuilder();
        sb.append("""
                apiVersion: inference.networking.k8s.io/v1
                kind: InferencePool
                metadata: {name: %s, namespace: %s}
                spec:
                  selector: {matchLabels: {app: %s}}
                  targetPorts: [{number: %d}]
                  endpointPickerRef: {name: osprey-epp, port: {number: 9002}, failureMode: FailClose}
                ---
                apiVersion: inference.networking.x-k8s.io/v1alpha2
                kind: InferenceModel
                metadata: {name: base, namespace: %s}
                spec: {modelName: %s, criticality: Standard, poolRef: {name: %s}}
                """.formatted(POOL_NAME, POOL_NAMESPACE, APP_LABEL, port, POOL_NAMESPACE, BASE_MODEL, POOL_NAME));
        Set<String> aliases = new TreeSet<>();
        for (SimRequest r : requests) {
            if (r.criticality() != Criticality.STANDARD) {
                aliases.add(target(r) + "\t" + r.criticality().name());
            }
        }
        int n = 0;
        for (String a : aliases) {
            String[] parts = a.split("\t");
            Criticality c = Criticality.valueOf(parts[1]);
            sb.append("""
                    ---
                    apiVersion: inference.networking.x-k8s.io/v1alpha2
                    kind: InferenceModel
                    metadata: {name: alias-%d, namespace: %s}
                    spec:
                      modelName: %s
                      criticality: %s
                      poolRef: {name: %s}
                      targetModels: [{name: %s, weight: 1}]
                    """.formatted(n++, POOL_NAMESPACE, alias(parts[0], c), yamlCriticality(c), POOL_NAME, parts[0]));
        }
        return sb.toString();
    }

    private static String yamlCriticality(Criticality c) {
        String lower = c.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
