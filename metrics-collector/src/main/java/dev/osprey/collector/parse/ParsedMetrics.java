package dev.osprey.collector.parse;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The load of one endpoint as read from one metrics page. Counts are non-negative; KV utilization is clamped to
 * 0..1; adapter lists hold trimmed, non-empty names in page order. Optional signals are empty when the page did
 * not carry them.
 */
public record ParsedMetrics(int waitingRequests, int runningRequests, double kvCacheUtilization,
        List<String> runningLoraAdapters, List<String> waitingLoraAdapters, OptionalInt maxLoraSlots,
        OptionalInt blockSize, OptionalLong numGpuBlocks, OptionalDouble prefixCacheQueries,
        OptionalDouble prefixCacheHits) {

    public ParsedMetrics {
        runningLoraAdapters = List.copyOf(runningLoraAdapters);
        waitingLoraAdapters = List.copyOf(waitingLoraAdapters);
    }
}
