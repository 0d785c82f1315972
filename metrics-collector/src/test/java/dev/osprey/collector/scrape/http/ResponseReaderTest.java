package dev.osprey.collector.scrape.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseReaderTest {

    private static final String CHUNKED = "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
            + "a;ext=1\r\n# HELP abc\r\n" + "10\r\nvllm:x{a=\"b\"} 1\n\r\n" + "0\r\nTrailer: t\r\n\r\n";

    /** Feeds {@code text} in pieces of {@code piece} bytes, as successive socket reads would. */
    private static ResponseReader feed(String text, int piece, int maxBody) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        ResponseReader reader = new ResponseReader(new byte[16], maxBody);
        int p = 0;
        while (p < bytes.length && !reader.complete()) {
            int n = Math.min(Math.min(piece, bytes.length - p), reader.ensureSpace());
            System.arraycopy(bytes, p, reader.buffer(), reader.filled(), n);
            reader.written(n);
            p += n;
        }
        return reader;
    }

    private static String body(ResponseReader reader) {
        return new String(Arrays.copyOfRange(reader.buffer(), reader.body(), reader.bodyEnd()),
                StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 4096})
    void decodesChunkedBodiesWhateverTheReadBoundaries(int piece) throws Exception {
        ResponseReader reader = feed(CHUNKED, piece, 1024);

        assertThat(reader.complete()).isTrue();
        assertThat(reader.status()).isEqualTo(200);
        assertThat(body(reader)).isEqualTo("# HELP abc" + "vllm:x{a=\"b\"} 1\n");
        assertThat(reader.reusable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 4096})
    void framesBodiesByContentLengthWithBareLineFeeds(int piece) throws Exception {
        ResponseReader reader = feed("HTTP/1.1 200 OK\nContent-Length: 5\n\nhello", piece, 1024);

        assertThat(reader.complete()).isTrue();
        assertThat(body(reader)).isEqualTo("hello");
    }

    @Test
    void aResponseWithoutLengthEndsAtEndOfStreamAndIsNotReusable() throws Exception {
        ResponseReader reader = feed("HTTP/1.1 200 OK\r\n\r\nuntil close", 4096, 1024);
        assertThat(reader.complete()).isFalse();

        reader.endOfStream();

        assertThat(reader.complete()).isTrue();
        assertThat(body(reader)).isEqualTo("until close");
        assertThat(reader.reusable()).isFalse();
    }

    @Test
    void noContentHasNoBody() throws Exception {
        ResponseReader reader = feed("HTTP/1.1 204 No Content\r\n\r\n", 4096, 1024);

        assertThat(reader.complete()).isTrue();
        assertThat(reader.bodyEnd()).isEqualTo(reader.body());
    }

    @Test
    void bytesAfterTheResponseMakeTheConnectionUnusable() throws Exception {
        ResponseReader reader = feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", 4096, 1024);

        assertThat(reader.complete()).isTrue();
        assertThat(body(reader)).isEqualTo("ok");
        assertThat(reader.reusable()).isFalse();
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        assertThat(feed("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 99, 9).reusable())
                .isFalse();
        assertThat(feed("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 99, 9).reusable()).isFalse();
        assertThat(feed("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", 99, 9).reusable())
                .isTrue();
    }

    @Test
    void malformedResponsesAreProtocolErrors() {
        for (String bad : new String[] {
            "HTTP/1.1 2x0 OK\r\n\r\n",
            "HTTP/2 200\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY",
            "HTTP/1.1 200 OK\r\nX: " + "y".repeat(20_000),
        }) {
            assertThatThrownBy(() -> feed(bad, 4096, 1 << 20)).as(bad.substring(0, Math.min(40, bad.length())))
                    .isInstanceOfSatisfying(ResponseReader.ResponseException.class,
                            e -> assertThat(e.failure().kind()).isEqualTo(FetchFailure.Kind.PROTOCOL));
        }
    }

    @Test
    void aResponseCutShortIsAConnectFailure() throws Exception {
        ResponseReader reader = feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 4096, 1024);

        assertThatThrownBy(reader::endOfStream).isInstanceOfSatisfying(ResponseReader.ResponseException.class,
                e -> assertThat(e.failure().kind()).isEqualTo(FetchFailure.Kind.CONNECT));
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreRead() {
        assertThatThrownBy(() -> feed("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", 4096, 10))
                .isInstanceOfSatisfying(ResponseReader.ResponseException.class,
                        e -> assertThat(e.failure().kind()).isEqualTo(FetchFailure.Kind.TOO_LARGE));
        assertThatThrownBy(() -> feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n3\r\n",
                4096, 10)).isInstanceOfSatisfying(ResponseReader.ResponseException.class,
                        e -> assertThat(e.failure().kind()).isEqualTo(FetchFailure.Kind.TOO_LARGE));
    }
}
