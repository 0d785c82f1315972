package dev.osprey.epp.scheduling.framework;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this EPP itself sent to each endpoint: recent dispatches (time and uncached prompt tokens, kept for the
 * retention so "dispatched since that endpoint's last scrape" can be counted) and requests still in flight
 * (picked and not yet reported complete; forgotten after the in-flight expiry if completion never comes).
 * Thread-safe.
 */
public final class LocalLoad {

    private static final int SWEEP_EVERY = 4096;

    private final long retentionMs;
    private final long inflightExpiryMs;
    private final Map<String, EndpointLoad> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private final AtomicLong dispatches = new AtomicLong();

    /**
     * @param retentionMs how long a dispatch counts toward "dispatched since scrape"
     * @param inflightExpiryMs after how long an in-flight request without a completion report is forgotten
     */
    public LocalLoad(long retentionMs, long inflightExpiryMs) {
        if (retentionMs <= 0 || inflightExpiryMs <= 0) {
            throw new IllegalArgumentException("retention and expiry must be positive");
        }
        this.retentionMs = retentionMs;
        this.inflightExpiryMs = inflightExpiryMs;
    }

    /** The tracker of one endpoint, created on first use. */
    public EndpointLoad endpoint(String endpointId) {
        return endpoints.computeIfAbsent(endpointId, k -> new EndpointLoad(retentionMs));
    }

    /** Records a dispatch of {@code requestId} ({@code tokens} prompt tokens, {@code uncached} of them not cached). */
    public void dispatched(String requestId, EndpointLoad endpoint, long nowMs, int tokens, int uncached) {
        endpoint.record(nowMs, tokens, uncached);
        Active previous = active.put(requestId, new Active(endpoint, tokens, uncached, nowMs));
        if (previous != null) {
            previous.endpoint.finish(previous.tokens, previous.uncached);
        }
        if (dispatches.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(nowMs);
        }
    }

    /** Marks {@code requestId} finished; unknown ids are ignored. */
    public void completed(String requestId) {
        Active a = active.remove(requestId);
        if (a != null) {
            a.endpoint.finish(a.tokens, a.uncached);
        }
    }

    private void sweep(long nowMs) {
        Iterator<Map.Entry<String, Active>> it = active.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Active> e = it.next();
            if (nowMs - e.getValue().sinceMs > inflightExpiryMs && active.remove(e.getKey(), e.getValue())) {
                e.getValue().endpoint.finish(e.getValue().tokens, e.getValue().uncached);
            }
        }
    }

    private record Active(EndpointLoad endpoint, int tokens, int uncached, long sinceMs) {
    }

    /** One endpoint's local counters. Thread-safe. */
    public static final class EndpointLoad {
        private final long retentionMs;
        private long[] times = new long[16];
        private int[] uncached = new int[16];
        private int head;
        private int count;
        private int inflight;
        private long inflightTokens;
        private long inflightUncached;

        EndpointLoad(long retentionMs) {
            this.retentionMs = retentionMs;
        }

        synchronized void record(long nowMs, int tokens, int uncachedTokens) {
            while (count > 0 && times[head] < nowMs - retentionMs) {
                head = (head + 1) % times.length;
                count--;
            }
            if (count == times.length) {
                long[] t = new long[count * 2];
                int[] u = new int[count * 2];
                for (int i = 0; i < count; i++) {
                    t[i] = times[(head + i) % times.length];
                    u[i] = uncached[(head + i) % times.length];
                }
                times = t;
                uncached = u;
                head = 0;
            }
            int at = (head + count) % times.length;
            times[at] = nowMs;
            uncached[at] = uncachedTokens;
            count++;
            inflight++;
            inflightTokens += tokens;
            inflightUncached += uncachedTokens;
        }

        synchronized void finish(int tokens, int uncachedTokens) {
            inflight = Math.max(0, inflight - 1);
            inflightTokens = Math.max(0, inflightTokens - tokens);
            inflightUncached = Math.max(0, inflightUncached - uncachedTokens);
        }

        /** Dispatches strictly after {@code sinceMs} and within the retention. */
        public synchronized int dispatchedSince(long sinceMs, long nowMs) {
            long floor = Math.max(sinceMs, nowMs - retentionMs - 1);
            int n = 0;
            for (int i = count - 1; i >= 0; i--) {
                if (times[(head + i) % times.length] <= floor) {
                    break;
                }
                n++;
            }
            return n;
        }

        /**
         * Dispatches strictly after {@code sinceMs} (within retention), in one pass with their uncached prompt
         * tokens, which are written to {@code tokensOut[0]}.
         */
        public synchronized int dispatchedSince(long sinceMs, long nowMs, long[] tokensOut) {
            long floor = Math.max(sinceMs, nowMs - retentionMs - 1);
            long sum = 0;
            int n = 0;
            for (int i = count - 1; i >= 0; i--) {
                int at = (head + i) % times.length;
                if (times[at] <= floor) {
                    break;
                }
                sum += uncached[at];
                n++;
            }
            tokensOut[0] = sum;
            return n;
        }

        /** Sum of the uncached prompt tokens of the dispatches strictly after {@code sinceMs}, within retention. */
        public synchronized long uncachedTokensSince(long sinceMs, long nowMs) {
            long floor = Math.max(sinceMs, nowMs - retentionMs - 1);
            long sum = 0;
            for (int i = count - 1; i >= 0; i--) {
                int at = (head + i) % times.length;
                if (times[at] <= floor) {
                    break;
                }
                sum += uncached[at];
            }
            return sum;
        }

        /** Requests picked for this endpoint and not reported complete. */
        public synchronized int inflight() {
            return inflight;
        }

        /** Uncached prompt tokens of those requests (prompt minus the prefix this EPP believed cached). */
        public synchronized long inflightUncachedTokens() {
            return inflightUncached;
        }

        /** Prompt tokens of those requests. */
        public synchronized long inflightTokens() {
            return inflightTokens;
        }
    }
}
