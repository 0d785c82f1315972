package dev.osprey.epp.scheduling.plugins;

import dev.osprey.api.Criticality;
import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.Filter;
import dev.osprey.epp.state.EndpointSnapshot;
import java.util.function.ToDoubleFunction;

/**
 * {@code decision-tree-filter}: upstream's legacy (v0.3–v0.5) criticality decision tree, pair it with
 * {@code random-picker}.
 * <ul>
 * <li>Critical: "low queueing" ({@code waiting < queueingThresholdLoRA}, 128); if some pass → LoRA soft affinity
 * → least queue → least KV; else → least queue → LoRA soft affinity → least KV.</li>
 * <li>Standard or Sheddable: "has capacity" ({@code waiting ≤ queueThresholdCritical} (5) and
 * {@code kv ≤ kvCacheThreshold} (0.8)); if some pass → least queue → LoRA → least KV; else the request is
 * dropped (429).</li>
 * </ul>
 * Least queue keeps {@code q ≤ min + (max − min)/N}; least KV the same on KV utilization. LoRA soft affinity: the
 * endpoints with the adapter running or waiting form the affinity set, those with a free slot the available set;
 * with both non-empty the affinity set is chosen with probability {@code loraAffinityThreshold} (0.999). A step
 * that would keep nothing passes its input on unchanged. Immutable.
 */
public final class DecisionTreeFilter extends Named implements Filter {

    private final double kvThreshold;
    private final int queueCritical;
    private final int queueLora;
    private final double loraAffinity;

    public DecisionTreeFilter(String name, double kvThreshold, int queueCritical, int queueLora,
            double loraAffinity) {
        super("decision-tree-filter", name);
        this.kvThreshold = kvThreshold;
        this.queueCritical = queueCritical;
        this.queueLora = queueLora;
        this.loraAffinity = loraAffinity;
    }

    /** Upstream constants: KV 0.8, queue 5, LoRA queueing 128, affinity 0.999. */
    public static DecisionTreeFilter defaults(String name) {
        return new DecisionTreeFilter(name, 0.8, 5, 128, 0.999);
    }

    @Override
    public void filter(CycleState cycle, CandidateSet set) {
        if (cycle.request().criticality() == Criticality.CRITICAL) {
            if (keepIf(cycle, set, e -> e.waitingRequests() < queueLora)) {
                lora(cycle, set);
                least(cycle, set, EndpointSnapshot::waitingRequests);
            } else {
                least(cycle, set, EndpointSnapshot::waitingRequests);
                lora(cycle, set);
            }
        } else {
            if (!keepIf(cycle, set, e -> e.waitingRequests() <= queueCritical
                    && e.kvCacheUtilization() <= kvThreshold)) {
                cycle.shed("no endpoint has capacity for a non-critical request (queue <= " + queueCritical
                        + ", kv <= " + kvThreshold + ")");
                return;
            }
            least(cycle, set, EndpointSnapshot::waitingRequests);
            lora(cycle, set);
        }
        least(cycle, set, EndpointSnapshot::kvCacheUtilization);
    }

    /** Keeps the matching endpoints if there is any; returns whether there was. */
    private static boolean keepIf(CycleState cycle, CandidateSet set, java.util.function.Predicate<EndpointSnapshot> p) {
        boolean[] keep = cycle.flags(set.size());
        boolean any = false;
        for (int i = 0; i < set.size(); i++) {
            keep[i] = p.test(set.get(i));
            any |= keep[i];
        }
        if (any) {
            set.retain(keep);
        }
        return any;
    }

    private static void least(CycleState cycle, CandidateSet set, ToDoubleFunction<EndpointSnapshot> metric) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < set.size(); i++) {
            double v = metric.applyAsDouble(set.get(i));
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double limit = min + (max - min) / set.size();
        keepIf(cycle, set, e -> metric.applyAsDouble(e) <= limit);
    }

    private void lora(CycleState cycle, CandidateSet set) {
        String adapter = AffinityScorers.adapterOf(cycle);
        boolean[] affinity = new boolean[set.size()];
        boolean[] available = new boolean[set.size()];
        boolean anyAffinity = false;
        boolean anyAvailable = false;
        for (int i = 0; i < set.size(); i++) {
            EndpointSnapshot e = set.get(i);
            affinity[i] = e.runningAdapters().contains(adapter) || e.waitingAdapters().contains(adapter);
            available[i] = e.runningAdapters().size() + e.waitingAdapters().size() < e.maxLoraSlots();
            anyAffinity |= affinity[i];
            anyAvailable |= available[i];
        }
        if (anyAffinity && anyAvailable) {
            set.retain(cycle.random().nextDouble() < loraAffinity ? affinity : available);
        } else if (anyAffinity) {
            set.retain(affinity);
        } else if (anyAvailable) {
            set.retain(available);
        }
    }
}
