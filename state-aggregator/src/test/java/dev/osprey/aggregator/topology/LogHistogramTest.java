package dev.osprey.aggregator.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

class LogHistogramTest {

    @Test
    void quantilesAreWithinTheBucketPrecisionOfTheExactOnes() {
        LogHistogram sketch = new LogHistogram();
        double[] values = new double[10_000];
        Random random = new Random(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(random.nextGaussian() * 1.5 + 4);
            sketch.record(values[i]);
        }
        java.util.Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            double exact = values[(int) Math.ceil(q * values.length) - 1];
            assertThat(sketch.quantile(q)).as("p" + q).isCloseTo(exact, within(exact * 0.021));
        }
        assertThat(sketch.max()).isEqualTo(values[values.length - 1]);
        assertThat(sketch.count()).isEqualTo(values.length);
    }

    @Test
    void mergingEqualsRecordingEverythingInOne() {
        LogHistogram left = new LogHistogram();
        LogHistogram right = new LogHistogram();
        LogHistogram all = new LogHistogram();
        for (int i = 1; i <= 1000; i++) {
            (i % 3 == 0 ? left : right).record(i * 0.7);
            all.record(i * 0.7);
        }
        left.merge(right);
        assertThat(left.buckets()).isEqualTo(all.buckets());
        assertThat(left.quantile(0.99)).isEqualTo(all.quantile(0.99));
        assertThat(left.count()).isEqualTo(1000);
    }

    @Test
    void roundTripsThroughJsonAndHandlesTinyAndInvalidValues() {
        LogHistogram sketch = new LogHistogram();
        sketch.record(0);
        sketch.record(0.001);
        sketch.record(-1);
        sketch.record(Double.NaN);
        sketch.record(250);
        JsonSerde<LogHistogram> serde = new JsonSerde<>(LogHistogram.class);
        LogHistogram copy = serde.deserialize("t", serde.serialize("t", sketch));
        assertThat(copy.count()).isEqualTo(3);
        assertThat(copy.zeroCount()).isEqualTo(2);
        assertThat(copy.quantile(0.5)).isZero();
        assertThat(copy.quantile(1.0)).isCloseTo(250, within(250 * 0.021));
        assertThat(new LogHistogram().quantile(0.5)).isZero();
    }
}
