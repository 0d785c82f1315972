package dev.osprey.collector.parse;

import java.util.Arrays;
import java.util.Objects;

/**
 * A selective parser of the Prometheus text exposition format for one {@link EngineMapping}. It walks the page
 * line by line. Comments, and sample lines whose first 16 bytes rule out every mapped family name (two 8-byte reads
 * and a few masked compares), are skipped with a word-at-a-time (SWAR) search for the newline, so the histograms and
 * unmapped families that make up most of a page cost about a memory scan. The remaining lines have their metric
 * name compared with the mapped family names (length first, then bytes). Only mapped lines have their labels located; only the needed label values are ever turned into
 * strings.
 *
 * <p>Lines that cannot be read (truncated labels, missing or non-finite values, negative counts) are skipped and
 * counted; a page lacking a required signal gives {@link ParseResult.Failed}. No input makes it throw.
 *
 * <p>Immutable and thread-safe: all per-page state lives in the call.
 */
public final class PrometheusPageParser {

    private final CompiledMapping mapping;

    private PrometheusPageParser(EngineMapping mapping) {
        this.mapping = new CompiledMapping(mapping);
    }

    /** A parser for {@code mapping}. */
    public static PrometheusPageParser of(EngineMapping mapping) {
        return new PrometheusPageParser(Objects.requireNonNull(mapping, "mapping"));
    }

    /** A parser for the built-in mapping of {@code engine}. */
    public static PrometheusPageParser forEngine(EngineType engine) {
        return of(EngineMapping.builtIn(engine));
    }

    /** The mapping this parser applies. */
    public EngineMapping mapping() {
        return mapping.mapping();
    }

    /** Parses a whole page. */
    public ParseResult parse(byte[] page) {
        return parse(page, page.length);
    }

    /** Parses {@code page[0, length)}. */
    public ParseResult parse(byte[] page, int length) {
        return parse(page, 0, length);
    }

    /** Parses {@code page[from, to)}. */
    public ParseResult parse(byte[] page, int from, int to) {
        Objects.requireNonNull(page, "page");
        if (from < 0 || to < from || to > page.length) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside page of " + page.length
                    + " bytes");
        }
        int length = to;
        SampleAccumulator accumulator = new SampleAccumulator(mapping, page);
        int[] spans = new int[2 * Math.max(1, mapping.maxSlots())];
        int pos = from;
        while (pos < length) {
            byte first = page[pos];
            if (first == '#' || (first != ' ' && first != '\t' && pos + CompiledMapping.PREFIX_BYTES <= page.length
                    && !mapping.mayStartFamily(page, pos))) {
                pos = PageBytes.indexOfNewline(page, pos, length) + 1;
                continue;
            }
            int end = PageBytes.indexOfNewline(page, pos, length);
            parseLine(page, pos, end, accumulator, spans);
            pos = end + 1;
        }
        return accumulator.result();
    }

    private void parseLine(byte[] page, int start, int end, SampleAccumulator accumulator, int[] spans) {
        int p = start;
        while (p < end && (page[p] == ' ' || page[p] == '\t')) {
            p++;
        }
        if (p >= end || page[p] == '#') {
            return;
        }
        int nameStart = p;
        while (p < end && page[p] != '{' && page[p] != ' ' && page[p] != '\t') {
            p++;
        }
        int familyIndex = mapping.familyIndex(page, nameStart, p - nameStart);
        if (familyIndex < 0) {
            return;
        }
        CompiledMapping.Family family = mapping.family(familyIndex);
        Arrays.fill(spans, 0, 2 * family.labelNames().length, -1);
        p = skipBlanks(page, p, end);
        if (p < end && page[p] == '{') {
            p = readLabels(page, p + 1, end, family, spans);
            if (p < 0) {
                accumulator.malformed();
                return;
            }
        }
        p = skipBlanks(page, p, end);
        int valueStart = p;
        while (p < end && page[p] != ' ' && page[p] != '\t' && page[p] != '\r') {
            p++;
        }
        if (p == valueStart) {
            accumulator.malformed();
            return;
        }
        accumulator.offer(family, spans, PageBytes.parseDouble(page, valueStart, p));
    }

    /**
     * Reads {@code name="value",...}} from {@code p} (just after the brace), capturing the spans of the family's
     * interesting labels (first occurrence wins). Returns the position after the closing brace, or -1 if malformed.
     */
    private static int readLabels(byte[] page, int p, int end, CompiledMapping.Family family, int[] spans) {
        while (true) {
            p = skipBlanks(page, p, end);
            if (p >= end) {
                return -1;
            }
            if (page[p] == '}') {
                return p + 1;
            }
            int nameStart = p;
            while (p < end && page[p] != '=' && page[p] != ' ' && page[p] != ',' && page[p] != '}') {
                p++;
            }
            int nameEnd = p;
            p = skipBlanks(page, p, end);
            if (nameEnd == nameStart || p >= end || page[p] != '=') {
                return -1;
            }
            p = skipBlanks(page, p + 1, end);
            if (p >= end || page[p] != '"') {
                return -1;
            }
            p++;
            int valueStart = p;
            while (p < end && page[p] != '"') {
                p += page[p] == '\\' ? 2 : 1;
            }
            if (p >= end) {
                return -1;
            }
            int slot = family.slotOf(page, nameStart, nameEnd - nameStart);
            if (slot >= 0 && spans[2 * slot] < 0) {
                spans[2 * slot] = valueStart;
                spans[2 * slot + 1] = p;
            }
            p = skipBlanks(page, p + 1, end);
            if (p < end && page[p] == ',') {
                p++;
            } else if (p < end && page[p] != '}') {
                return -1;
            }
        }
    }

    private static int skipBlanks(byte[] page, int p, int end) {
        while (p < end && (page[p] == ' ' || page[p] == '\t')) {
            p++;
        }
        return p;
    }
}
