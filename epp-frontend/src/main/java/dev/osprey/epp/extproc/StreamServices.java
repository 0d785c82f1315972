package dev.osprey.epp.extproc;

import dev.osprey.epp.events.RequestEvents;
import dev.osprey.epp.request.JsonBodyInspector;
import dev.osprey.epp.request.ModelResolver;
import dev.osprey.epp.scheduling.Scheduler;
import dev.osprey.epp.state.PoolSnapshotSource;
import dev.osprey.epp.tracing.RequestTracer;
import java.util.Objects;

/**
 * Everything a stream needs, shared by all streams of one server. Immutable; its members are thread-safe.
 *
 * @param events where decisions and outcomes go ({@link RequestEvents#NONE} to drop them)
 * @param tracer the span of each request's routing ({@link RequestTracer#NONE} when tracing is off)
 */
public record StreamServices(PoolSnapshotSource snapshots, Scheduler scheduler, JsonBodyInspector inspector,
        ModelResolver models, RequestPolicy policy, RequestEvents events, ExtProcMetrics metrics,
        RequestTracer tracer) {

    public StreamServices {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(inspector, "inspector");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(tracer, "tracer");
    }
}
