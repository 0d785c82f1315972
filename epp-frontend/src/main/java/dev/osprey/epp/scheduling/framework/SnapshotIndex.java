package dev.osprey.epp.scheduling.framework;

import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Per-snapshot lookup tables built once when a new snapshot is first scheduled on: endpoint id → position, and
 * each position's {@link LocalLoad.EndpointLoad}. Immutable after construction; thread-safe.
 */
public final class SnapshotIndex implements ToIntFunction<String> {

    private final PoolSnapshot snapshot;
    private final Map<String, Integer> positions;
    private final LocalLoad.EndpointLoad[] loads;

    SnapshotIndex(PoolSnapshot snapshot, LocalLoad localLoad) {
        this.snapshot = snapshot;
        List<EndpointSnapshot> eps = snapshot.endpoints();
        this.positions = new HashMap<>(eps.size() * 2);
        this.loads = new LocalLoad.EndpointLoad[eps.size()];
        for (int i = 0; i < eps.size(); i++) {
            positions.put(eps.get(i).endpointId(), i);
            loads[i] = localLoad.endpoint(eps.get(i).endpointId());
        }
    }

    PoolSnapshot snapshot() {
        return snapshot;
    }

    /** Position of {@code endpointId} in the snapshot, or -1. */
    public int position(String endpointId) {
        Integer p = positions.get(endpointId);
        return p == null ? -1 : p;
    }

    @Override
    public int applyAsInt(String endpointId) {
        return position(endpointId);
    }

    /** The local load tracker of the endpoint at snapshot position {@code snapIdx}. */
    public LocalLoad.EndpointLoad load(int snapIdx) {
        return loads[snapIdx];
    }
}
