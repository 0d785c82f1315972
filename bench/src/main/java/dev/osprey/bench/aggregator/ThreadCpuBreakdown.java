package dev.osprey.bench.aggregator;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.osprey.bench.BrokerProcess;

/**
 * CPU time of this process's threads grouped by role (thread names with ids, numbers and UUIDs stripped), so a
 * phase can say where its CPU went: stream thread, broker request handlers, client network threads, probes, and the
 * JVM's own threads. Java threads are measured through {@link ThreadMXBean} (full names); the JVM's JIT compiler,
 * GC and VM threads, which are not Java threads, are read from {@code /proc/self/task} (user + system time in
 * 10 ms clock ticks) where the system has it.
 */
final class ThreadCpuBreakdown {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Path TASKS = Path.of("/proc/self/task");
    /** USER_HZ, the unit of utime and stime in /proc: 100 on the Linux systems this runs on. */
    private static final double SECONDS_PER_TICK = 0.01;
    /** Native names (15 characters at most) of HotSpot's own threads. */
    private static final Pattern JVM_THREAD = Pattern.compile(
            "C[12] CompilerThre|GC Thread#\\d+|G1 .*|VM Thread|VM Periodic Tas|Sweeper thread");

    private final Map<Long, Long> startByThread = new HashMap<>();
    private final Map<String, Long> startByJvmTask;
    private final long brokerProcessStart = BrokerProcess.cpuNanos();

    /** Starts measuring now. */
    ThreadCpuBreakdown() {
        for (long id : THREADS.getAllThreadIds()) {
            startByThread.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
        }
        startByJvmTask = jvmTaskTicks(new HashMap<>());
    }

    /** The CPU used per thread group since construction, largest first, as "group 1.23 s" items. */
    String report(int top) {
        Map<String, Long> nanosByGroup = new HashMap<>();
        for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long used = Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()))
                    - startByThread.getOrDefault(info.getThreadId(), 0L);
            nanosByGroup.merge(group(info.getThreadName()), used, Long::sum);
        }
        Map<String, String> names = new HashMap<>();
        jvmTaskTicks(names).forEach((task, ticks) -> nanosByGroup.merge("JVM " + group(names.get(task)),
                (long) ((ticks - startByJvmTask.getOrDefault(task, 0L)) * SECONDS_PER_TICK * 1e9), Long::sum));
        nanosByGroup.merge("broker JVM (child process)", BrokerProcess.cpuNanos() - brokerProcessStart, Long::sum);
        return nanosByGroup.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue() / 1e9))
                .collect(Collectors.joining(", "));
    }

    /** CPU ticks of the JVM's own threads by task id; their names go into {@code names}. */
    private static Map<String, Long> jvmTaskTicks(Map<String, String> names) {
        Map<String, Long> ticks = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return ticks;
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> readStat(task, ticks, names));
        } catch (IOException e) {
            // an unreadable /proc: report the Java threads only
        }
        return ticks;
    }

    private static void readStat(Path task, Map<String, Long> ticks, Map<String, String> names) {
        try {
            // "tid (comm) state ..." then utime and stime as the 12th and 13th fields after the name
            String stat = Files.readString(task.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String name = stat.substring(open + 1, close);
            if (!JVM_THREAD.matcher(name).matches()) {
                return;
            }
            String[] fields = stat.substring(close + 2).split(" ");
            String id = task.getFileName().toString();
            ticks.put(id, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
            names.put(id, name);
        } catch (IOException | RuntimeException e) {
            // the thread ended between listing and reading
        }
    }

    private static String group(String name) {
        return name.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "*")
                .replaceAll("/tmp/\\S+", "*").replaceAll("\\d+", "N");
    }
}
