package dev.osprey.epp.scheduling;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The chained prompt-prefix block hashes of one routed request, in prompt order, as the scheduler computed them.
 * They go on the RoutingDecision record so the aggregator can build the prefix index every EPP replica shares.
 * Immutable; {@link #asList()} is a boxing view built only when a record is serialised.
 */
public final class BlockHashes {

    /** No hashes: the prompt was shorter than one block, or the profile does not track prefixes. */
    public static final BlockHashes NONE = new BlockHashes(new long[0]);

    private final long[] hashes;

    private BlockHashes(long[] hashes) {
        this.hashes = hashes;
    }

    /** A copy of the first {@code n} of {@code hashes}. */
    public static BlockHashes copyOf(long[] hashes, int n) {
        if (n < 0 || n > hashes.length) {
            throw new IllegalArgumentException("n must be within 0.." + hashes.length + ", got " + n);
        }
        return n == 0 ? NONE : new BlockHashes(Arrays.copyOf(hashes, n));
    }

    public int size() {
        return hashes.length;
    }

    public long get(int i) {
        return hashes[i];
    }

    /** A read-only list view (boxes on access). */
    public List<Long> asList() {
        return new View();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockHashes b && Arrays.equals(hashes, b.hashes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hashes);
    }

    @Override
    public String toString() {
        return "BlockHashes[" + hashes.length + "]";
    }

    private final class View extends AbstractList<Long> implements RandomAccess {
        @Override
        public Long get(int index) {
            return hashes[index];
        }

        @Override
        public int size() {
            return hashes.length;
        }
    }
}
