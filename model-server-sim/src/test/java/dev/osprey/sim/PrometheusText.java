package dev.osprey.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict parser of Prometheus text format 0.0.4 for tests: every sample must belong to a family
 * declared by {@code # TYPE} before it, and every line must parse.
 */
public final class PrometheusText {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final Map<String, String> types = new LinkedHashMap<>();
  private final Map<String, String> helps = new LinkedHashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  private PrometheusText() {
  }

  /** Parses a page; throws IllegalArgumentException naming the first bad line. */
  public static PrometheusText parse(String page) {
    PrometheusText p = new PrometheusText();
    for (String line : page.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# HELP ")) {
        String rest = line.substring(7);
        int sp = rest.indexOf(' ');
        p.helps.put(sp < 0 ? rest : rest.substring(0, sp), sp < 0 ? "" : rest.substring(sp + 1));
      } else if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ");
        if (parts.length != 2 || !List.of("gauge", "counter", "histogram", "summary", "untyped")
            .contains(parts[1])) {
          throw new IllegalArgumentException("bad TYPE line: " + line);
        }
        p.types.put(parts[0], parts[1]);
      } else if (line.startsWith("#")) {
        continue;
      } else {
        Sample s = sample(line);
        if (p.familyOf(s.name()).isEmpty()) {
          throw new IllegalArgumentException("sample without a TYPE: " + line);
        }
        p.samples.add(s);
      }
    }
    return p;
  }

  private Optional<String> familyOf(String sample) {
    if (types.containsKey(sample)) {
      return Optional.of(sample);
    }
    for (String suffix : List.of("_bucket", "_count", "_sum")) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        if ("histogram".equals(types.get(base))) {
          return Optional.of(base);
        }
      }
    }
    return Optional.empty();
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i))
        || line.charAt(i) == '_' || line.charAt(i) == ':')) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("bad metric name: " + line);
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq);
        if (!key.matches("[a-zA-Z_][a-zA-Z0-9_]*") || line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("bad label in: " + line);
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            value.append(n == 'n' ? '\n' : n);
          } else {
            value.append(c);
          }
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException("missing value: " + line);
    }
    String v = line.substring(i + 1).trim();
    double value = switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
    return new Sample(name, labels, value);
  }

  /** Declared type of a family, if any. */
  public Optional<String> type(String family) {
    return Optional.ofNullable(types.get(family));
  }

  /** True if the family has a HELP line. */
  public boolean hasHelp(String family) {
    return helps.containsKey(family);
  }

  /** All samples named exactly {@code name}. */
  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The value of the only sample named {@code name}. */
  public double value(String name) {
    List<Sample> found = samples(name);
    if (found.size() != 1) {
      throw new IllegalArgumentException(found.size() + " samples named " + name);
    }
    return found.get(0).value();
  }
}
