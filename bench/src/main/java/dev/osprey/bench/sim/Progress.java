package dev.osprey.bench.sim;

import java.io.PrintStream;

/** A one-line progress bar on a terminal stream (stderr), redrawn in place. */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final long total;
    private long base;
    private String label = "";
    private int lastPercent = -1;

    Progress(PrintStream out, long total) {
        this.out = out;
        this.total = Math.max(1, total);
    }

    /** Starts a new variant; {@code done} requests of earlier variants count as finished. */
    void begin(String newLabel, long done) {
        this.label = newLabel;
        this.base = done;
        lastPercent = -1;
        update(0);
    }

    /** {@code resolved} requests of the current variant are done. */
    void update(int resolved) {
        long doneAll = base + resolved;
        int percent = (int) (100 * doneAll / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = WIDTH * percent / 100;
        out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + String.format("%3d%%", percent)
                + " " + String.format("%-40s", label));
        out.flush();
    }

    void finish() {
        out.println();
    }
}
