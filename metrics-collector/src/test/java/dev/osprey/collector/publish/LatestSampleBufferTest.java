package dev.osprey.collector.publish;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatestSampleBufferTest {

    @Test
    void keepsOnlyTheLatestValuePerKeyInFirstPendingOrder() throws InterruptedException {
        LatestSampleBuffer<String> buffer = new LatestSampleBuffer<>();

        assertThat(buffer.offer("a", "a1")).isFalse();
        assertThat(buffer.offer("b", "b1")).isFalse();
        assertThat(buffer.offer("a", "a2")).isTrue();
        assertThat(buffer.size()).isEqualTo(2);

        assertThat(buffer.poll(0, TimeUnit.MILLISECONDS)).hasValue("a2");
        assertThat(buffer.poll(0, TimeUnit.MILLISECONDS)).hasValue("b1");
        assertThat(buffer.poll(0, TimeUnit.MILLISECONDS)).isEmpty();
    }

    @Test
    void aKeyTakenCanBecomePendingAgain() throws InterruptedException {
        LatestSampleBuffer<String> buffer = new LatestSampleBuffer<>();
        buffer.offer("a", "a1");
        assertThat(buffer.poll(0, TimeUnit.MILLISECONDS)).hasValue("a1");

        assertThat(buffer.offer("a", "a2")).isFalse();
        assertThat(buffer.poll(0, TimeUnit.MILLISECONDS)).hasValue("a2");
        assertThat(buffer.size()).isZero();
    }
}
