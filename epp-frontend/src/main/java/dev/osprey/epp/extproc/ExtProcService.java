package dev.osprey.epp.extproc;

import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.stub.StreamObserver;
import java.util.Objects;

/** The ext-proc gRPC service: it only opens a {@link RequestStream} per call. Thread-safe. */
public final class ExtProcService extends ExternalProcessorGrpc.ExternalProcessorImplBase {

    private final StreamServices services;

    public ExtProcService(StreamServices services) {
        this.services = Objects.requireNonNull(services, "services");
    }

    @Override
    public StreamObserver<ProcessingRequest> process(StreamObserver<ProcessingResponse> responseObserver) {
        services.metrics().streamOpened();
        return new RequestStream(services, new ResponseWriter(responseObserver));
    }
}
