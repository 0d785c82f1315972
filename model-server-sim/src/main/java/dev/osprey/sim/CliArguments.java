package dev.osprey.sim;

import dev.osprey.sim.engine.LatencyProfile;
import dev.osprey.sim.metrics.MetricsDialect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Command-line flags of {@link Main}, parsed into one {@link SimConfig} per replica. Flags take
 * {@code --name value} or {@code --name=value}; an unknown flag or a bad value fails with a message
 * naming the flag. Stateless.
 */
final class CliArguments {

  /** Result of parsing: either help was asked for, or the replicas to start. */
  record Parsed(boolean help, List<SimConfig> replicas) {
  }

  /** A flag or value the user must fix. */
  static final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
      super(message);
    }
  }

  private static final Map<String, String> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("--host", "address to bind (default 127.0.0.1; any 127/8 address works)");
    FLAGS.put("--port", "first port (default 8000; 0 = ephemeral)");
    FLAGS.put("--model", "base model name (default meta-llama/Llama-3.1-8B-Instruct)");
    FLAGS.put("--replicas", "servers on consecutive ports (default 1)");
    FLAGS.put("--profile", "latency profile: " + LatencyProfile.BUILT_IN.stream()
        .map(LatencyProfile::name).collect(Collectors.joining(", ")) + " (default test)");
    FLAGS.put("--max-num-seqs", "sequences per step (default: the profile's)");
    FLAGS.put("--max-num-batched-tokens", "token budget per step (default: the profile's)");
    FLAGS.put("--num-gpu-blocks", "KV-cache blocks (default: the profile's)");
    FLAGS.put("--block-size", "tokens per KV block (default 16)");
    FLAGS.put("--max-model-len", "longest prompt + max_tokens (default 8192)");
    FLAGS.put("--no-prefix-caching", "disable the prefix cache (flag without value)");
    FLAGS.put("--max-loras", "LoRA adapters active per step (default 4)");
    FLAGS.put("--lora-modules", "comma-separated adapters served from start-up");
    FLAGS.put("--lora-load-time-ms", "time to load an adapter into a slot (default 5)");
    FLAGS.put("--metrics-dialect", "metric names: vllm, sglang, triton, trtllm-serve (default vllm)");
    FLAGS.put("--engine-label", "value of the engine label on metrics (default 0)");
    FLAGS.put("--eos-probability", "per-token chance of stopping early, 0..1 (default 0)");
    FLAGS.put("--error-rate", "fraction of inference requests that fail, 0..1 (default 0)");
    FLAGS.put("--error-status", "HTTP status of injected failures (default 503)");
    FLAGS.put("--scrape-delay-ms", "delay before /metrics answers (default 0)");
    FLAGS.put("--hang-scrapes", "/metrics never answers (flag without value)");
    FLAGS.put("--garbage-metrics", "/metrics answers with an unparsable page (flag without value)");
    FLAGS.put("--seed", "seed of all random choices (default 42)");
    FLAGS.put("--help", "print this help and exit");
  }

  private static final List<String> SWITCHES =
      List.of("--no-prefix-caching", "--hang-scrapes", "--garbage-metrics", "--help");

  private CliArguments() {
  }

  /** The {@code --help} text. */
  static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: java -jar osprey-model-server-sim.jar [flags]\n\n")
        .append("A vLLM-compatible model-server simulator with a step-level engine model.\n")
        .append("Endpoints: /v1/completions /v1/chat/completions /v1/models /metrics /health\n")
        .append("           /v1/load_lora_adapter /v1/unload_lora_adapter\n\nFlags:\n");
    FLAGS.forEach((flag, doc) -> sb.append(String.format("  %-26s %s%n", flag, doc)));
    sb.append("\nProfiles:\n");
    LatencyProfile.BUILT_IN.forEach(p ->
        sb.append(String.format("  %-12s %s%n", p.name(), p.description())));
    return sb.toString();
  }

  static Parsed parse(String[] args) throws CliException {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!FLAGS.containsKey(flag)) {
        throw new CliException("unknown flag: " + arg + " (see --help)");
      }
      if (SWITCHES.contains(flag)) {
        if (value != null) {
          throw new CliException(flag + " takes no value");
        }
        value = "true";
      } else if (value == null) {
        if (i + 1 >= args.length) {
          throw new CliException(flag + " needs a value");
        }
        value = args[++i];
      }
      values.put(flag, value);
    }
    if (values.containsKey("--help")) {
      return new Parsed(true, List.of());
    }
    return new Parsed(false, replicas(values));
  }

  private static List<SimConfig> replicas(Map<String, String> v) throws CliException {
    SimConfig c = SimConfig.defaults(v.getOrDefault("--host", "127.0.0.1"),
        integer(v, "--port", 8000), v.getOrDefault("--model", "meta-llama/Llama-3.1-8B-Instruct"));
    try {
      if (v.containsKey("--profile")) {
        String name = v.get("--profile");
        c = c.withProfile(LatencyProfile.byName(name).orElseThrow(() -> new CliException(
            "--profile: unknown profile '" + name + "'")));
      }
      c = c.withMaxNumSeqs(integer(v, "--max-num-seqs", c.maxNumSeqs()))
          .withMaxNumBatchedTokens(integer(v, "--max-num-batched-tokens", c.maxNumBatchedTokens()))
          .withNumGpuBlocks(integer(v, "--num-gpu-blocks", c.numGpuBlocks()))
          .withBlockSize(integer(v, "--block-size", c.blockSize()))
          .withMaxModelLen(integer(v, "--max-model-len", c.maxModelLen()))
          .withPrefixCaching(!v.containsKey("--no-prefix-caching"))
          .withMaxLoras(integer(v, "--max-loras", c.maxLoras()))
          .withLoraLoadTime(Duration.ofMillis(integer(v, "--lora-load-time-ms",
              (int) c.loraLoadTime().toMillis())))
          .withEngineLabel(v.getOrDefault("--engine-label", c.engineLabel()))
          .withEosProbability(decimal(v, "--eos-probability", c.eosProbability()))
          .withSeed(integer(v, "--seed", (int) c.seed()));
      if (v.containsKey("--lora-modules")) {
        c = c.withLoraAdapters(Arrays.stream(v.get("--lora-modules").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).toList());
      }
      if (v.containsKey("--metrics-dialect")) {
        String name = v.get("--metrics-dialect");
        c = c.withMetricsDialect(MetricsDialect.byName(name).orElseThrow(() -> new CliException(
            "--metrics-dialect: unknown dialect '" + name + "'")));
      }
      FailureInjection f = FailureInjection.none()
          .withErrorRate(decimal(v, "--error-rate", 0.0), integer(v, "--error-status", 503))
          .withScrapeDelay(Duration.ofMillis(integer(v, "--scrape-delay-ms", 0)))
          .withHangScrapes(v.containsKey("--hang-scrapes"))
          .withGarbageMetrics(v.containsKey("--garbage-metrics"));
      c = c.withFailures(f);
    } catch (IllegalArgumentException e) {
      throw new CliException("invalid configuration: " + e.getMessage());
    }
    int replicas = integer(v, "--replicas", 1);
    if (replicas < 1) {
      throw new CliException("--replicas must be >= 1: " + replicas);
    }
    if (replicas > 1 && c.port() == 0) {
      throw new CliException("--replicas > 1 needs a fixed --port");
    }
    List<SimConfig> out = new ArrayList<>();
    for (int r = 0; r < replicas; r++) {
      out.add(c.withPort(c.port() + r));
    }
    return out;
  }

  private static int integer(Map<String, String> v, String flag, int fallback)
      throws CliException {
    String s = v.get(flag);
    if (s == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new CliException(flag + ": not an integer: '" + s + "'");
    }
  }

  private static double decimal(Map<String, String> v, String flag, double fallback)
      throws CliException {
    String s = v.get(flag);
    if (s == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new CliException(flag + ": not a number: '" + s + "'");
    }
  }
}
