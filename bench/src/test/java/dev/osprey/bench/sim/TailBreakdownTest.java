package dev.osprey.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --trace}: per-request traces and the tail breakdown with its clairvoyant bound. */
class TailBreakdownTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8);

    private static RequestTrace onServer(int index, int server, long arrivalMs, long finishMs, int[] waiting,
            int[] running) {
        return new RequestTrace(index, 0, server, arrivalMs * 1_000_000, 10, 10, 0, 0, 0, finishMs * 1_000_000, 0,
                waiting, running, waiting, new double[waiting.length]);
    }

    @Test
    void slotWaitIsTheTimeUntilTheServerFinishesOneMoreRequestThanAreWaiting() {
        int[] waiting = {1, 0};
        int[] full = {2, 2};
        // server 0 holds three requests (limit 2, so one waits) finishing at 500, 300 and 900 ms
        List<RequestTrace> s0 = List.of(onServer(0, 0, 0, 500, waiting, full), onServer(1, 0, 10, 300, waiting, full),
                onServer(2, 0, 20, 900, waiting, full));
        RequestTrace t = onServer(3, 0, 100, 1_000, waiting, full);
        assertThat(TailBreakdown.slotWaitMs(s0, t, 0, 2)).isEqualTo(400.0); // second finish after 100 ms: 500
        assertThat(TailBreakdown.slotWaitMs(s0, t, 0, 3)).isZero(); // below the limit there is no wait
    }

    @Test
    void traceRunWritesOneLinePerCompletedRequestAndTheTail(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("tiny.yaml");
        Files.writeString(scenario, """
                seed: 5
                pool: {servers: 2, profile: test, maxNumSeqs: 2}
                workload:
                  stages: [{rate: 300, durationS: 1}]
                  promptTokens: {dist: constant, mean: 64}
                  outputTokens: {dist: constant, mean: 30}
                strategies: [round-robin, least-request]
                """);
        int status = SimulateCommand.run(new String[] {"--scenario", scenario.toString(), "--out",
            dir.resolve("out").toString(), "--trace"}, QUIET, QUIET);
        assertThat(status).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("out/trace/least-request.tsv"));
        assertThat(lines.get(0)).isEqualTo(RequestTrace.HEADER);
        StageResult stage = SimulateCommand.simulate(ScenarioLoader.load(scenario), dir, QUIET).get(1).stages().get(0);
        assertThat(lines).hasSize(1 + stage.completed());
        double busiest = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            String[] kv = f[14].split(",");
            assertThat(kv).hasSize(2);
            for (String usage : kv) {
                assertThat(Double.parseDouble(usage)).isBetween(0.0, 1.0);
                busiest = Math.max(busiest, Double.parseDouble(usage));
            }
            double queue = Double.parseDouble(f[6]);
            double prefill = Double.parseDouble(f[7]);
            double ttft = Double.parseDouble(f[8]);
            assertThat(ttft - queue - prefill).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01)); // overhead
        }
        assertThat(busiest).as("KV usage of a server holding requests at some dispatch").isPositive();
        String tail = Files.readString(dir.resolve("out/tail.md"));
        assertThat(tail).contains("## round-robin", "## least-request", "| 0 | 300 | ");
    }
}
