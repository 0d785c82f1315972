package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.PickListener;
import dev.osprey.epp.scheduling.framework.Scorer;
import dev.osprey.epp.state.EndpointSnapshot;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Upstream's affinity scorers (LoRA, prefix cache) and a header-keyed session-affinity scorer. */
public final class AffinityScorers {

    private AffinityScorers() {
    }

    /** The adapter a request needs: its LoRA adapter, else (as upstream) its target model. */
    static String adapterOf(CycleState cycle) {
        String a = cycle.request().loraAdapter();
        return a.isEmpty() ? cycle.request().targetModel() : a;
    }

    /**
     * {@code lora-affinity-scorer}: adapter running → 1.0; else active + waiting adapters &lt; max slots → 0.8;
     * else adapter waiting → 0.6; else 0.
     */
    public static Scorer lora(String name) {
        return new BaseScorer("lora-affinity-scorer", name) {
            @Override
            public void score(CycleState cycle, CandidateSet set, double[] out) {
                String adapter = adapterOf(cycle);
                for (int i = 0; i < set.size(); i++) {
                    out[i] = loraScore(set.get(i), adapter);
                }
            }
        };
    }

    static double loraScore(EndpointSnapshot e, String adapter) {
        if (e.runningAdapters().contains(adapter)) {
            return 1.0;
        }
        if (e.runningAdapters().size() + e.waitingAdapters().size() < e.maxLoraSlots()) {
            return 0.8;
        }
        return e.waitingAdapters().contains(adapter) ? 0.6 : 0.0;
    }

    /**
     * {@code prefix-cache-scorer}: leading prefix blocks the endpoint holds (per this EPP's index) over the
     * request's blocks; 0 when the prompt is shorter than one block.
     */
    public static Scorer prefix(String name) {
        return new BaseScorer("prefix-cache-scorer", name) {
            @Override
            public void score(CycleState cycle, CandidateSet set, double[] out) {
                for (int i = 0; i < set.size(); i++) {
                    out[i] = cycle.prefixMatchFraction(set.snapshotIndex(i));
                }
            }

            @Override
            public String explain(CycleState cycle, CandidateSet set, int i) {
                return "prefix " + cycle.prefixMatchedBlocks(set.snapshotIndex(i)) + "/" + cycle.prefixHashCount()
                        + " blocks";
            }
        };
    }

    /**
     * {@code session-affinity-scorer}: 1.0 for the endpoint that served the last request carrying the same value
     * of header {@code headerName}, 0 for the others (and for requests without the header). Remembers at most
     * {@code maxSessions} sessions (LRU).
     */
    public static final class SessionAffinity extends BaseScorer implements PickListener {
        private final String header;
        private final Map<String, String> sessions;

        public SessionAffinity(String name, String headerName, int maxSessions) {
            super("session-affinity-scorer", name);
            this.header = Objects.requireNonNull(headerName, "headerName").toLowerCase(java.util.Locale.ROOT);
            if (maxSessions < 1) {
                throw new IllegalArgumentException("maxSessions must be positive, got " + maxSessions);
            }
            this.sessions = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > maxSessions;
                }
            });
        }

        @Override
        public void score(CycleState cycle, CandidateSet set, double[] out) {
            String session = cycle.request().headers().get(header);
            String endpoint = session == null ? null : sessions.get(session);
            for (int i = 0; i < set.size(); i++) {
                out[i] = endpoint != null && endpoint.equals(set.get(i).endpointId()) ? 1.0 : 0.0;
            }
        }

        @Override
        public void picked(CycleState cycle, EndpointSnapshot primary) {
            String session = cycle.request().headers().get(header);
            if (session != null) {
                sessions.put(session, primary.endpointId());
            }
        }
    }
}
