package dev.osprey.bench.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Where the slowest first tokens of one variant come from ({@code simulate --trace}, written to tail.md): per stage,
 * the requests at or above the stage's TTFT p99, split into queue wait, prefill and the fixed response overhead,
 * with the waiting queues of the servers when they were dispatched; and a clairvoyant bound on what placement could
 * gain. The bound gives every request dispatched while all servers were at their sequence limit the slot wait of
 * the server that would have freed a slot for it first — computed from when the requests already on each server
 * really finished, which no picker can know — and leaves everything else as it was (first order: it ignores what
 * that move would do to later requests). If even that TTFT p99 misses a goal, placement cannot meet it.
 */
final class TailBreakdown {

    private TailBreakdown() {
    }

    /** One variant's section of tail.md. */
    static String markdown(String label, List<RequestTrace> traces, List<Scenario.Stage> stages, int maxNumSeqs,
            int servers) {
        StringBuilder sb = new StringBuilder("## ").append(label).append("\n\n");
        sb.append("| stage | rate | requests | TTFT p99 | ≥ p99: n | TTFT | queue | prefill | overhead | preempted "
                + "| waiting on chosen | least waiting | dispatched with all servers at the limit | clairvoyant "
                + "TTFT p99 |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<List<RequestTrace>> perServer = byServer(traces, servers);
        for (int s = 0; s < stages.size(); s++) {
            int stage = s;
            List<RequestTrace> in = traces.stream().filter(t -> t.stage() == stage).toList();
            if (in.isEmpty()) {
                continue;
            }
            double[] ttft = in.stream().mapToDouble(t -> t.ttftNanos() / 1e6).sorted().toArray();
            double p99 = ResultsAggregator.percentile(ttft, 99);
            List<RequestTrace> tail = in.stream().filter(t -> t.ttftNanos() / 1e6 >= p99).toList();
            double[] bounded = new double[in.size()];
            int atLimit = 0;
            for (int i = 0; i < in.size(); i++) {
                RequestTrace t = in.get(i);
                bounded[i] = t.ttftNanos() / 1e6;
                if (Arrays.stream(t.running()).allMatch(r -> r >= maxNumSeqs)) {
                    atLimit++;
                    double chosen = slotWaitMs(perServer.get(t.server()), t, t.server(), maxNumSeqs);
                    double best = chosen;
                    for (int k = 0; k < servers; k++) {
                        best = Math.min(best, slotWaitMs(perServer.get(k), t, k, maxNumSeqs));
                    }
                    bounded[i] -= chosen - best;
                }
            }
            Arrays.sort(bounded);
            sb.append(String.format(Locale.ROOT, "| %d | %s | %d | %.0f | %d | %.0f | %.0f | %.0f | %.0f | %d "
                            + "| %.1f | %.1f | %.0f %% | %.0f |%n", s, num(stages.get(s).rate()), in.size(), p99,
                    tail.size(), mean(tail, t -> t.ttftNanos() / 1e6), mean(tail, t -> t.queueNanos() / 1e6),
                    mean(tail, t -> t.prefillNanos() / 1e6),
                    mean(tail, t -> (t.ttftNanos() - t.queueNanos() - t.prefillNanos()) / 1e6),
                    tail.stream().filter(t -> t.preemptions() > 0).count(), mean(tail, t -> t.waiting()[t.server()]),
                    mean(tail, t -> Arrays.stream(t.waiting()).min().orElse(0)), 100.0 * atLimit / in.size(),
                    ResultsAggregator.percentile(bounded, 99)));
        }
        return sb.append('\n').toString();
    }

    /**
     * How long {@code t} would have waited for a sequence slot on server {@code k}: 0 below the limit, else until the
     * (waiting + 1)-th of the requests then on {@code k} finished.
     */
    static double slotWaitMs(List<RequestTrace> onServer, RequestTrace t, int k, int maxNumSeqs) {
        if (t.running()[k] < maxNumSeqs) {
            return 0;
        }
        long now = t.arrivalNanos();
        List<Long> finishes = new ArrayList<>();
        for (RequestTrace o : onServer) {
            if (o.arrivalNanos() >= now) {
                break;
            }
            if (o.finishNanos() > now) {
                finishes.add(o.finishNanos());
            }
        }
        finishes.sort(Comparator.naturalOrder());
        int needed = t.waiting()[k];
        return needed < finishes.size() ? (finishes.get(needed) - now) / 1e6 : Double.POSITIVE_INFINITY;
    }

    private static List<List<RequestTrace>> byServer(List<RequestTrace> traces, int servers) {
        List<List<RequestTrace>> per = new ArrayList<>();
        for (int k = 0; k < servers; k++) {
            per.add(new ArrayList<>());
        }
        for (RequestTrace t : traces) {
            per.get(t.server()).add(t);
        }
        for (List<RequestTrace> l : per) {
            l.sort(Comparator.comparingLong(RequestTrace::arrivalNanos));
        }
        return per;
    }

    private static double mean(List<RequestTrace> l, java.util.function.ToDoubleFunction<RequestTrace> f) {
        return l.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
