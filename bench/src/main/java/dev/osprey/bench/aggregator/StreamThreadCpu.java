package dev.osprey.bench.aggregator;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of one Kafka Streams application's stream threads in this JVM (threads named
 * {@code <application id>-<uuid>-StreamThread-<n>}): a measure of the aggregator's own work that, unlike elapsed
 * time, does not grow when other processes compete for the cores.
 */
final class StreamThreadCpu {

    private final String applicationId;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    StreamThreadCpu(String applicationId) {
        this.applicationId = applicationId;
    }

    /** The summed CPU time of the live stream threads, in nanoseconds (0 when the JVM cannot measure it). */
    long nanos() {
        if (!threads.isThreadCpuTimeSupported()) {
            return 0;
        }
        long total = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(applicationId + "-")
                    && info.getThreadName().contains("-StreamThread-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
