package dev.osprey.collector.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link EngineMapping} turned into byte arrays for the scanner: one entry per distinct family name, each with
 * the label names worth capturing (slots) and its selectors. Immutable.
 */
final class CompiledMapping {

    /** One selector: which slots must hold which values, and where the signal comes from. */
    record Selector(int index, Signal signal, int[] requiredSlots, byte[][] requiredValues, int valueSlot,
            int[] loraSlots) {

        boolean matches(byte[] page, int[] spans) {
            for (int i = 0; i < requiredSlots.length; i++) {
                int slot = requiredSlots[i];
                int start = spans[2 * slot];
                if (start < 0 || !PageBytes.equalsAt(page, start, spans[2 * slot + 1] - start, requiredValues[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** One family: its name, the label names captured into slots, and its selectors in mapping order. */
    record Family(byte[] name, byte[][] labelNames, Selector[] selectors) {

        /** The slot of the label named {@code page[from, from + length)}, or -1 when not captured. */
        int slotOf(byte[] page, int from, int length) {
            for (int i = 0; i < labelNames.length; i++) {
                if (PageBytes.equalsAt(page, from, length, labelNames[i])) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** How many leading bytes of a name the quick filter compares. */
    static final int PREFIX_BYTES = 16;

    private final EngineMapping mapping;
    private final Family[] families;
    private final int maxSlots;
    private final long[] prefixLow;
    private final long[] prefixHigh;
    private final long[] maskLow;
    private final long[] maskHigh;

    CompiledMapping(EngineMapping mapping) {
        this.mapping = mapping;
        Map<String, List<Integer>> selectorsByFamily = new LinkedHashMap<>();
        List<SeriesSelector> selectors = mapping.selectors();
        for (int i = 0; i < selectors.size(); i++) {
            selectorsByFamily.computeIfAbsent(selectors.get(i).metric(), k -> new ArrayList<>()).add(i);
        }
        List<Family> compiled = new ArrayList<>();
        int widest = 0;
        for (Map.Entry<String, List<Integer>> entry : selectorsByFamily.entrySet()) {
            List<String> labelNames = new ArrayList<>();
            List<Selector> familySelectors = new ArrayList<>();
            for (int index : entry.getValue()) {
                familySelectors.add(compile(index, selectors.get(index), labelNames));
            }
            byte[][] names = labelNames.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            compiled.add(new Family(entry.getKey().getBytes(StandardCharsets.US_ASCII), names,
                    familySelectors.toArray(new Selector[0])));
            widest = Math.max(widest, names.length);
        }
        this.families = compiled.toArray(new Family[0]);
        this.maxSlots = widest;
        List<long[]> prefixes = new ArrayList<>();
        for (Family family : families) {
            long[] prefix = prefix(family.name());
            if (prefixes.stream().noneMatch(p -> java.util.Arrays.equals(p, prefix))) {
                prefixes.add(prefix);
            }
        }
        this.prefixLow = prefixes.stream().mapToLong(p -> p[0]).toArray();
        this.prefixHigh = prefixes.stream().mapToLong(p -> p[1]).toArray();
        this.maskLow = prefixes.stream().mapToLong(p -> p[2]).toArray();
        this.maskHigh = prefixes.stream().mapToLong(p -> p[3]).toArray();
    }

    /** The first 16 bytes of {@code name} as two little-endian longs, and the masks of the bytes the name has. */
    private static long[] prefix(byte[] name) {
        long[] out = new long[4];
        for (int i = 0; i < Math.min(PREFIX_BYTES, name.length); i++) {
            int word = i / Long.BYTES;
            int shift = 8 * (i % Long.BYTES);
            out[word] |= (name[i] & 0xFFL) << shift;
            out[2 + word] |= 0xFFL << shift;
        }
        return out;
    }

    /**
     * A quick filter: false only when no mapped family name can start at {@code pos}, judged by its first 16 bytes
     * (two long reads and a few compares instead of scanning the name). Needs {@code pos + 16 <= page.length}.
     */
    boolean mayStartFamily(byte[] page, int pos) {
        long low = (long) PageBytes.LONGS.get(page, pos);
        long high = (long) PageBytes.LONGS.get(page, pos + Long.BYTES);
        for (int i = 0; i < prefixLow.length; i++) {
            if ((low & maskLow[i]) == prefixLow[i] && (high & maskHigh[i]) == prefixHigh[i]) {
                return true;
            }
        }
        return false;
    }

    private static Selector compile(int index, SeriesSelector selector, List<String> labelNames) {
        int[] required = new int[selector.labels().size()];
        byte[][] values = new byte[required.length][];
        int i = 0;
        for (Map.Entry<String, String> label : selector.labels().entrySet()) {
            required[i] = slot(labelNames, label.getKey());
            values[i] = label.getValue().getBytes(StandardCharsets.UTF_8);
            i++;
        }
        int valueSlot = selector.valueLabel().map(l -> slot(labelNames, l)).orElse(-1);
        int[] loraSlots = selector.signal() == Signal.LORA_INFO
                ? new int[] {slot(labelNames, EngineMapping.MAX_LORA), slot(labelNames, EngineMapping.RUNNING_LORA_ADAPTERS),
                    slot(labelNames, EngineMapping.WAITING_LORA_ADAPTERS)}
                : new int[0];
        return new Selector(index, selector.signal(), required, values, valueSlot, loraSlots);
    }

    private static int slot(List<String> labelNames, String name) {
        int existing = labelNames.indexOf(name);
        if (existing >= 0) {
            return existing;
        }
        labelNames.add(name);
        return labelNames.size() - 1;
    }

    EngineMapping mapping() {
        return mapping;
    }

    /** The most label slots of any family. */
    int maxSlots() {
        return maxSlots;
    }

    int selectorCount() {
        return mapping.selectors().size();
    }

    /** The index of the family named exactly {@code page[from, from + length)}, or -1 when it is not mapped. */
    int familyIndex(byte[] page, int from, int length) {
        for (int i = 0; i < families.length; i++) {
            if (PageBytes.equalsAt(page, from, length, families[i].name())) {
                return i;
            }
        }
        return -1;
    }

    Family family(int index) {
        return families[index];
    }
}
