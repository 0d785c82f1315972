package dev.osprey.bench.collector;

import java.util.concurrent.TimeUnit;

import dev.osprey.collector.parse.EngineType;
import dev.osprey.collector.parse.ParseResult;
import dev.osprey.collector.parse.PrometheusPageParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parser throughput on a synthetic vLLM page ({@link VllmPage}): pages per second on one thread. Multiply by the
 * page size printed at setup to get bytes per second (docs/benchmarks/collector.md does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParserBenchmark {

    /** Engine label values on the page: 2 gives a ~40 KB page. */
    @Param({"2"})
    public int engines;

    private byte[] page;
    private PrometheusPageParser parser;

    @Setup(Level.Trial)
    public void setUp() {
        page = VllmPage.render(engines);
        parser = PrometheusPageParser.forEngine(EngineType.VLLM);
        ParseResult result = parser.parse(page);
        if (!(result instanceof ParseResult.Parsed parsed) || parsed.metrics().waitingRequests() != 3) {
            throw new IllegalStateException("the benchmark page does not parse as expected: " + result);
        }
        System.out.println("page bytes: " + page.length);
    }

    @Benchmark
    public ParseResult parseVllmPage() {
        return parser.parse(page);
    }
}
