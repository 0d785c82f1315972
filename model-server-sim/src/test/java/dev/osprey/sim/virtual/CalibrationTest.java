package dev.osprey.sim.virtual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.osprey.sim.engine.LatencyProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class CalibrationTest {

  static final List<LatencyProfile> PROFILES = LatencyProfile.BUILT_IN;

  @ParameterizedTest
  @FieldSource("PROFILES")
  void lowLoadLatenciesMatchTheProfileTargetsWithinTenPercent(LatencyProfile profile) {
    Calibration.Report r = Calibration.measure(profile);
    assertThat(r.ttftMillis()).isCloseTo(profile.targetTtftMillis(),
        within(profile.targetTtftMillis() * 0.10));
    assertThat(r.itlMillis()).isCloseTo(profile.targetItlMillis(),
        within(profile.targetItlMillis() * 0.10));
    assertThat(r.fullBatchItlMillis()).isCloseTo(profile.targetFullBatchItlMillis(),
        within(profile.targetFullBatchItlMillis() * 0.10));
  }

  @ParameterizedTest
  @FieldSource("PROFILES")
  void interTokenLatencyRisesWithBatchSize(LatencyProfile profile) {
    List<Double> byBatch = new ArrayList<>(Calibration.measure(profile).itlByBatchMillis().values());
    assertThat(byBatch).hasSizeGreaterThan(3);
    for (int i = 1; i < byBatch.size(); i++) {
      assertThat(byBatch.get(i)).isGreaterThan(byBatch.get(i - 1));
    }
  }
}
