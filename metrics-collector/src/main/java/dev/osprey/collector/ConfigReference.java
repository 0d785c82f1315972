package dev.osprey.collector;

import java.util.List;

/**
 * Renders {@link CollectorConfig#definitions()} as the Markdown table of {@code docs/collector.md}, so the reference
 * is generated from the definitions and a test can prove the document matches them.
 */
public final class ConfigReference {

    private ConfigReference() {
    }

    /** A Markdown table: key, default, meaning; one row per definition in definition order. */
    public static String markdown(List<ConfigKey> keys) {
        StringBuilder out = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (ConfigKey key : keys) {
            out.append("| `").append(key.key()).append("` | `").append(key.defaultValue()).append("` | ")
                    .append(key.doc().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    /** Prints the table of the collector's keys (to paste into the docs). */
    public static void main(String[] args) {
        System.out.print(markdown(CollectorConfig.definitions()));
    }
}
