package dev.osprey.sim.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Which model server's metric names {@code /metrics} uses (DESIGN.md section 4). */
public enum MetricsDialect {
  /** vLLM V1 names ({@code vllm:*}), the default. */
  VLLM("vllm"),
  /** SGLang names ({@code sglang:*}). */
  SGLANG("sglang"),
  /** TensorRT-LLM behind Triton ({@code nv_trt_llm_*}). */
  TRITON("triton"),
  /** TensorRT-LLM's own OpenAI server ({@code trtllm_*}). */
  TRTLLM_SERVE("trtllm-serve");

  private final String cliName;

  MetricsDialect(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in the pod label {@code engine-type}. */
  public String cliName() {
    return cliName;
  }

  /** Parses a CLI name, ignoring case. */
  public static Optional<MetricsDialect> byName(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(d -> d.cliName.equals(wanted)).findFirst();
  }
}
