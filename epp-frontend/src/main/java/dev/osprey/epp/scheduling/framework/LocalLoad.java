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
        private final TimeRing dispatches;
        private final TimeRing completions;
        private int inflight;
        private long inflightTokens;
        private long inflightUncached;

        EndpointLoad(long retentionMs) {
            this.retentionMs = retentionMs;
            this.dispatches = new TimeRing(retentionMs, true);
            this.completions = new TimeRing(retentionMs, false);
        }

        synchronized void record(long nowMs, int tokens, int uncachedTokens) {
            dispatches.add(nowMs, uncachedTokens);
            inflight++;
            inflightTokens += tokens;
            inflightUncached += uncachedTokens;
        }

        /** A request of this endpoint finished at {@code nowMs}: counted as a completion, then no longer in flight. */
        synchronized void complete(long nowMs, int tokens, int uncachedTokens) {
            completions.add(nowMs, 0);
            finish(tokens, uncachedTokens);
        }

        /** A request left the in-flight counters without a completion (expired, or its id was dispatched again). */
        synchronized void finish(int tokens, int uncachedTokens) {
            inflight = Math.max(0, inflight - 1);
            inflightTokens = Math.max(0, inflightTokens - tokens);
            inflightUncached = Math.max(0, inflightUncached - uncachedTokens);
        }

        private long floor(long sinceMs, long nowMs) {
            return Math.max(sinceMs, nowMs - retentionMs - 1);
        }

        /** Dispatches strictly after {@code sinceMs} and within the retention. */
        public synchronized int dispatchedSince(long sinceMs, long nowMs) {
            return dispatches.countAfter(floor(sinceMs, nowMs));
        }

        /**
         * Everything this EPP knows happened on the endpoint strictly after {@code sinceMs} (within retention):
         * returns the dispatches, writes their uncached prompt tokens to {@code out[0]} and the completions
         * reported since (of any request of this EPP, dispatched before or after {@code sinceMs}) to {@code out[1]}.
         *
         * @param out at least two elements
         */
        public synchronized int sinceScrape(long sinceMs, long nowMs, long[] out) {
            long floor = floor(sinceMs, nowMs);
            int first = dispatches.firstAfter(floor);
            out[0] = dispatches.sumFrom(first);
            out[1] = completions.countAfter(floor);
            return dispatches.countFrom(first);
        }

        /** Completions reported strictly after {@code sinceMs} and within the retention. */
        public synchronized int completedSince(long sinceMs, long nowMs) {
            return completions.countAfter(floor(sinceMs, nowMs));
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

    /**
     * Times in non-decreasing order, each with a value when the ring is summed (the uncached tokens of a dispatch;
     * completions are only counted), those older than the retention dropped as new ones come. Counting and summing
     * the entries after a time are searches (galloping back from the newest) over the sorted times and running totals
     * of the values: logarithmic in the entries after that time, so a pick stays cheap when an old scrape leaves many
     * dispatches and completions to count (rate × scrape age, up to the retention). Not thread-safe.
     */
    private static final class TimeRing {
        private final long retentionMs;
        private long[] times = new long[16];
        /** Running total of the values up to and including each entry; null when the ring only counts. */
        private long[] totals;
        private long total;
        /** Running total up to the newest entry dropped (the total before the oldest retained one). */
        private long dropped;
        private int head;
        private int count;

        TimeRing(long retentionMs, boolean summed) {
            this.retentionMs = retentionMs;
            this.totals = summed ? new long[times.length] : null;
        }

        void add(long nowMs, long value) {
            while (count > 0 && times[head] < nowMs - retentionMs) {
                if (totals != null) {
                    dropped = totals[head];
                }
                head = (head + 1) % times.length;
                count--;
            }
            if (count == times.length) {
                times = unrolled(times);
                if (totals != null) {
                    totals = unrolled(totals);
                }
                head = 0;
            }
            int at = (head + count) % times.length;
            // entries may be added by several threads with clocks read a moment apart: keep the ring sorted
            times[at] = count > 0 ? Math.max(nowMs, times[(at - 1 + times.length) % times.length]) : nowMs;
            if (totals != null) {
                total += value;
                totals[at] = total;
            }
            count++;
        }

        /** The entries of a full ring from the oldest on, in an array twice its size. */
        private long[] unrolled(long[] ring) {
            long[] larger = new long[ring.length * 2];
            for (int i = 0; i < count; i++) {
                larger[i] = ring[(head + i) % ring.length];
            }
            return larger;
        }

        /** How many entries are strictly after {@code floor}. */
        int countAfter(long floor) {
            return countFrom(firstAfter(floor));
        }

        /** How many entries there are from logical index {@code first} on. */
        int countFrom(int first) {
            return count - first;
        }

        /** The sum of the values of the entries from logical index {@code first} on. */
        long sumFrom(int first) {
            if (totals == null) {
                throw new IllegalStateException("this ring only counts its entries");
            }
            if (first == count) {
                return 0;
            }
            return total - (first == 0 ? dropped : totals[(head + first - 1) % times.length]);
        }

        /**
         * The logical index of the first entry strictly after {@code floor}, or {@code count} if none: a galloping
         * search back from the newest entry (1, 2, 4... entries) and then a binary search within the last step, so
         * it costs O(log k) for the k entries after {@code floor} — a few steps for a fresh scrape, whatever the
         * retention holds.
         */
        int firstAfter(long floor) {
            int high = count;
            int step = 1;
            while (step <= high && times[(head + high - step) % times.length] > floor) {
                high -= step;
                step <<= 1;
            }
            int low = Math.max(0, high - step + 1);
            // entries at and after high are after floor; the entry at high - step (if any) is not
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (times[(head + mid) % times.length] <= floor) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }
    }
}
