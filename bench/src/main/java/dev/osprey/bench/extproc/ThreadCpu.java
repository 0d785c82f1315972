package dev.osprey.bench.extproc;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time per thread group (thread name with digits folded) between two snapshots, to attribute a run's CPU to the
 * driver, the gRPC transport, the event publisher and the broker. Not thread-safe.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> cpuById = new HashMap<>();
    private final Map<Long, String> groupById = new HashMap<>();

    private ThreadCpu() {
    }

    static ThreadCpu snapshot() {
        ThreadCpu s = new ThreadCpu();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(t.getThreadId());
            if (cpu >= 0) {
                s.cpuById.put(t.getThreadId(), cpu);
                s.groupById.put(t.getThreadId(), t.getThreadName().replaceAll("[0-9]+", "N"));
            }
        }
        return s;
    }

    /** CPU nanoseconds by thread group from {@code before} to this snapshot, added into {@code into}. */
    void addSince(ThreadCpu before, Map<String, Long> into) {
        cpuById.forEach((id, cpu) -> into.merge(groupById.get(id), cpu - before.cpuById.getOrDefault(id, 0L),
                Long::sum));
    }

    /** The largest groups of {@code byGroup} in ms per request, as one line. */
    static String perRequest(Map<String, Long> byGroup, int requests) {
        StringBuilder sb = new StringBuilder();
        byGroup.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(10)
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%s %.3f; ", e.getKey(),
                        e.getValue() / 1e6 / Math.max(1, requests))));
        return sb.toString();
    }
}
