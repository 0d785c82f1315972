package dev.osprey.bench.live;

import static dev.osprey.bench.sim.ResultsAggregator.percentile;

import java.util.Arrays;
import java.util.Locale;

/**
 * Client-side time to first token of streamed completions against one OpenAI-compatible endpoint (a simulator, the
 * all-in-one's gateway, a model server), one request at a time, so the figure is the path's own latency without
 * queueing: {@code java -cp bench/target/osprey-bench.jar dev.osprey.bench.live.TtftProbe HOST PORT MODEL
 * [REQUESTS]}. Prints TTFT p50 / p90 / p99 and the slowest, in ms, after 10 warm-up requests; exits 1 when a request
 * fails.
 */
public final class TtftProbe {

    private TtftProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: TtftProbe HOST PORT MODEL [REQUESTS (default 200)]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        int requests = args.length == 4 ? Integer.parseInt(args[3]) : 200;
        if (requests < 1) {
            System.err.println("REQUESTS must be at least 1, got " + requests);
            System.exit(2);
        }
        StreamingClient client = new StreamingClient(args[0], port);
        byte[] body = StreamingClient.body(args[2], "hello world ".repeat(40), 8);
        double[] ttft = new double[requests];
        for (int i = 0; i < requests + 10; i++) {
            LiveOutcome o = client.send("probe-" + i, body).outcome().get();
            if (o.kind() != LiveOutcome.Kind.COMPLETED) {
                System.err.println("request " + i + " failed: " + o);
                System.exit(1);
            }
            if (i >= 10) {
                ttft[i - 10] = o.ttftNanos() / 1e6;
            }
        }
        Arrays.sort(ttft);
        System.out.printf(Locale.ROOT, "TTFT over %d sequential requests: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, "
                + "max %.1f ms%n", requests, percentile(ttft, 50), percentile(ttft, 90), percentile(ttft, 99),
                ttft[requests - 1]);
    }
}
