package dev.osprey.bench.sim;

import dev.osprey.sim.virtual.VirtualTimeSimulation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock that follows a {@link VirtualTimeSimulation}: epoch {@link #EPOCH_MS} plus virtual time. */
final class VirtualClock extends Clock {

    /** Virtual time 0 as epoch millis (an arbitrary fixed instant, so runs are reproducible). */
    static final long EPOCH_MS = 1_700_000_000_000L;

    private final VirtualTimeSimulation sim;

    VirtualClock(VirtualTimeSimulation sim) {
        this.sim = sim;
    }

    static long toMillis(long virtualNanos) {
        return EPOCH_MS + virtualNanos / 1_000_000L;
    }

    @Override
    public long millis() {
        return toMillis(sim.now());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(EPOCH_MS).plusNanos(sim.now());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("virtual clock is UTC only");
    }
}
