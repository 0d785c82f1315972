package dev.osprey.epp.extproc;

import java.io.IOException;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;

/** An {@link ExtProcService} on the in-process transport with direct executors, and a channel to it. */
final class InProcessExtProc implements AutoCloseable {

    private final Server server;
    private final ManagedChannel channel;

    private InProcessExtProc(Server server, ManagedChannel channel) {
        this.server = server;
        this.channel = channel;
    }

    static InProcessExtProc start(StreamServices services) throws IOException {
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new ExtProcService(services)).build().start();
        return new InProcessExtProc(server, InProcessChannelBuilder.forName(name).directExecutor().build());
    }

    ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
    }
}
