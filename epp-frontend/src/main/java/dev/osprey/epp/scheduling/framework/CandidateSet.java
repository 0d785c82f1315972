package dev.osprey.epp.scheduling.framework;

import dev.osprey.epp.state.EndpointSnapshot;
import java.util.Arrays;

/**
 * A mutable, reusable list of candidate endpoints with each one's position in the snapshot. Filters shrink it in
 * place with {@link #retain}. Confined to one scheduling cycle; not thread-safe.
 */
public final class CandidateSet {

    private EndpointSnapshot[] endpoints = new EndpointSnapshot[16];
    private int[] snapshotIndex = new int[16];
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public EndpointSnapshot get(int i) {
        return endpoints[i];
    }

    /** The position of candidate {@code i} in {@code snapshot.endpoints()}. */
    public int snapshotIndex(int i) {
        return snapshotIndex[i];
    }

    /** Empties the set; references stay in the array until overwritten (at most one old snapshot's worth). */
    void clear() {
        size = 0;
    }

    void add(EndpointSnapshot e, int snapIdx) {
        if (size == endpoints.length) {
            endpoints = Arrays.copyOf(endpoints, size * 2);
            snapshotIndex = Arrays.copyOf(snapshotIndex, size * 2);
        }
        endpoints[size] = e;
        snapshotIndex[size++] = snapIdx;
    }

    void copyFrom(CandidateSet other) {
        if (endpoints.length < other.size) {
            endpoints = Arrays.copyOf(endpoints, other.endpoints.length);
            snapshotIndex = Arrays.copyOf(snapshotIndex, other.snapshotIndex.length);
        }
        System.arraycopy(other.endpoints, 0, endpoints, 0, other.size);
        System.arraycopy(other.snapshotIndex, 0, snapshotIndex, 0, other.size);
        size = other.size;
    }

    /** Keeps the candidates whose {@code keep[i]} is true, preserving order; {@code keep} has at least size entries. */
    public void retain(boolean[] keep) {
        int w = 0;
        for (int r = 0; r < size; r++) {
            if (keep[r]) {
                endpoints[w] = endpoints[r];
                snapshotIndex[w++] = snapshotIndex[r];
            }
        }
        size = w;
    }
}
