package dev.osprey.bench.aggregator;

import java.util.HashMap;
import java.util.Map;

import dev.osprey.bench.BrokerProcess;
import dev.osprey.bench.ThreadCpu;

/**
 * Where a phase's CPU went, by thread group ({@link ThreadCpu}: stream threads, broker handlers, client network
 * threads, probes, and the JVM's own JIT, GC and VM threads), plus a broker child process when there is one.
 */
final class ThreadCpuBreakdown {

    private final ThreadCpu start = ThreadCpu.snapshot();
    private final long brokerProcessStart = BrokerProcess.cpuNanos();

    /** The CPU used per thread group since construction, largest first, as "group 1.23 s" items. */
    String report(int top) {
        Map<String, Long> byGroup = new HashMap<>();
        ThreadCpu.snapshot().addSince(start, byGroup);
        byGroup.merge("broker JVM (child process)", BrokerProcess.cpuNanos() - brokerProcessStart, Long::sum);
        return ThreadCpu.seconds(byGroup, top);
    }
}
