package dev.osprey.bench.aggregator;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of this JVM's Java threads grouped by role (thread names with ids, numbers and UUIDs stripped), so a
 * phase can say where its CPU went: stream thread, broker request handlers, client network threads, probes.
 * JIT compiler and GC threads are not Java threads and are not included.
 */
final class ThreadCpuBreakdown {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> startByThread = new HashMap<>();

    /** Starts measuring now. */
    ThreadCpuBreakdown() {
        for (long id : THREADS.getAllThreadIds()) {
            startByThread.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
        }
    }

    /** The CPU used per thread group since construction, largest first, as "group 1.23 s" items. */
    String report(int top) {
        Map<String, Long> byGroup = new HashMap<>();
        for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long used = Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()))
                    - startByThread.getOrDefault(info.getThreadId(), 0L);
            byGroup.merge(group(info.getThreadName()), used, Long::sum);
        }
        return byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue() / 1e9))
                .collect(Collectors.joining(", "));
    }

    private static String group(String name) {
        return name.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "*")
                .replaceAll("/tmp/\\S+", "*").replaceAll("\\d+", "N");
    }
}
