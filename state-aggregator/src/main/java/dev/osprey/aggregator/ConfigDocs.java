package dev.osprey.aggregator;

import java.util.List;

/**
 * Renders {@link AggregatorConfig#definitions()} as the Markdown table of {@code docs/aggregator.md}, so the
 * documentation is generated from the definitions and a test keeps the two identical.
 */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    /** The configuration reference table, one row per key in definition order, ending with a newline. */
    public static String markdownTable() {
        return markdownTable(AggregatorConfig.definitions());
    }

    static String markdownTable(List<ConfigKey> keys) {
        StringBuilder table = new StringBuilder("| key | default | description |\n|---|---|---|\n");
        for (ConfigKey key : keys) {
            table.append("| `").append(key.name()).append("` | ")
                    .append(defaultCell(key))
                    .append(" | ").append(key.doc().replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }

    private static String defaultCell(ConfigKey key) {
        if (key.isRequired()) {
            return "(required)";
        }
        String value = key.defaultValue().orElseThrow();
        return value.isEmpty() ? "(empty)" : "`" + value + "`";
    }

    /** Prints the table, for regenerating the documentation. */
    public static void main(String[] args) {
        System.out.print(markdownTable());
    }
}
