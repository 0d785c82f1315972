package dev.osprey.bench.extproc;

import dev.osprey.epp.request.BodyInspection;
import dev.osprey.epp.request.JsonBodyInspector;
import dev.osprey.epp.request.OpenAiApi;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * CPU time of the EPP's request parsing for one chat body (streaming JSON parse, prompt text collected, prompt
 * converted to UTF-8 bytes for the scheduler), measured with the thread's CPU clock so that a busy machine does not
 * inflate it. {@code java -cp bench/target/osprey-bench.jar dev.osprey.bench.extproc.PromptParseBench [kib]
 * [iterations]} (defaults 220 KiB, 300 iterations, 5 rounds; a few seconds).
 */
public final class PromptParseBench {

    private PromptParseBench() {
    }

    public static void main(String[] args) {
        int kib = args.length > 0 ? Integer.parseInt(args[0]) : 220;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        byte[] body = ExtProcLatencyBench.chatBody(kib * 1024).getBytes(StandardCharsets.UTF_8);
        JsonBodyInspector inspector = new JsonBodyInspector();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 1; round <= 5; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                BodyInspection.Valid v = (BodyInspection.Valid) inspector.inspect(new ByteArrayInputStream(body),
                        OpenAiApi.CHAT_COMPLETIONS);
                sink += v.prompt().text().getBytes(StandardCharsets.UTF_8).length + v.prompt().tokenEstimate();
            }
            System.out.printf(Locale.ROOT, "round %d: %d-byte body, cpu %.3f ms, wall %.3f ms per request%n", round,
                    body.length, (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / iterations,
                    (System.nanoTime() - wall) / 1e6 / iterations);
        }
        System.out.println("(checksum " + sink + ")");
    }
}
