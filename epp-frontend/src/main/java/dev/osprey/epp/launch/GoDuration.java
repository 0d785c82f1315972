package dev.osprey.epp.launch;

/** Parses Go's duration syntax as upstream's flags use it ({@code 2s}, {@code 50ms}, {@code 1m30s}, {@code 1.5s}). */
final class GoDuration {

    private GoDuration() {
    }

    /**
     * @return whole milliseconds, at least 1 for a positive duration
     * @throws IllegalArgumentException naming {@code flag} when {@code text} is not a positive Go duration
     */
    static long toMillis(String flag, String text) {
        if (text.isEmpty()) {
            throw bad(flag, text);
        }
        double totalMs = 0;
        int i = 0;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw bad(flag, text);
            }
            double number;
            try {
                number = Double.parseDouble(text.substring(start, i));
            } catch (NumberFormatException e) {
                throw bad(flag, text);
            }
            int unitStart = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            totalMs += number * unitMs(text.substring(unitStart, i), flag, text);
        }
        if (totalMs <= 0) {
            throw bad(flag, text);
        }
        return Math.max(1, Math.round(totalMs));
    }

    private static double unitMs(String unit, String flag, String text) {
        return switch (unit) {
            case "ns" -> 1e-6;
            case "us", "µs" -> 1e-3;
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> throw bad(flag, text);
        };
    }

    private static IllegalArgumentException bad(String flag, String text) {
        return new IllegalArgumentException("--" + flag + " must be a positive duration such as 2s or 200ms, got '"
                + text + "'");
    }
}
