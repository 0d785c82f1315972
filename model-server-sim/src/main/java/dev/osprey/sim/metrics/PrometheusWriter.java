package dev.osprey.sim.metrics;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Writes Prometheus text exposition format 0.0.4. Label pairs are passed as alternating name and
 * value strings; values are escaped. Numbers are written the way Python's client writes them
 * ({@code 1.0}, {@code 0.25}, {@code +Inf}). Not thread-safe; one instance per page.
 */
public final class PrometheusWriter {

  private final StringBuilder out = new StringBuilder(8192);

  /** Writes the {@code # HELP} and {@code # TYPE} lines of a family. */
  public PrometheusWriter family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\")
        .replace("\n", "\\n")).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** Writes one sample line. */
  public PrometheusWriter sample(String name, double value, String... labels) {
    out.append(name);
    appendLabels(labels, null, null);
    out.append(' ').append(format(value)).append('\n');
    return this;
  }

  /** Writes a whole histogram family: help, type, buckets, +Inf, count and sum. */
  public PrometheusWriter histogram(String name, String help, HistogramSnapshot h,
      String... labels) {
    family(name, "histogram", help);
    for (int i = 0; i < h.bounds().length; i++) {
      out.append(name).append("_bucket");
      appendLabels(labels, "le", format(h.bounds()[i]));
      out.append(' ').append(format(h.cumulativeCounts()[i])).append('\n');
    }
    out.append(name).append("_bucket");
    appendLabels(labels, "le", "+Inf");
    out.append(' ').append(format(h.count())).append('\n');
    sample(name + "_count", h.count(), labels);
    sample(name + "_sum", h.sum(), labels);
    return this;
  }

  private void appendLabels(String[] labels, String extraName, String extraValue) {
    if (labels.length == 0 && extraName == null) {
      return;
    }
    out.append('{');
    boolean first = true;
    for (int i = 0; i + 1 < labels.length; i += 2) {
      first = appendLabel(first, labels[i], labels[i + 1]);
    }
    if (extraName != null) {
      appendLabel(first, extraName, extraValue);
    }
    out.append('}');
  }

  private boolean appendLabel(boolean first, String name, String value) {
    if (!first) {
      out.append(',');
    }
    out.append(name).append("=\"").append(value.replace("\\", "\\\\").replace("\"", "\\\"")
        .replace("\n", "\\n")).append('"');
    return false;
  }

  /** Formats a sample value like the Python client: {@code 3.0}, {@code 0.25}, {@code +Inf}. */
  public static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d.0", (long) v);
    }
    double abs = Math.abs(v);
    if (abs >= 1e-4 && abs < 1e16) {
      return new BigDecimal(Double.toString(v)).toPlainString();
    }
    String s = Double.toString(v).replace('E', 'e');
    return s.contains("e-") ? s : s.replace("e", "e+");
  }

  /** The page written so far. */
  @Override
  public String toString() {
    return out.toString();
  }
}
