package dev.osprey.epp.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BodyRewriteAndUsageTest {

    @Test
    void splicesOnlyTheModelValue() {
        String body = "{\"prompt\":\"model \\\"a\\\"\",  \"model\" :  \"a\", \"n\":1}";
        BodyInspection.Valid v = (BodyInspection.Valid) new JsonBodyInspector()
                .inspect(ByteString.copyFromUtf8(body).newInput());
        ByteString out = ModelSplicer.spliceRequest(ByteString.copyFromUtf8(body), v.modelValueStart(),
                v.modelValueEnd(), "b\"2");
        assertThat(out.toStringUtf8()).isEqualTo("{\"prompt\":\"model \\\"a\\\"\",  \"model\" :  \"b\\\"2\", \"n\":1}");
    }

    @Test
    void rewritesModelBackInResponses() {
        ByteString in = ByteString.copyFromUtf8("{\"id\":1,\"model\":\"v2\",\"x\":{\"model\": \"v2\"},\"y\":\"v2\"}");
        assertThat(ModelSplicer.rewriteResponse(in, "v2", "chat").toStringUtf8())
                .isEqualTo("{\"id\":1,\"model\":\"chat\",\"x\":{\"model\": \"chat\"},\"y\":\"v2\"}");
        ByteString none = ByteString.copyFromUtf8("{\"model\":\"other\"}");
        assertThat(ModelSplicer.rewriteResponse(none, "v2", "chat")).isSameAs(none);
    }

    @Test
    void readsUsageFromJsonIncludingCachedTokens() {
        Usage u = UsageParser.parse(ByteString.copyFromUtf8("{\"choices\":[{\"usage\":{\"prompt_tokens\":99}}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":8}}}").newInput());
        assertThat(u).isEqualTo(new Usage(Optional.of(12), Optional.of(5), Optional.of(8)));
        assertThat(UsageParser.parse(ByteString.copyFromUtf8("{\"usage\":null}").newInput())).isEqualTo(Usage.NONE);
        assertThat(UsageParser.parse(ByteString.copyFromUtf8("not json").newInput())).isEqualTo(Usage.NONE);
    }

    @Test
    void readsResponsesApiUsage() {
        Usage u = UsageParser.parse(ByteString.copyFromUtf8("{\"type\":\"response.completed\",\"response\":{"
                + "\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"input_tokens_details\":{\"cached_tokens\":1}}}}")
                .newInput());
        assertThat(u).isEqualTo(new Usage(Optional.of(3), Optional.of(4), Optional.of(1)));
    }

    @Test
    void scansSseUsageAcrossChunkBoundaries() {
        SseUsageScanner s = new SseUsageScanner();
        s.accept(ByteString.copyFromUtf8("data: {\"choices\":[{\"text\":\"a\"}],\"usage\":null}\n\ndata: {\"choices\":[],"));
        s.accept(ByteString.copyFromUtf8("\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}\n\n"));
        s.accept(ByteString.copyFromUtf8("data: [DONE]"));
        s.finish();
        assertThat(s.usage()).isEqualTo(new Usage(Optional.of(7), Optional.of(2), Optional.empty()));
    }
}
