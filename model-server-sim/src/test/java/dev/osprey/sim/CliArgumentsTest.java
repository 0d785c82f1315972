package dev.osprey.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osprey.sim.engine.LatencyProfile;
import dev.osprey.sim.metrics.MetricsDialect;
import org.junit.jupiter.api.Test;

class CliArgumentsTest {

  @Test
  void replicasGetConsecutivePortsAndFlagsApply() throws Exception {
    CliArguments.Parsed p = CliArguments.parse(new String[] {"--port", "9100", "--replicas=3",
        "--host", "127.0.0.5", "--model", "m", "--profile", "h100-8b", "--max-num-seqs", "8",
        "--metrics-dialect", "sglang", "--lora-modules", "a, b", "--hang-scrapes"});
    assertThat(p.help()).isFalse();
    assertThat(p.replicas()).extracting(SimConfig::port).containsExactly(9100, 9101, 9102);
    SimConfig c = p.replicas().get(0);
    assertThat(c.host()).isEqualTo("127.0.0.5");
    assertThat(c.profile()).isEqualTo(LatencyProfile.H100_8B);
    assertThat(c.maxNumSeqs()).isEqualTo(8);
    assertThat(c.numGpuBlocks()).isEqualTo(LatencyProfile.H100_8B.numGpuBlocks());
    assertThat(c.metricsDialect()).isEqualTo(MetricsDialect.SGLANG);
    assertThat(c.loraAdapters()).containsExactly("a", "b");
    assertThat(c.failures().hangScrapes()).isTrue();
  }

  @Test
  void helpIsRecognisedAndListsFlagsAndProfiles() throws Exception {
    assertThat(CliArguments.parse(new String[] {"--help"}).help()).isTrue();
    assertThat(CliArguments.help()).contains("--port", "--replicas", "--profile", "h100-8b");
  }

  @Test
  void badFlagsAndValuesFailNamingTheFlag() {
    assertThatThrownBy(() -> CliArguments.parse(new String[] {"--prot", "1"}))
        .hasMessageContaining("--prot");
    assertThatThrownBy(() -> CliArguments.parse(new String[] {"--port", "x"}))
        .hasMessageContaining("--port");
    assertThatThrownBy(() -> CliArguments.parse(new String[] {"--profile", "nope"}))
        .hasMessageContaining("--profile");
    assertThatThrownBy(() -> CliArguments.parse(new String[] {"--max-num-seqs"}))
        .hasMessageContaining("--max-num-seqs");
  }
}
