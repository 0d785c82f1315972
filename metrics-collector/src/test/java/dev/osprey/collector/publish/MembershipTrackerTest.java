package dev.osprey.collector.publish;

import java.util.List;
import java.util.Map;

import dev.osprey.api.PoolEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MembershipTrackerTest {

    private static PoolEndpoint endpoint(String pod, String address) {
        return new PoolEndpoint("c/ns/" + pod + ":8000", "c/ns/pool", pod, address, 8000, 0, "vllm", Map.of());
    }

    @Test
    void reportsAdditionsChangesAndRemovals() {
        MembershipTracker tracker = new MembershipTracker();
        PoolEndpoint a = endpoint("a", "10.0.0.1");
        PoolEndpoint b = endpoint("b", "10.0.0.2");

        assertThat(tracker.update(List.of(a, b))).containsExactly(new MembershipChange.Upsert(a),
                new MembershipChange.Upsert(b));
        assertThat(tracker.update(List.of(a, b))).isEmpty();

        PoolEndpoint movedA = endpoint("a", "10.0.0.9");
        assertThat(tracker.update(List.of(movedA))).containsExactly(new MembershipChange.Removed(b.endpointId()),
                new MembershipChange.Upsert(movedA));
    }
}
