package dev.osprey.epp.extproc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

/**
 * The gRPC transport settings of the ext-proc port, in one place so that a baseline server (the benchmark's no-op
 * ext-proc server) can run on exactly the same stack. Messages may be as large as the request-body limit plus 1 MiB
 * of framing (a BUFFERED body arrives in one message). Stream callbacks run on the transport's event-loop threads
 * ({@code directExecutor}): a stream's work per message is short and never blocks (it reads bytes it already has,
 * picks from an in-memory snapshot and offers events to a bounded queue), so handing every message to another
 * thread would cost more than the work itself. Flow control starts at a 1 MiB window per stream and is then tuned
 * by gRPC to the measured bandwidth-delay product.
 */
public final class ExtProcTransport {

    /** The initial per-stream flow-control window. */
    public static final int FLOW_CONTROL_WINDOW = 1 << 20;

    private ExtProcTransport() {
    }

    /** {@code builder} with the ext-proc settings for bodies of at most {@code maxRequestBodyBytes}. */
    public static NettyServerBuilder configure(NettyServerBuilder builder, long maxRequestBodyBytes) {
        int maxMessage = (int) Math.min(Integer.MAX_VALUE, maxRequestBodyBytes + (1 << 20));
        return builder.maxInboundMessageSize(maxMessage).initialFlowControlWindow(FLOW_CONTROL_WINDOW)
                .directExecutor();
    }
}
