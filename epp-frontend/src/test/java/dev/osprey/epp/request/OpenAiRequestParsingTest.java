package dev.osprey.epp.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiRequestParsingTest {

    private final JsonBodyInspector inspector = new JsonBodyInspector();

    private BodyInspection inspect(String path, String body) {
        return inspector.inspect(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                OpenAiApi.ofPath(Optional.of(path)));
    }

    private Prompt prompt(String path, String body) {
        BodyInspection r = inspect(path, body);
        assertThat(r).isInstanceOf(BodyInspection.Valid.class);
        return ((BodyInspection.Valid) r).prompt();
    }

    @Test
    void pathsMapToApisIgnoringQueryAndTrailingSlash() {
        assertThat(OpenAiApi.ofPath(Optional.of("/v1/chat/completions?x=1"))).isEqualTo(OpenAiApi.CHAT_COMPLETIONS);
        assertThat(OpenAiApi.ofPath(Optional.of("/v1/completions/"))).isEqualTo(OpenAiApi.COMPLETIONS);
        assertThat(OpenAiApi.ofPath(Optional.of("/v1/responses"))).isEqualTo(OpenAiApi.RESPONSES);
        assertThat(OpenAiApi.ofPath(Optional.of("/v1/embeddings"))).isEqualTo(OpenAiApi.EMBEDDINGS);
        assertThat(OpenAiApi.ofPath(Optional.of("/v1/models"))).isEqualTo(OpenAiApi.OTHER);
        assertThat(OpenAiApi.ofPath(Optional.empty())).isEqualTo(OpenAiApi.OTHER);
    }

    @Test
    void completionsPromptAsStringListOfStringsOrTokenIds() {
        Prompt s = prompt("/v1/completions", "{\"prompt\":\"abcdefgh\",\"model\":\"m\"}");
        assertThat(s.text()).isEqualTo("abcdefgh\n");
        assertThat(s.tokenEstimate()).isEqualTo(2);
        Prompt list = prompt("/v1/completions", "{\"model\":\"m\",\"prompt\":[\"ab\",\"cd\"]}");
        assertThat(list.text()).isEqualTo("ab\ncd\n");
        assertThat(list.tokenEstimate()).isEqualTo(1);
        Prompt ids = prompt("/v1/completions", "{\"model\":\"m\",\"prompt\":[1,22,333]}");
        assertThat(ids.text()).isEqualTo("1 22 333 ");
        assertThat(ids.tokenEstimate()).isEqualTo(3);
        Prompt nested = prompt("/v1/completions", "{\"model\":\"m\",\"prompt\":[[1,2],[3]]}");
        assertThat(nested.tokenEstimate()).isEqualTo(3);
    }

    @Test
    void chatMessagesWithStringAndPartsContent() {
        String body = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":["
                + "{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://x/y.png\"}}]}]}";
        BodyInspection.Valid v = (BodyInspection.Valid) inspect("/v1/chat/completions", body);
        assertThat(v.model()).isEqualTo("m");
        assertThat(v.stream()).isTrue();
        assertThat(v.includeUsage()).isTrue();
        assertThat(v.prompt().text()).isEqualTo("be brief\nhello\n");
        assertThat(v.prompt().tokenEstimate()).isEqualTo(4);
    }

    @Test
    void responsesAndEmbeddingsInput() {
        assertThat(prompt("/v1/responses", "{\"model\":\"m\",\"input\":\"tell me\"}").text()).isEqualTo("tell me\n");
        assertThat(prompt("/v1/responses", "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"input_text\",\"text\":\"one\"}]},{\"role\":\"user\",\"content\":\"two\"}]}").text())
                .isEqualTo("one\ntwo\n");
        assertThat(prompt("/v1/embeddings", "{\"model\":\"m\",\"input\":[\"a\",\"b\"]}").text()).isEqualTo("a\nb\n");
        assertThat(prompt("/v1/embeddings", "{\"model\":\"m\",\"input\":[5,6]}").tokenEstimate()).isEqualTo(2);
    }

    @Test
    void missingOrEmptyPromptFieldsAreRejectedWithAReason() {
        assertThat(inspect("/v1/chat/completions", "{\"model\":\"m\"}"))
                .isEqualTo(new BodyInspection.Invalid("messages not found in request body"));
        assertThat(inspect("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}"))
                .isEqualTo(new BodyInspection.Invalid("messages must be a non-empty array"));
        assertThat(inspect("/v1/chat/completions", "{\"model\":\"m\",\"messages\":\"hi\"}"))
                .isEqualTo(new BodyInspection.Invalid("messages must be a non-empty array"));
        assertThat(inspect("/v1/completions", "{\"model\":\"m\",\"prompt\":\"\"}"))
                .isEqualTo(new BodyInspection.Invalid("prompt must not be empty"));
        assertThat(inspect("/v1/completions", "{\"model\":\"m\",\"prompt\":[]}"))
                .isEqualTo(new BodyInspection.Invalid("prompt must not be empty"));
        assertThat(inspect("/v1/completions", "{\"model\":\"m\",\"prompt\":7}"))
                .isEqualTo(new BodyInspection.Invalid("prompt must be a string or an array"));
        assertThat(inspect("/v1/responses", "{\"model\":\"m\"}"))
                .isEqualTo(new BodyInspection.Invalid("input not found in request body"));
        assertThat(inspect("/v1/embeddings", "{\"model\":\"m\",\"input\":[]}"))
                .isEqualTo(new BodyInspection.Invalid("input must not be empty"));
        assertThat(inspect("/v1/completions", "{\"prompt\":\"x\"}"))
                .isEqualTo(new BodyInspection.Invalid("model not found in request body"));
    }

    @Test
    void otherPathsNeedOnlyAModelAndCarryNoPrompt() {
        BodyInspection.Valid v = (BodyInspection.Valid) inspect("/v1/models", "{\"model\":\"m\",\"prompt\":\"x\"}");
        assertThat(v.prompt()).isEqualTo(Prompt.NONE);
        assertThat(v.includeUsage()).isFalse();
    }

    @Test
    void largePromptIsCollectedWholeAndModelRangeStaysExact() {
        String big = "x".repeat(220_000);
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}],\"model\":\"llama\"}";
        BodyInspection.Valid v = (BodyInspection.Valid) inspect("/v1/chat/completions", body);
        assertThat(v.prompt().text()).hasSize(220_001);
        assertThat(v.prompt().tokenEstimate()).isEqualTo(55_000);
        assertThat(body.substring((int) v.modelValueStart(), (int) v.modelValueEnd())).isEqualTo("\"llama\"");
    }
}
