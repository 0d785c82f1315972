package dev.osprey.api;

import java.util.Locale;

/** How important a model's requests are: Critical &gt; Standard &gt; Sheddable. Unset means Standard. */
public enum Criticality {
    CRITICAL, STANDARD, SHEDDABLE;

    /**
     * Parses the CRD spelling ({@code Critical}, {@code Standard}, {@code Sheddable}), case-insensitively;
     * {@code null} or blank gives {@link #STANDARD}.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static Criticality parse(String value) {
        if (value == null || value.isBlank()) {
            return STANDARD;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "criticality must be Critical, Standard or Sheddable, got: " + value, e);
        }
    }
}
