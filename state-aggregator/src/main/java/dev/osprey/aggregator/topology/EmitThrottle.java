package dev.osprey.aggregator.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Decides when a changed pool may be published: at most once per interval per pool; a change after a quiet
 * interval is published at once, later changes wait for {@link #due}. Pure logic over wall-clock millis given by the
 * caller. Not thread-safe: one instance per stream task.
 */
final class EmitThrottle {

    private final long intervalMs;
    private final Map<String, Long> lastEmitMs = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();

    EmitThrottle(long intervalMs) {
        if (intervalMs < 0) {
            throw new IllegalArgumentException("interval must not be negative, got " + intervalMs);
        }
        this.intervalMs = intervalMs;
    }

    /**
     * Records a change of {@code poolId}.
     *
     * @return true when the caller should publish now (and then call {@link #emitted}); false when the pool was
     *     marked to be published by a later {@link #due}
     */
    boolean onChange(String poolId, long nowMs) {
        if (mayEmit(poolId, nowMs)) {
            return true;
        }
        dirty.add(poolId);
        return false;
    }

    /** The changed pools whose interval has passed; they are no longer marked. */
    List<String> due(long nowMs) {
        List<String> pools = new ArrayList<>();
        for (var it = dirty.iterator(); it.hasNext();) {
            String poolId = it.next();
            if (mayEmit(poolId, nowMs)) {
                pools.add(poolId);
                it.remove();
            }
        }
        return pools;
    }

    /** Records that {@code poolId} was published at {@code nowMs}. */
    void emitted(String poolId, long nowMs) {
        lastEmitMs.put(poolId, nowMs);
        dirty.remove(poolId);
    }

    /** When {@code poolId} was last published by this instance, if it was. */
    OptionalLong lastEmit(String poolId) {
        Long last = lastEmitMs.get(poolId);
        return last == null ? OptionalLong.empty() : OptionalLong.of(last);
    }

    /** Whether changes of some pool wait for {@link #due}. */
    boolean hasPending() {
        return !dirty.isEmpty();
    }

    private boolean mayEmit(String poolId, long nowMs) {
        Long last = lastEmitMs.get(poolId);
        return last == null || nowMs - last >= intervalMs;
    }
}
