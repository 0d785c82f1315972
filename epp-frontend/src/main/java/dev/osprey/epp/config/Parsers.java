package dev.osprey.epp.config;

import java.util.function.Function;

/** Value parsers for {@link ConfigKey}; each throws {@link IllegalArgumentException} with a short reason. */
public final class Parsers {

    private Parsers() {
    }

    /** A non-blank string. */
    public static Function<String, String> nonBlank() {
        return s -> {
            if (s.isBlank()) {
                throw new IllegalArgumentException("must not be blank");
            }
            return s;
        };
    }

    /** Any string, possibly empty. */
    public static Function<String, String> any() {
        return s -> s;
    }

    /** An int in {@code [min, max]}. */
    public static Function<String, Integer> intRange(int min, int max) {
        return s -> {
            int v;
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer", e);
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return v;
        };
    }

    /** A long in {@code [min, max]}. */
    public static Function<String, Long> longRange(long min, long max) {
        return s -> {
            long v;
            try {
                v = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer", e);
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return v;
        };
    }

    /** A double in {@code [min, max]}. */
    public static Function<String, Double> doubleRange(double min, double max) {
        return s -> {
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number", e);
            }
            if (!(v >= min && v <= max)) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return v;
        };
    }

    /** {@code true} or {@code false}, case-insensitively. */
    public static Function<String, Boolean> bool() {
        return s -> {
            if (s.equalsIgnoreCase("true")) {
                return true;
            }
            if (s.equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException("must be true or false");
        };
    }

    /** One of the enum's constants, case-insensitively, with '-' accepted for '_'. */
    public static <E extends Enum<E>> Function<String, E> enumOf(Class<E> type) {
        return s -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s.replace('-', '_'))) {
                    return e;
                }
            }
            throw new IllegalArgumentException("must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        };
    }
}
