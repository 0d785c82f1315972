package dev.osprey.epp.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodyInspectorTest {

    private final JsonBodyInspector inspector = new JsonBodyInspector();

    private BodyInspection inspect(String s) {
        return inspector.inspect(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void findsModelStreamFlagAndModelByteRange() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9\"}],\"model\" : \"llama-3\",\"stream\":true}";
        BodyInspection.Valid v = (BodyInspection.Valid) inspect(body);
        assertThat(v.model()).isEqualTo("llama-3");
        assertThat(v.stream()).isTrue();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String range = new String(bytes, (int) v.modelValueStart(), (int) (v.modelValueEnd() - v.modelValueStart()),
                StandardCharsets.UTF_8);
        assertThat(range).isEqualTo("\"llama-3\"");
    }

    @Test
    void nestedModelFieldsAreIgnored() {
        BodyInspection r = inspect("{\"x\":{\"model\":\"inner\"},\"prompt\":\"p\"}");
        assertThat(r).isEqualTo(new BodyInspection.Invalid("model not found in request body"));
    }

    @Test
    void rejectsMalformedAndNonObjectBodies() {
        assertThat(inspect("{\"model\":\"a\"")).isInstanceOf(BodyInspection.Invalid.class);
        assertThat(inspect("[1,2]")).isInstanceOf(BodyInspection.Invalid.class);
        assertThat(inspect("")).isInstanceOf(BodyInspection.Invalid.class);
        assertThat(inspect("{\"model\":\"a\"} {}")).isInstanceOf(BodyInspection.Invalid.class);
        assertThat(inspect("{\"model\":5}")).isEqualTo(new BodyInspection.Invalid("model in request body is not a string"));
    }

    @Test
    void streamDefaultsToFalse() {
        assertThat(((BodyInspection.Valid) inspect("{\"model\":\"m\",\"stream\":false}")).stream()).isFalse();
        assertThat(((BodyInspection.Valid) inspect("{\"model\":\"m\"}")).stream()).isFalse();
    }
}
