package dev.osprey.epp.scheduling;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts, per endpoint, the requests this EPP dispatched after a given time, so a burst between two snapshots
 * spreads out instead of piling onto the endpoint that looked idlest. Keeps recent dispatch timestamps (wall-clock
 * epoch millis, the clock of the snapshots' scrape times) and forgets those older than the retention. Thread-safe.
 */
public final class InflightTracker {

    private final long retentionMs;
    private final Map<String, ArrayDeque<Long>> dispatches = new ConcurrentHashMap<>();

    /** @param retentionMs how long a dispatch is remembered; it no longer counts after that */
    public InflightTracker(long retentionMs) {
        if (retentionMs <= 0) {
            throw new IllegalArgumentException("retentionMs must be positive, got " + retentionMs);
        }
        this.retentionMs = retentionMs;
    }

    /** Records one dispatch to {@code endpointId} at {@code nowMs}. */
    public void recordDispatch(String endpointId, long nowMs) {
        ArrayDeque<Long> times = dispatches.computeIfAbsent(endpointId, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(nowMs);
            while (!times.isEmpty() && times.peekFirst() < nowMs - retentionMs) {
                times.pollFirst();
            }
        }
    }

    /** How many dispatches to {@code endpointId} happened strictly after {@code sinceMs} and within retention. */
    public int dispatchedSince(String endpointId, long sinceMs, long nowMs) {
        ArrayDeque<Long> times = dispatches.get(endpointId);
        if (times == null) {
            return 0;
        }
        long floor = Math.max(sinceMs, nowMs - retentionMs - 1);
        int count = 0;
        synchronized (times) {
            Iterator<Long> it = times.descendingIterator();
            while (it.hasNext() && it.next() > floor) {
                count++;
            }
        }
        return count;
    }
}
