package dev.osprey.bench.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws one latency figure against offered rate, one line per variant, log-scale y, with java.awt headless.
 * When the ladder's rates are not increasing the x axis is the stage number instead.
 */
final class LatencyPlot {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};
    private static final int W = 900;
    private static final int H = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 220;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private LatencyPlot() {
    }

    static void write(Path file, String title, List<VariantResult> variants, ToDoubleFunction<StageResult> metric)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<StageResult> first = variants.get(0).stages();
        boolean byRate = increasing(first);
        double xMin = byRate ? first.get(0).rate() : 0;
        double xMax = byRate ? first.get(first.size() - 1).rate() : first.size() - 1;
        if (xMax <= xMin) {
            xMax = xMin + 1;
        }
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (VariantResult v : variants) {
            for (StageResult s : v.stages()) {
                double y = metric.applyAsDouble(s);
                if (y > 0 && Double.isFinite(y)) {
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
        }
        if (yMax == 0) {
            yMin = 1;
            yMax = 10;
        }
        double lo = Math.floor(Math.log10(yMin));
        double hi = Math.max(lo + 1, Math.ceil(Math.log10(yMax)));
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            int pw = W - LEFT - RIGHT;
            int ph = H - TOP - BOTTOM;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(new Color(0xdddddd));
            for (double d = lo; d <= hi; d++) {
                int y = TOP + ph - (int) ((d - lo) / (hi - lo) * ph);
                g.drawLine(LEFT, y, LEFT + pw, y);
                g.setColor(Color.DARK_GRAY);
                g.drawString(label(Math.pow(10, d)) + " ms", 8, y + 4);
                g.setColor(new Color(0xdddddd));
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(LEFT, TOP, pw, ph);
            for (int i = 0; i < first.size(); i++) {
                double xv = byRate ? first.get(i).rate() : i;
                int x = LEFT + (int) ((xv - xMin) / (xMax - xMin) * pw);
                g.drawLine(x, TOP + ph, x, TOP + ph + 4);
                g.drawString(byRate ? label(xv) : String.valueOf(i), x - 8, TOP + ph + 18);
            }
            g.drawString(byRate ? "offered rate (requests/s)" : "stage", LEFT + pw / 2 - 60, H - 15);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, LEFT, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setStroke(new BasicStroke(2f));
            for (int v = 0; v < variants.size(); v++) {
                g.setColor(COLORS[v % COLORS.length]);
                int px = -1;
                int py = -1;
                List<StageResult> stages = variants.get(v).stages();
                for (int i = 0; i < stages.size(); i++) {
                    double yv = metric.applyAsDouble(stages.get(i));
                    if (!(yv > 0) || !Double.isFinite(yv)) {
                        px = -1;
                        continue;
                    }
                    double xv = byRate ? stages.get(i).rate() : i;
                    int x = LEFT + (int) ((xv - xMin) / (xMax - xMin) * pw);
                    int y = TOP + ph - (int) ((Math.log10(yv) - lo) / (hi - lo) * ph);
                    g.fillOval(x - 3, y - 3, 7, 7);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
                int ly = TOP + 10 + v * 20;
                g.drawLine(LEFT + pw + 15, ly, LEFT + pw + 40, ly);
                g.setColor(Color.BLACK);
                g.drawString(variants.get(v).label(), LEFT + pw + 46, ly + 4);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static boolean increasing(List<StageResult> stages) {
        for (int i = 1; i < stages.size(); i++) {
            if (stages.get(i).rate() <= stages.get(i - 1).rate()) {
                return false;
            }
        }
        return stages.size() > 1;
    }

    private static String label(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.1f", v);
    }
}
