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

    private final EngineMapping mapping;
    private final Family[] families;
    private final int maxSlots;

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
