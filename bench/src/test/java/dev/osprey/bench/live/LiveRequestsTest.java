package dev.osprey.bench.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.api.Criticality;
import dev.osprey.api.InferenceModel;
import dev.osprey.api.ResourceFileLoader;
import dev.osprey.api.ResourceSet;
import dev.osprey.bench.sim.SimRequest;
import dev.osprey.sim.text.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveRequestsTest {

    private static SimRequest request(int index, int group, int user, String adapter, Criticality c) {
        return new SimRequest(index, 0, 0, group, user, 64, 40, 16, adapter, c, 1000L * group + user);
    }

    @Test
    void promptTextTokenizesToTheSameNumberOfTokensAtFourBytesEach() {
        SimRequest r = request(0, 3, 1, null, Criticality.STANDARD);
        String text = PromptText.of(r.tokens(42));

        assertThat(Tokenizer.count(text)).isEqualTo(r.promptTokens());
        assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(r.promptTokens() * PromptText.BYTES_PER_TOKEN);
    }

    @Test
    void requestsOfOneGroupShareExactlyTheirPrefixInTextAndInSimulatorTokens() {
        int[] a = Tokenizer.encode(PromptText.of(request(0, 5, 0, null, Criticality.STANDARD).tokens(42)));
        int[] b = Tokenizer.encode(PromptText.of(request(1, 5, 1, null, Criticality.STANDARD).tokens(42)));
        int[] other = Tokenizer.encode(PromptText.of(request(2, 6, 0, null, Criticality.STANDARD).tokens(42)));

        assertThat(Arrays.copyOf(a, 64)).isEqualTo(Arrays.copyOf(b, 64));
        assertThat(Arrays.copyOfRange(a, 64, 104)).isNotEqualTo(Arrays.copyOfRange(b, 64, 104));
        assertThat(Arrays.copyOf(a, 16)).isNotEqualTo(Arrays.copyOf(other, 16));
    }

    @Test
    void distinctTokenIdsGiveDistinctWords() {
        assertThat(PromptText.of(new int[] {1000, 1001, 121_000})).isEqualTo("0G8 0G9 VTc ");
        assertThat(PromptText.of(new int[] {1000})).isNotEqualTo(PromptText.of(new int[] {1000 + 62 * 62 * 62 - 1}));
    }

    @Test
    void standardRequestsNameTheirTargetOthersAnAliasOfTheirCriticality() {
        assertThat(LiveModels.modelFor(request(0, 0, 0, null, Criticality.STANDARD)))
                .isEqualTo(LiveModels.BASE_MODEL);
        assertThat(LiveModels.modelFor(request(0, 0, 0, "lora-02", Criticality.STANDARD))).isEqualTo("lora-02");
        assertThat(LiveModels.modelFor(request(0, 0, 0, "lora-02", Criticality.SHEDDABLE)))
                .isEqualTo("lora-02--sheddable");
    }

    @Test
    void resourceFileDeclaresThePoolAndOneAliasPerCriticalityAndTarget() {
        List<SimRequest> requests = List.of(request(0, 0, 0, null, Criticality.CRITICAL),
                request(1, 0, 0, null, Criticality.CRITICAL), request(2, 0, 0, "lora-01", Criticality.SHEDDABLE),
                request(3, 0, 0, null, Criticality.STANDARD));

        ResourceSet set = ResourceFileLoader.parse(LiveModels.resourcesYaml(18000, requests), "test");

        assertThat(set.pools()).hasSize(1);
        assertThat(set.pools().get(0).targetPorts()).containsExactly(18000);
        assertThat(set.models()).extracting(InferenceModel::modelName).containsExactlyInAnyOrder(
                LiveModels.BASE_MODEL, LiveModels.BASE_MODEL + "--critical", "lora-01--sheddable");
        InferenceModel critical = set.model(LiveModels.BASE_MODEL + "--critical").orElseThrow();
        assertThat(critical.criticality()).isEqualTo(Criticality.CRITICAL);
        assertThat(critical.targetModels()).extracting(t -> t.name()).containsExactly(LiveModels.BASE_MODEL);
        assertThat(set.model(LiveModels.BASE_MODEL).orElseThrow().criticality()).isEqualTo(Criticality.STANDARD);
    }

    @Test
    void bodyIsAStreamedCompletionsRequestWithUsage() throws Exception {
        byte[] body = StreamingClient.body("m", "abc ", 7);

        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        assertThat(json.path("model").asText()).isEqualTo("m");
        assertThat(json.path("prompt").asText()).isEqualTo("abc ");
        assertThat(json.path("max_tokens").asInt()).isEqualTo(7);
        assertThat(json.path("stream").asBoolean()).isTrue();
        assertThat(json.path("ignore_eos").asBoolean()).isTrue();
        assertThat(json.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void optionsNameTheBadFlag() {
        assertThat(LiveOptions.parse(new String[] {"--out", "x"}))
                .isEqualTo(new LiveOptions.Invalid("live needs --scenario FILE and --out DIR"));
        assertThat(LiveOptions.parse(new String[] {"--time-scale", "fast"}))
                .isEqualTo(new LiveOptions.Invalid("--time-scale must be a number, got fast"));
        assertThat(LiveOptions.parse(new String[] {"--rank-by", "vibes"}))
                .isEqualTo(new LiveOptions.Invalid("--rank-by must be ttft-p90, ttft-p99 or e2e-p90, got vibes"));
        assertThat(LiveOptions.parse(new String[] {"--warmup-s"}))
                .isEqualTo(new LiveOptions.Invalid("--warmup-s needs a value"));
        assertThat(LiveOptions.parse(new String[] {"--epp", "x"}))
                .isEqualTo(new LiveOptions.Invalid("--epp must be KEY=VALUE, got x"));
        assertThat(LiveOptions.parse(new String[] {"--tie-tolerance", "1.5"}))
                .isEqualTo(new LiveOptions.Invalid("--tie-tolerance must be in [0, 1), got 1.5"));
        assertThat(LiveOptions.parse(new String[] {"--frob", "1"}))
                .isEqualTo(new LiveOptions.Invalid("unknown option: --frob"));
        assertThat(LiveOptions.parse(new String[] {"--seeds", "1,x"}))
                .isEqualTo(new LiveOptions.Invalid("--seeds must be whole numbers separated by commas, got 1,x"));
        assertThat(LiveOptions.parse(new String[] {"--seeds", "3,4,3"}))
                .isEqualTo(new LiveOptions.Invalid("--seeds lists 3 twice"));
    }

    @Test
    void severalSeedsCannotShareOneSimulationFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("f.json"), "{}");
        String[] base = {"--scenario", file.toString(), "--out", dir.toString(), "--sim-results", file.toString()};
        String[] twoSeeds = java.util.stream.Stream.concat(java.util.Arrays.stream(base),
                java.util.stream.Stream.of("--seeds", "1,2")).toArray(String[]::new);
        String[] oneSeed = java.util.stream.Stream.concat(java.util.Arrays.stream(base),
                java.util.stream.Stream.of("--seeds", "5")).toArray(String[]::new);

        assertThat(LiveOptions.parse(twoSeeds)).isEqualTo(new LiveOptions.Invalid(
                "--sim-results holds one seed's simulation; it cannot be used with several --seeds"));
        assertThat(LiveOptions.parse(oneSeed)).isInstanceOfSatisfying(LiveOptions.Ok.class,
                ok -> assertThat(ok.options().seeds()).containsExactly(5L));
    }
}
