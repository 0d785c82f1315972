package dev.osprey.collector.parse;

import java.util.Locale;

/**
 * A plain main-method loop measuring how fast the vLLM parser reads the ~40 KB fixture page. Not a test and not a
 * rigorous benchmark (no JMH): it warms up, then reports pages and megabytes per second over a few timed rounds.
 * Run: {@code java -cp metrics-collector/target/classes:metrics-collector/target/test-classes
 * dev.osprey.collector.parse.ParseThroughput [seconds-per-round]}.
 */
public final class ParseThroughput {

    private ParseThroughput() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        byte[] page = Pages.bytes("vllm.txt");
        PrometheusPageParser parser = PrometheusPageParser.forEngine(EngineType.VLLM);
        long sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += checksum(parser.parse(page));
        }
        for (int round = 1; round <= 5; round++) {
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            long pages = 0;
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < 100; i++) {
                    sink += checksum(parser.parse(page));
                }
                pages += 100;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "round %d: %,.0f pages/s, %.1f MB/s, %.2f us/page (%d bytes/page)%n", round,
                    pages / elapsed, pages * (double) page.length / elapsed / 1e6, elapsed * 1e6 / pages, page.length);
        }
        System.out.println("checksum " + sink);
    }

    private static long checksum(ParseResult result) {
        return result instanceof ParseResult.Parsed parsed ? parsed.metrics().waitingRequests() : -1;
    }
}
