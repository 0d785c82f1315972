package dev.osprey.bench.extproc;

import com.google.protobuf.ByteString;
import dev.osprey.epp.request.BodyInspection;
import dev.osprey.epp.request.BodyScan;
import dev.osprey.epp.request.JsonBodyInspector;
import dev.osprey.epp.request.OpenAiApi;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU time of the EPP's request parsing for one chat body as the ext-proc stream does it: the body fed to a
 * {@code BodyScan} in 64 KiB chunks as they would arrive, the prompt collected as UTF-8 bytes for the scheduler;
 * measured with the thread's CPU clock so that a busy machine does not inflate it. {@code java -cp bench/target/osprey-bench.jar dev.osprey.bench.extproc.PromptParseBench [kib]
 * [iterations]} (defaults 220 KiB, 300 iterations, 5 rounds; a few seconds).
 */
public final class PromptParseBench {

    private PromptParseBench() {
    }

    public static void main(String[] args) {
        int kib = args.length > 0 ? Integer.parseInt(args[0]) : 220;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        byte[] body = ExtProcLatencyBench.chatBody(kib * 1024).getBytes(StandardCharsets.UTF_8);
        List<ByteString> chunks = new ArrayList<>();
        for (int off = 0; off < body.length; off += 64 * 1024) {
            chunks.add(ByteString.copyFrom(body, off, Math.min(body.length, off + 64 * 1024) - off));
        }
        JsonBodyInspector inspector = new JsonBodyInspector();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 1; round <= 5; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                BodyScan scan = inspector.start(OpenAiApi.CHAT_COMPLETIONS);
                for (ByteString chunk : chunks) {
                    scan.accept(chunk);
                }
                BodyInspection.Valid v = (BodyInspection.Valid) scan.finish();
                sink += v.prompt().utf8().length + v.prompt().tokenEstimate();
            }
            System.out.printf(Locale.ROOT, "round %d: %d-byte body, cpu %.3f ms, wall %.3f ms per request%n", round,
                    body.length, (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / iterations,
                    (System.nanoTime() - wall) / 1e6 / iterations);
        }
        System.out.println("(checksum " + sink + ")");
    }
}
