package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.SnapshotIndex;
import dev.osprey.epp.scheduling.prefix.PrefixIndex;
import dev.osprey.epp.state.EndpointSnapshot;
import java.util.List;

/**
 * How full each endpoint's prefix cache is believed to be, relative to the pool: the number of blocks this EPP's
 * prefix index holds for the endpoint over the mean of all the snapshot's endpoints (1 = average, 0 = empty; all 0
 * when the index is empty). Computed once per snapshot (one index lookup per endpoint), so pick cost stays
 * O(candidates); blocks added by picks made since count from the next snapshot on. Thread-safe.
 */
final class CacheOccupancy {

    private static final double[] NONE = new double[0];

    private volatile Table last;

    /** The relative occupancy by snapshot position for the cycle's snapshot. */
    double[] relative(CycleState cycle) {
        Table t = last;
        if (t == null || t.index != cycle.index()) {
            t = new Table(cycle.index(), compute(cycle.state().prefixIndex(), cycle.snapshot().endpoints()));
            last = t;
        }
        return t.relative;
    }

    static double[] compute(PrefixIndex index, List<EndpointSnapshot> endpoints) {
        if (endpoints.isEmpty()) {
            return NONE;
        }
        double[] out = new double[endpoints.size()];
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = index.size(endpoints.get(i).endpointId());
            sum += out[i];
        }
        double mean = sum / out.length;
        for (int i = 0; i < out.length; i++) {
            out[i] = mean == 0 ? 0 : out[i] / mean;
        }
        return out;
    }

    private record Table(SnapshotIndex index, double[] relative) {
    }
}
