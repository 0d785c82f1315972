package dev.osprey.epp.extproc;

import dev.osprey.epp.events.EventFactory;
import dev.osprey.epp.events.RequestEvents;
import dev.osprey.epp.request.JsonBodyInspector;
import dev.osprey.epp.request.ModelDirectory;
import dev.osprey.epp.request.ModelResolver;
import dev.osprey.epp.request.PoolResources;
import dev.osprey.epp.request.UnknownModelPolicy;
import dev.osprey.epp.scheduling.InflightTracker;
import dev.osprey.epp.scheduling.SaturationDetector;
import dev.osprey.epp.scheduling.Scheduler;
import dev.osprey.epp.state.PoolSnapshotSource;
import dev.osprey.epp.tracing.RequestTracer;
import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Builds {@link StreamServices} for tests. */
public final class TestServices {

    /** Collects events in memory, as the records the publisher would build. */
    public static final class CollectedEvents implements RequestEvents {
        public final List<RoutingDecision> decisions = new CopyOnWriteArrayList<>();
        public final List<RequestOutcome> outcomes = new CopyOnWriteArrayList<>();
        private final EventFactory factory = new EventFactory("local", "epp-test", "local/ns/pool",
                Clock.systemUTC());

        @Override
        public void decision(EventFactory.Decision decision) {
            decisions.add(factory.decision(decision));
        }

        @Override
        public void outcome(EventFactory.Outcome outcome) {
            outcomes.add(factory.outcome(outcome));
        }
    }

    private String profile;
    private final PoolSnapshotSource snapshots;
    private long maxBody = 10 * 1024 * 1024;
    private int fallbacks;
    private MeterRegistry meters = new SimpleMeterRegistry();
    private RequestEvents events = RequestEvents.NONE;
    private Supplier<PoolResources> resources = () -> PoolResources.EMPTY;
    private UnknownModelPolicy unknown = UnknownModelPolicy.PASS_THROUGH;
    private RequestTracer tracer = RequestTracer.NONE;

    private TestServices(PoolSnapshotSource snapshots) {
        this.snapshots = snapshots;
    }

    public static TestServices builder(PoolSnapshotSource snapshots) {
        return new TestServices(snapshots);
    }

    public TestServices maxBody(long v) {
        maxBody = v;
        return this;
    }

    public TestServices fallbacks(int v) {
        fallbacks = v;
        return this;
    }

    public TestServices meters(MeterRegistry v) {
        meters = v;
        return this;
    }

    public TestServices tracer(RequestTracer v) {
        tracer = v;
        return this;
    }

    public TestServices events(RequestEvents v) {
        events = v;
        return this;
    }

    public TestServices models(ModelDirectory v, UnknownModelPolicy policy) {
        PoolResources r = PoolResources.ofModels(v);
        resources = () -> r;
        unknown = policy;
        return this;
    }

    /** Models, objectives and rewrites from a (possibly changing) view. */
    public TestServices resources(Supplier<PoolResources> v, UnknownModelPolicy policy) {
        resources = v;
        unknown = policy;
        return this;
    }

    /** Picks with a scheduler-framework profile ({@code SchedulerFactory.builtIn}) instead of the least-load one. */
    public TestServices profile(String builtInName) {
        profile = builtInName;
        return this;
    }

    public StreamServices build() {
        Random random = new Random(7);
        Scheduler scheduler = profile == null
                ? new Scheduler(new InflightTracker(60_000), SaturationDetector.DEFAULTS, Clock.systemUTC(),
                        () -> random)
                : new Scheduler(dev.osprey.epp.scheduling.SchedulerFactory.builtIn(profile), Clock.systemUTC(),
                        () -> random);
        return new StreamServices(snapshots, scheduler, new JsonBodyInspector(),
                new ModelResolver(resources, unknown, () -> random), new RequestPolicy(maxBody, fallbacks), events,
                new ExtProcMetrics(meters), tracer);
    }
}
