package dev.osprey.collector.parse;

import java.nio.charset.StandardCharsets;

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
}
