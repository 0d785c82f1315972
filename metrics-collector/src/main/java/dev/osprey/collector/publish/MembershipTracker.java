package dev.osprey.collector.publish;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.osprey.api.PoolEndpoint;

/**
 * Remembers the last endpoint set and turns each new snapshot into the changes since: upserts for new or changed
 * endpoints, removals for vanished ones. The first snapshot yields an upsert for every endpoint. Not thread-safe;
 * one discovery thread owns it.
 */
public final class MembershipTracker {

    private Map<String, PoolEndpoint> known = Map.of();

    /** The changes from the previous snapshot to {@code endpoints} (duplicate ids: first wins). */
    public List<MembershipChange> update(List<PoolEndpoint> endpoints) {
        Map<String, PoolEndpoint> next = new LinkedHashMap<>();
        endpoints.forEach(e -> next.putIfAbsent(e.endpointId(), e));
        List<MembershipChange> changes = new ArrayList<>();
        for (String id : known.keySet()) {
            if (!next.containsKey(id)) {
                changes.add(new MembershipChange.Removed(id));
            }
        }
        for (PoolEndpoint endpoint : next.values()) {
            if (!endpoint.equals(known.get(endpoint.endpointId()))) {
                changes.add(new MembershipChange.Upsert(endpoint));
            }
        }
        known = next;
        return changes;
    }
}
