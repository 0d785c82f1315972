package dev.osprey.collector.parse;

import java.nio.charset.StandardCharsets;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PageBytesTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "3.0", "0.4375", "1.7463015e+09", "1e-3", "2.5E2", "123456789012345678901",
        "0.000000000000000000000000123", "9007199254740993", "1.84512e+06", "+7", "1e308", "4.9e-324"})
    void agreesWithTheJdk(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);

        assertThat(PageBytes.parseDouble(bytes, 0, bytes.length)).isEqualTo(Double.parseDouble(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.2.3", "1e", "--1", "NaN", "0x10", "1 2"})
    void nonNumbersAreNan(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);

        assertThat(PageBytes.parseDouble(bytes, 0, bytes.length)).isNaN();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+Inf", "Inf", "-Inf"})
    void infinities(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);

        assertThat(PageBytes.parseDouble(bytes, 0, bytes.length)).isInfinite();
    }

    @Test
    void findsTheFirstNewlineLikeAByteLoopForEveryRange() {
        Random random = new Random(7);
        byte[] alphabet = {'\n', 0x0B, 0x09, (byte) 0x8A, (byte) 0x0A ^ (byte) 0x80, 0x00, (byte) 0xFF, 'a', '{', ' '};
        for (int round = 0; round < 200; round++) {
            byte[] page = new byte[random.nextInt(40)];
            for (int i = 0; i < page.length; i++) {
                page[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt();
            }
            for (int from = 0; from <= page.length; from++) {
                for (int to = from; to <= page.length; to++) {
                    int expected = to;
                    for (int i = from; i < to; i++) {
                        if (page[i] == '\n') {
                            expected = i;
                            break;
                        }
                    }
                    assertThat(PageBytes.indexOfNewline(page, from, to)).as("from %d to %d", from, to)
                            .isEqualTo(expected);
                }
            }
        }
    }
}
