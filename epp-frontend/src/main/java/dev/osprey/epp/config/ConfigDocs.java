package dev.osprey.epp.config;

import java.util.List;

/** Renders configuration definitions as the Markdown table used in {@code docs/}. */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    /** A table with columns key, default and meaning; pipes in values are escaped. */
    public static String markdownTable(List<ConfigDefinition> definitions) {
        StringBuilder sb = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (ConfigDefinition d : definitions) {
            sb.append("| `").append(d.key()).append("` | ")
                    .append(d.defaultValue().isEmpty() ? "(empty)" : "`" + d.defaultValue() + "`").append(" | ")
                    .append(d.doc().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }
}
