package dev.osprey.epp.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The chunk-fed scan: the same answer however the body is split (down to single bytes, through multi-byte
 * characters and escapes), the prompt bytes Jackson would have produced, and Jackson's verdict on malformed JSON.
 */
class BodyScanTest {

    private static final JsonFactory JSON = new JsonFactory();
    private final JsonBodyInspector inspector = new JsonBodyInspector();

    private BodyInspection scan(OpenAiApi api, byte[] body, int... cuts) {
        BodyScan scan = inspector.start(api);
        int from = 0;
        for (int cut : cuts) {
            scan.accept(ByteString.copyFrom(body, from, cut - from));
            from = cut;
        }
        scan.accept(ByteString.copyFrom(body, from, body.length - from));
        return scan.finish();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void largeChatBodyInManySmallChunksGivesTheSameInspectionAsInOnePiece() {
        StringBuilder text = new StringBuilder();
        Random random = new Random(3);
        String[] words = {"the ", "quick ", "br\u00f8wn ", "f\u00f6x ", "\u65e5\u672c ", "\ud83d\ude00 ", "tab\\t ",
            "quote\\\" ", "\\u00e9 ", "\\ud83d\\ude00 "};
        while (text.length() < 220 * 1024) {
            text.append(words[random.nextInt(words.length)]);
        }
        byte[] body = utf8("{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}],"
                + "\"stream_options\":{\"include_usage\":true},\"max_tokens\":64}");
        BodyInspection.Valid whole = (BodyInspection.Valid) scan(OpenAiApi.CHAT_COMPLETIONS, body);
        assertThat(whole).isEqualTo(jacksonReference(OpenAiApi.CHAT_COMPLETIONS, body));
        assertThat(whole.stream()).isTrue();
        assertThat(whole.includeUsage()).isTrue();

        for (int size : new int[] {1, 2, 3, 7, 64, 1000, 4096}) {
            List<Integer> cuts = new ArrayList<>();
            for (int at = size; at < body.length; at += size) {
                cuts.add(at);
            }
            assertThat(scan(OpenAiApi.CHAT_COMPLETIONS, body, cuts.stream().mapToInt(Integer::intValue).toArray()))
                    .as("chunks of %d bytes", size).isEqualTo(whole);
        }
    }

    @Test
    void everyTwoPieceSplitOfASmallBodyAgrees() {
        byte[] body = utf8("{\"model\":\"m\\u00e9-1\",\"prompt\":[\"a\\n\\\"b\\\"\",[1,22,-3],{\"text\":\"\u00e9\\ud83d\\ude00\u20ac\"},"
                + "true,1.5e3,null],\"stream\":false,\"x\":{\"model\":\"inner\",\"y\":[{},[]]}}");
        BodyInspection whole = scan(OpenAiApi.COMPLETIONS, body);
        assertThat(whole).isEqualTo(jacksonReference(OpenAiApi.COMPLETIONS, body));
        BodyInspection.Valid v = (BodyInspection.Valid) whole;
        assertThat(v.model()).isEqualTo("m\u00e9-1");
        assertThat(v.prompt().text()).isEqualTo("a\n\"b\"\n1 22 -3 \u00e9\ud83d\ude00\u20ac\n");
        for (int cut = 1; cut < body.length; cut++) {
            assertThat(scan(OpenAiApi.COMPLETIONS, body, cut)).as("split at %d", cut).isEqualTo(whole);
        }
    }

    @Test
    void specialBytesAtEveryPositionOfAWordAreSeen() {
        String[] specials = {"\\n", "\\\"", "\u00e9", "\u007f", "\\u0041", "\u20ac", "\ud83d\ude00"};
        for (String special : specials) {
            for (int k = 0; k < 40; k++) {
                byte[] body = utf8("{\"model\":\"m\",\"prompt\":\"" + "a".repeat(k) + special + "b".repeat(20)
                        + "\"}");
                assertThat(scan(OpenAiApi.COMPLETIONS, body)).as("%s after %d bytes", special, k)
                        .isEqualTo(jacksonReference(OpenAiApi.COMPLETIONS, body));
                for (String second : specials) {
                    byte[] two = utf8("{\"model\":\"m\",\"prompt\":\"" + "a".repeat(k) + special + "c".repeat(k % 5)
                            + second + "b".repeat(20) + "\"}");
                    assertThat(scan(OpenAiApi.COMPLETIONS, two)).as("%s and %s after %d bytes", special, second, k)
                            .isEqualTo(jacksonReference(OpenAiApi.COMPLETIONS, two));
                }
            }
        }
        for (int k = 0; k < 40; k++) {
            byte[] body = utf8("{\"model\":\"m\",\"prompt\":\"" + "a".repeat(k) + "\u0001" + "b".repeat(20) + "\"}");
            assertThat(scan(OpenAiApi.COMPLETIONS, body)).as("control byte after %d bytes", k)
                    .isInstanceOf(BodyInspection.Invalid.class);
        }
    }

    @Test
    void loneSurrogatesBecomeQuestionMarksAsInAJavaString() {
        byte[] body = utf8("{\"model\":\"m\",\"prompt\":\"a\\ud83db\\ude00c\\ud83d\"}");
        BodyInspection.Valid v = (BodyInspection.Valid) scan(OpenAiApi.COMPLETIONS, body);
        assertThat(v).isEqualTo(jacksonReference(OpenAiApi.COMPLETIONS, body));
        assertThat(v.prompt().text()).isEqualTo("a?b?c?\n");
    }

    @Test
    void lastFieldWinsAsBefore() {
        byte[] body = utf8("{\"model\":5,\"stream\":true,\"prompt\":\"one\",\"stream_options\":{\"include_usage\":true},"
                + "\"model\":\"m2\",\"stream\":\"yes\",\"prompt\":\"two\",\"stream_options\":{}}");
        BodyInspection.Valid v = (BodyInspection.Valid) scan(OpenAiApi.COMPLETIONS, body);
        assertThat(v).isEqualTo(jacksonReference(OpenAiApi.COMPLETIONS, body));
        assertThat(v.model()).isEqualTo("m2");
        assertThat(v.stream()).isFalse();
        assertThat(v.includeUsage()).isFalse();
        assertThat(v.prompt().text()).isEqualTo("two\n");
    }

    @Test
    void rejectsWhatJacksonRejects() {
        String[] bad = {"{\"model\":\"a\"", "{\"model\":01}", "{\"model\":\"a\",}", "{\"model\":\"a\" \"b\":1}",
            "{\"model\":\"a\\x\"}", "{\"model\":\"a\nb\"}", "{\"model\":tru}", "{\"model\":\"a\",\"n\":-}",
            "{\"model\":\"a\",\"n\":1.}", "{\"model\":\"a\",\"n\":1e}", "{\"model\":\"a\",\"n\":[1,]}",
            "{'model':'a'}", "{\"model\":\"a\"}}", "{\"model\":\"\\u12g4\"}", "{\"model\":\"a\"}x",
            "{\"model\":\"a\",\"n\":.5}", "{\"model\":\"a\",\"n\":nulls}"};
        for (String s : bad) {
            byte[] body = utf8(s);
            assertThat(jacksonReference(OpenAiApi.OTHER, body)).as("Jackson on %s", s)
                    .isInstanceOf(BodyInspection.Invalid.class);
            assertThat(scan(OpenAiApi.OTHER, body)).as(s).isInstanceOf(BodyInspection.Invalid.class);
        }
        assertThat(scan(OpenAiApi.OTHER, new byte[] {'{', '"', 'm', (byte) 0xC3, '"', ':', '1', '}'}))
                .as("broken UTF-8").isInstanceOf(BodyInspection.Invalid.class);
        assertThat(scan(OpenAiApi.OTHER, utf8("[1]"))).isEqualTo(new BodyInspection.Invalid(
                "request body is not a JSON object"));
        assertThat(scan(OpenAiApi.OTHER, utf8("  "))).isEqualTo(new BodyInspection.Invalid(
                "request body is not a JSON object"));
        assertThat(scan(OpenAiApi.OTHER, utf8("{\"model\":\"a\"} {}"))).isEqualTo(new BodyInspection.Invalid(
                "request body is not a single JSON object"));
        assertThat(scan(OpenAiApi.OTHER, utf8("{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}")))
                .as("nesting deeper than 1000").isInstanceOf(BodyInspection.Invalid.class);
        assertThat(scan(OpenAiApi.OTHER, utf8("{\"model\":\"a\",\"n\":" + "[".repeat(998) + "]".repeat(998) + "}")))
                .isInstanceOf(BodyInspection.Valid.class);
    }

    @Test
    void tokenIdsOutsideTheLongRangeAreRejected() {
        assertThat(scan(OpenAiApi.COMPLETIONS, utf8("{\"model\":\"m\",\"prompt\":[9223372036854775807,"
                + "-9223372036854775808]}"))).isInstanceOf(BodyInspection.Valid.class);
        assertThat(scan(OpenAiApi.COMPLETIONS, utf8("{\"model\":\"m\",\"prompt\":[9223372036854775808]}")))
                .isInstanceOf(BodyInspection.Invalid.class);
        assertThat(scan(OpenAiApi.OTHER, utf8("{\"model\":\"m\",\"n\":92233720368547758080}")))
                .as("only prompt token ids are read as longs").isInstanceOf(BodyInspection.Valid.class);
    }

    @Test
    void modelRangeCountsBytesAcrossChunks() {
        byte[] body = utf8("{\"prompt\":\"\u00e9\u00e9\",  \"model\" : \"ll\\u0061ma\"}");
        BodyInspection.Valid v = (BodyInspection.Valid) scan(OpenAiApi.COMPLETIONS, body, 3, 17, 30);
        assertThat(new String(body, (int) v.modelValueStart(), (int) (v.modelValueEnd() - v.modelValueStart()),
                StandardCharsets.UTF_8)).isEqualTo("\"ll\\u0061ma\"");
        assertThat(v.model()).isEqualTo("llama");
    }

    /**
     * What the Jackson-based inspector (before the chunk-fed scan) answered: the oracle the scan is held to. Error
     * messages differ, so only the kind of an invalid answer is compared.
     */
    private static BodyInspection jacksonReference(OpenAiApi api, byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new BodyInspection.Invalid("not an object");
            }
            String model = null;
            long start = -1;
            long end = -1;
            boolean stream = false;
            boolean includeUsage = false;
            JsonToken promptToken = null;
            Reference prompt = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("model".equals(name)) {
                    model = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    if (v == JsonToken.VALUE_STRING) {
                        start = p.currentTokenLocation().getByteOffset();
                        end = p.currentLocation().getByteOffset();
                    } else {
                        p.skipChildren();
                    }
                } else if ("stream".equals(name)) {
                    stream = v == JsonToken.VALUE_TRUE;
                    p.skipChildren();
                } else if ("stream_options".equals(name) && v == JsonToken.START_OBJECT) {
                    includeUsage = false;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String n = p.currentName();
                        JsonToken iv = p.nextToken();
                        if ("include_usage".equals(n)) {
                            includeUsage = iv == JsonToken.VALUE_TRUE;
                        }
                        p.skipChildren();
                    }
                } else if (api != OpenAiApi.OTHER && api.promptField().equals(name)) {
                    promptToken = v;
                    prompt = new Reference();
                    prompt.read(p, v);
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return new BodyInspection.Invalid("not a single object");
            }
            if (model == null) {
                return new BodyInspection.Invalid("model");
            }
            if (api == OpenAiApi.OTHER) {
                return new BodyInspection.Valid(model, stream, start, end, includeUsage, Prompt.NONE);
            }
            if (prompt == null || (api == OpenAiApi.CHAT_COMPLETIONS && (promptToken != JsonToken.START_ARRAY
                    || prompt.elements == 0))) {
                return new BodyInspection.Invalid("prompt");
            }
            long estimate = (prompt.chars + 3) / 4 + prompt.ids;
            return new BodyInspection.Valid(model, stream, start, end, includeUsage,
                    new Prompt(prompt.text.toString(), (int) estimate));
        } catch (IOException e) {
            return new BodyInspection.Invalid("malformed");
        }
    }

    /** The former token-by-token prompt collection with Jackson. */
    private static final class Reference {
        final StringBuilder text = new StringBuilder();
        long chars;
        int ids;
        int elements = -1;

        void read(JsonParser p, JsonToken first) throws IOException {
            if (first == JsonToken.START_ARRAY) {
                elements = 0;
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    elements++;
                    collect(p, t);
                }
            } else {
                collect(p, first);
            }
        }

        void collect(JsonParser p, JsonToken t) throws IOException {
            switch (t) {
                case VALUE_STRING -> {
                    chars += p.getTextLength();
                    text.append(p.getText()).append('\n');
                }
                case VALUE_NUMBER_INT -> {
                    ids++;
                    text.append(p.getLongValue()).append(' ');
                }
                case START_ARRAY -> {
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        collect(p, e);
                    }
                }
                case START_OBJECT -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("content".equals(name) || "text".equals(name)) {
                            collect(p, v);
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
    }
}
