package dev.osprey.aggregator.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides when a changed pool may be published: at most once per interval per pool; a change after a quiet
 * interval is published at once, later changes wait for {@link #due}. Pure logic over wall-clock millis given by the
 * caller; the per-pool state lives in the {@link PoolView}. Not thread-safe: one instance per stream task.
 */
final class EmitThrottle {

    private final long intervalMs;
    private final List<PoolView> pending = new ArrayList<>();

    EmitThrottle(long intervalMs) {
        if (intervalMs < 0) {
            throw new IllegalArgumentException("interval must not be negative, got " + intervalMs);
        }
        this.intervalMs = intervalMs;
    }

    /**
     * Records a change of {@code pool}.
     *
     * @return true when the caller should publish now (and then call {@link #emitted}); false when the pool was
     *     marked to be published by a later {@link #due}
     */
    boolean onChange(PoolView pool, long nowMs) {
        if (mayEmit(pool, nowMs)) {
            return true;
        }
        if (!pool.pending()) {
            pool.pending(true);
            pending.add(pool);
        }
        return false;
    }

    /** The changed pools whose interval has passed, in the order they changed; they are no longer marked. */
    List<PoolView> due(long nowMs) {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<PoolView> due = new ArrayList<>();
        int kept = 0;
        for (int i = 0; i < pending.size(); i++) {
            PoolView pool = pending.get(i);
            if (!pool.pending()) {
                continue;
            }
            if (mayEmit(pool, nowMs)) {
                pool.pending(false);
                due.add(pool);
            } else {
                pending.set(kept++, pool);
            }
        }
        pending.subList(kept, pending.size()).clear();
        return due;
    }

    /** Records that {@code pool} was published (or found to have nothing to publish) at {@code nowMs}. */
    void emitted(PoolView pool, long nowMs) {
        pool.lastEmitMs(nowMs);
        pool.pending(false);
    }

    private boolean mayEmit(PoolView pool, long nowMs) {
        return pool.lastEmitMs() == Long.MIN_VALUE || nowMs - pool.lastEmitMs() >= intervalMs;
    }
}
