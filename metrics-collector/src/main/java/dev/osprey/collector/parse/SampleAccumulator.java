package dev.osprey.collector.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Collects the selected values of one page: per signal the value of the earliest selector (mapping order), first
 * series wins; for LoRA the spans of the series with the largest value. Single-use, single-threaded.
 */
final class SampleAccumulator {

    private static final int SIGNALS = Signal.values().length;

    private final CompiledMapping mapping;
    private final byte[] page;
    private final int[] bestSelector = new int[SIGNALS];
    private final double[] values = new double[SIGNALS];
    private final int[] loraSpans = new int[6];
    private double loraValue = Double.NEGATIVE_INFINITY;
    private boolean loraFound;
    private int malformedLines;

    SampleAccumulator(CompiledMapping mapping, byte[] page) {
        this.mapping = mapping;
        this.page = page;
        java.util.Arrays.fill(bestSelector, Integer.MAX_VALUE);
    }

    void malformed() {
        malformedLines++;
    }

    /** Offers one series line of {@code family}: captured label spans and the sample value (NaN if unreadable). */
    void offer(CompiledMapping.Family family, int[] spans, double sampleValue) {
        boolean used = false;
        boolean bad = false;
        for (CompiledMapping.Selector selector : family.selectors()) {
            if (!selector.matches(page, spans)) {
                continue;
            }
            if (selector.signal() == Signal.LORA_INFO) {
                if (!Double.isFinite(sampleValue)) {
                    bad = true;
                } else if (!loraFound || sampleValue > loraValue) {
                    loraFound = true;
                    loraValue = sampleValue;
                    for (int i = 0; i < 3; i++) {
                        int slot = selector.loraSlots()[i];
                        loraSpans[2 * i] = spans[2 * slot];
                        loraSpans[2 * i + 1] = spans[2 * slot + 1];
                    }
                }
                used = true;
                continue;
            }
            int signal = selector.signal().ordinal();
            if (selector.index() >= bestSelector[signal]) {
                used = true;
                continue;
            }
            double value = sampleValue;
            if (selector.valueSlot() >= 0) {
                int start = spans[2 * selector.valueSlot()];
                value = start < 0 ? Double.NaN : PageBytes.parseDouble(page, start, spans[2 * selector.valueSlot() + 1]);
            }
            if (!Double.isFinite(value) || value < 0) {
                bad = true;
                continue;
            }
            bestSelector[signal] = selector.index();
            values[signal] = value;
            used = true;
        }
        if (bad && !used) {
            malformedLines++;
        }
    }

    ParseResult result() {
        List<String> missing = new ArrayList<>();
        for (Signal signal : Signal.values()) {
            if (signal.required() && !has(signal)) {
                missing.add(mapping.mapping().primaryMetric(signal));
            }
        }
        if (!missing.isEmpty()) {
            return new ParseResult.Failed("missing " + String.join(", ", missing) + " for engine "
                    + mapping.mapping().engine().label()
                    + (malformedLines > 0 ? "; " + malformedLines + " malformed line(s) of mapped metrics" : ""));
        }
        List<String> running = List.of();
        List<String> waiting = List.of();
        OptionalInt maxLora = OptionalInt.empty();
        if (loraFound) {
            maxLora = intOf(loraSpans[0], loraSpans[1]);
            running = names(loraSpans[2], loraSpans[3]);
            waiting = names(loraSpans[4], loraSpans[5]);
        }
        ParsedMetrics metrics = new ParsedMetrics(count(Signal.WAITING), count(Signal.RUNNING),
                Math.min(1.0, values[Signal.KV_UTILIZATION.ordinal()]), running, waiting, maxLora,
                has(Signal.BLOCK_SIZE) ? OptionalInt.of(count(Signal.BLOCK_SIZE)) : OptionalInt.empty(),
                has(Signal.NUM_GPU_BLOCKS) ? OptionalLong.of((long) values[Signal.NUM_GPU_BLOCKS.ordinal()])
                        : OptionalLong.empty(),
                optional(Signal.PREFIX_CACHE_QUERIES), optional(Signal.PREFIX_CACHE_HITS));
        return new ParseResult.Parsed(metrics, malformedLines);
    }

    private boolean has(Signal signal) {
        return bestSelector[signal.ordinal()] != Integer.MAX_VALUE;
    }

    private int count(Signal signal) {
        double value = values[signal.ordinal()];
        return value >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.round(value);
    }

    private OptionalDouble optional(Signal signal) {
        return has(signal) ? OptionalDouble.of(values[signal.ordinal()]) : OptionalDouble.empty();
    }

    private OptionalInt intOf(int start, int end) {
        if (start < 0) {
            return OptionalInt.empty();
        }
        double value = PageBytes.parseDouble(page, start, end);
        return Double.isFinite(value) && value >= 0 && value <= Integer.MAX_VALUE
                ? OptionalInt.of((int) value) : OptionalInt.empty();
    }

    private List<String> names(int start, int end) {
        if (start < 0 || start == end) {
            return List.of();
        }
        String csv = PageBytes.labelValue(page, start, end);
        List<String> names = new ArrayList<>();
        for (String name : csv.split(",", -1)) {
            String trimmed = name.trim();
            if (!trimmed.isEmpty()) {
                names.add(trimmed);
            }
        }
        return names;
    }
}
