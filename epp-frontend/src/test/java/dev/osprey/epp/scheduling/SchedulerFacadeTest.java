package dev.osprey.epp.scheduling;

import static dev.osprey.epp.scheduling.Pools.NOW;
import static dev.osprey.epp.scheduling.Pools.ep;
import static dev.osprey.epp.scheduling.Pools.picked;
import static dev.osprey.epp.scheduling.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.api.Criticality;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SchedulerFacadeTest {

    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW + 1), ZoneOffset.UTC);

    @Test
    void facadeOverAnEngineDelegatesPicksAndCompletions() {
        EndpointPicker engine = SchedulerFactory.builtIn("least-request-p2c", SchedulerOptions.defaults().withSeed(2));
        Scheduler scheduler = new Scheduler(engine, clock, () -> new Random(1));
        var s = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0));
        String first = picked(scheduler.pick(s, SchedulingRequest.builder("r1", "m").build())).primary().endpointId();
        // r1 in flight: p2c must choose the other endpoint
        String second = picked(scheduler.pick(s, SchedulingRequest.builder("r2", "m").build())).primary()
                .endpointId();
        assertThat(second).isNotEqualTo(first);
        scheduler.completed("r1");
        scheduler.completed("r2");
        assertThat(scheduler.pick(s, PickRequest.standard())).isInstanceOf(PickResult.Picked.class);
        assertThat(scheduler.pick(pool(ep("a", 5, 0, 0.9)), new PickRequest(e -> true, 0, Criticality.SHEDDABLE)))
                .isInstanceOf(PickResult.Shed.class);
    }
}
