package dev.osprey.epp.scheduling.framework;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this EPP itself sent to each endpoint: recent dispatches (time and uncached prompt tokens, kept for the
 * retention so "dispatched since that endpoint's last scrape" can be counted), recent completions (time, kept for
 * the same retention, so "finished since that endpoint's last scrape" can be counted: a scrape taken before they
 * left the server still shows them waiting or running) and requests still in flight (picked and not yet reported
 * complete; forgotten after the in-flight expiry if completion never comes, which is not a completion).
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

    /**
     * Marks {@code requestId} finished at {@code nowMs} (the clock of the dispatches and of the snapshots' scrape
     * times); unknown ids are ignored.
     */
    public void completed(String requestId, long nowMs) {
        Active a = active.remove(requestId);
        if (a != null) {
            a.endpoint.complete(nowMs, a.tokens, a.uncached);
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
        private final TimeRing completions;
        private int inflight;
        private long inflightTokens;
        private long inflightUncached;

        EndpointLoad(long retentionMs) {
            this.retentionMs = retentionMs;
            this.completions = new TimeRing(retentionMs);
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

        /** A request of this endpoint finished at {@code nowMs}: counted as a completion, then no longer in flight. */
        synchronized void complete(long nowMs, int tokens, int uncachedTokens) {
            completions.add(nowMs);
            finish(tokens, uncachedTokens);
        }

        /** A request left the in-flight counters without a completion (expired, or its id was dispatched again). */
        synchronized void finish(int tokens, int uncachedTokens) {
            inflight = Math.max(0, inflight - 1);
            inflightTokens = Math.max(0, inflightTokens - tokens);
            inflightUncached = Math.max(0, inflightUncached - uncachedTokens);
        }

        /** Dispatches strictly after {@code sinceMs} and within the retention. */
        public synchronized int dispatchedSince(long sinceMs, long nowMs) {
            return countAfter(times, head, count, Math.max(sinceMs, nowMs - retentionMs - 1));
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

        /**
         * Everything this EPP knows happened on the endpoint strictly after {@code sinceMs} (within retention), in one
         * pass: returns the dispatches, writes their uncached prompt tokens to {@code out[0]} and the completions
         * reported since (of any request of this EPP, dispatched before or after {@code sinceMs}) to {@code out[1]}.
         *
         * @param out at least two elements
         */
        public synchronized int sinceScrape(long sinceMs, long nowMs, long[] out) {
            int n = dispatchedSince(sinceMs, nowMs, out);
            out[1] = completions.countAfter(Math.max(sinceMs, nowMs - retentionMs - 1));
            return n;
        }

        /** Completions reported strictly after {@code sinceMs} and within the retention. */
        public synchronized int completedSince(long sinceMs, long nowMs) {
            return completions.countAfter(Math.max(sinceMs, nowMs - retentionMs - 1));
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

    /** Times in non-decreasing order, those older than the retention dropped as new ones come. Not thread-safe. */
    private static final class TimeRing {
        private final long retentionMs;
        private long[] times = new long[16];
        private int head;
        private int count;

        TimeRing(long retentionMs) {
            this.retentionMs = retentionMs;
        }

        void add(long nowMs) {
            while (count > 0 && times[head] < nowMs - retentionMs) {
                head = (head + 1) % times.length;
                count--;
            }
            if (count == times.length) {
                long[] t = new long[count * 2];
                for (int i = 0; i < count; i++) {
                    t[i] = times[(head + i) % times.length];
                }
                times = t;
                head = 0;
            }
            int at = (head + count) % times.length;
            // completions may be reported by several threads with clocks read a moment apart: keep the ring sorted
            times[at] = count > 0 ? Math.max(nowMs, times[(at - 1 + times.length) % times.length]) : nowMs;
            count++;
        }

        /** How many times are strictly after {@code floor}. */
        int countAfter(long floor) {
            return LocalLoad.countAfter(times, head, count, floor);
        }
    }

    /**
     * How many of the {@code count} ascending times of a ring starting at {@code head} are strictly after
     * {@code floor}, scanning back from the newest.
     */
    private static int countAfter(long[] times, int head, int count, long floor) {
        int n = 0;
        for (int i = count - 1; i >= 0; i--) {
            if (times[(head + i) % times.length] <= floor) {
                break;
            }
            n++;
        }
        return n;
    }
}
