package dev.osprey.epp.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.api.Criticality;
import dev.osprey.schemas.avro.RoutingDecision;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventFactoryTest {

    private static EventFactory.Decision routed() {
        return new EventFactory.Decision("r1", Optional.of("m"), Optional.of("m"), Criticality.STANDARD,
                List.of("10.0.0.1:8000"), Map.of(), 100, 5_000, 200, Optional.empty(), Optional.empty(),
                List.of(7L, -3L, 11L));
    }

    @Test
    void prefixHashesGoOnDecisionsOnlyWhenEnabled() {
        RoutingDecision off = new EventFactory("c", "epp-a", "c/ns/p", Clock.systemUTC()).decision(routed());
        assertThat(off.getPrefixBlockHashes()).isEmpty();
        RoutingDecision on = new EventFactory("c", "epp-a", "c/ns/p", Clock.systemUTC(), true).decision(routed());
        assertThat(on.getPrefixBlockHashes()).containsExactly(7L, -3L, 11L);
        assertThat(on.getEppReplicaId()).isEqualTo("epp-a");
        assertThat(on.getChosenEndpoints()).containsExactly("10.0.0.1:8000");
    }
}
