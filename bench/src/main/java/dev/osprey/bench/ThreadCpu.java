package dev.osprey.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time per thread group between two snapshots, to attribute a run's CPU to the driver, the gRPC transport, the
 * event publisher, the broker and the JVM itself. Java threads are grouped by name (digits folded); the JVM's own
 * threads, which {@link ThreadMXBean} does not list, are read from {@code /proc/self/task} on Linux and grouped as
 * {@code jvm GC} (G1's parallel, concurrent and refinement threads), {@code jvm JIT} (C1/C2 compiler threads) and
 * {@code jvm VM} (VM thread, periodic tasks, service threads). Not thread-safe.
 */
public final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final File TASKS = new File("/proc/self/task");
    private final Map<Long, Long> cpuById = new HashMap<>();
    private final Map<Long, String> groupById = new HashMap<>();
    /** Native threads of the JVM by task id (negated, so they never collide with Java thread ids). */
    private final Map<Long, Long> nativeCpu = new HashMap<>();
    private final Map<Long, String> nativeGroup = new HashMap<>();

    private ThreadCpu() {
    }

    public static ThreadCpu snapshot() {
        ThreadCpu s = new ThreadCpu();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(t.getThreadId());
            if (cpu >= 0) {
                s.cpuById.put(t.getThreadId(), cpu);
                s.groupById.put(t.getThreadId(), group(t.getThreadName()));
            }
        }
        s.readJvmThreads();
        return s;
    }

    /** CPU nanoseconds by thread group from {@code before} to this snapshot, added into {@code into}. */
    public void addSince(ThreadCpu before, Map<String, Long> into) {
        cpuById.forEach((id, cpu) -> into.merge(groupById.get(id), cpu - before.cpuById.getOrDefault(id, 0L),
                Long::sum));
        nativeCpu.forEach((id, cpu) -> into.merge(nativeGroup.get(id), cpu - before.nativeCpu.getOrDefault(id, 0L),
                Long::sum));
    }

    /** The largest groups of {@code byGroup} in ms per request, as one line. */
    public static String perRequest(Map<String, Long> byGroup, int requests) {
        return largest(byGroup, 12).map(e -> String.format(Locale.ROOT, "%s %.3f; ", e.getKey(),
                e.getValue() / 1e6 / Math.max(1, requests))).collect(Collectors.joining());
    }

    /** Sum of the groups whose name starts with {@code prefix}, in nanoseconds. */
    public static long sum(Map<String, Long> byGroup, String prefix) {
        return byGroup.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** The largest {@code top} groups of {@code byGroup} as "group 1.23 s" items, largest first. */
    public static String seconds(Map<String, Long> byGroup, int top) {
        return largest(byGroup, top).map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue() / 1e9))
                .collect(Collectors.joining(", "));
    }

    /** The {@code top} groups that used CPU, largest first. */
    private static Stream<Map.Entry<String, Long>> largest(Map<String, Long> byGroup, int top) {
        return byGroup.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top);
    }

    /** CPU time of this whole JVM in nanoseconds, or 0 when the platform does not report it. */
    public static long processNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** A Java thread's group: its name with UUIDs, temporary paths and numbers folded. */
    public static String group(String threadName) {
        return threadName.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "*")
                .replaceAll("/tmp/\\S+", "*").replaceAll("[0-9]+", "N");
    }

    /** The JVM's own threads (not visible to ThreadMXBean) from /proc: time on CPU in ns from schedstat. */
    private void readJvmThreads() {
        File[] tasks = TASKS.listFiles();
        if (tasks == null) {
            return;
        }
        for (File task : tasks) {
            try {
                String group = jvmGroup(Files.readString(Path.of(task.getPath(), "comm")).trim());
                if (group == null) {
                    continue;
                }
                String schedstat = Files.readString(Path.of(task.getPath(), "schedstat"));
                long id = -Long.parseLong(task.getName());
                nativeCpu.put(id, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
                nativeGroup.put(id, group);
            } catch (IOException | RuntimeException e) {
                // the thread ended between listing and reading: its time is lost to the attribution, not the total
            }
        }
    }

    /** The group of a JVM-internal thread by its (15-character) native name, or null for a Java thread. */
    private static String jvmGroup(String comm) {
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return "jvm GC";
        }
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return "jvm JIT";
        }
        if (comm.startsWith("VM ") || comm.startsWith("Service Thread") || comm.startsWith("Monitor Deflati")
                || comm.startsWith("Sweeper")) {
            return "jvm VM";
        }
        return null;
    }
}
