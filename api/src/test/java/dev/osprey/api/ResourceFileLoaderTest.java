package dev.osprey.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ResourceFileLoaderTest {

    private final ResourceSet resources = load();

    private static ResourceSet load() {
        try {
            return ResourceFileLoader.load(Path.of(ResourceFileLoaderTest.class.getResource("/resources.yaml").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsBothPoolVersions() {
        InferencePool v1 = resources.pool("team-a", "llama").orElseThrow();
        assertThat(v1.selector()).containsEntry("app", "vllm-llama");
        assertThat(v1.targetPorts()).containsExactly(8000, 8001);
        assertThat(v1.endpointPickerRef()).hasValue(new EndpointPickerRef("osprey-epp", 9002, FailureMode.FAIL_OPEN));
        assertThat(v1.poolId("east")).isEqualTo("east/team-a/llama");

        InferencePool legacy = resources.pool("team-a", "legacy").orElseThrow();
        assertThat(legacy.targetPorts()).containsExactly(30000);
        assertThat(legacy.endpointPickerRef().orElseThrow().failureMode()).isEqualTo(FailureMode.FAIL_CLOSE);
    }

    @Test
    void endpointsAreReadyMatchingPodsOnEveryTargetPort() {
        List<PoolEndpoint> endpoints = resources.endpointsOf(resources.pool("team-a", "llama").orElseThrow(), "east");

        assertThat(endpoints).extracting(PoolEndpoint::endpointId).containsExactly(
                "east/team-a/pod-a:8000", "east/team-a/pod-a:8001", "east/team-a/pod-b:8000", "east/team-a/pod-b:8001");
        assertThat(endpoints.get(0).hostPort()).isEqualTo("[fd00::1]:8000");
        assertThat(endpoints.get(1).rank()).isEqualTo(1);
        assertThat(endpoints.get(2).engine()).isEqualTo("sglang");
        assertThat(endpoints.get(0).engine()).isEqualTo("vllm");
    }

    @Test
    void oldestInferenceModelWinsADuplicateName() {
        InferenceModel chat = resources.model("chat").orElseThrow();
        assertThat(chat.meta().name()).isEqualTo("chat-old");
        assertThat(chat.criticality()).isEqualTo(Criticality.CRITICAL);
        assertThat(chat.targetModels()).containsExactly(new TargetModel("llama-v1", 90), new TargetModel("llama-v2", 10));
        assertThat(resources.model("unknown")).isEmpty();
    }

    @Test
    void badFieldNamesTheDocumentAndField() {
        String yaml = """
                apiVersion: inference.networking.k8s.io/v1
                kind: InferencePool
                metadata: {name: p}
                spec:
                  selector: {matchLabels: {app: x}}
                  targetPorts: [{number: "eighty"}]
                """;
        assertThatThrownBy(() -> ResourceFileLoader.parse(yaml, "pools.yaml")).isInstanceOf(ResourceException.class)
                .hasMessageContaining("pools.yaml document 1").hasMessageContaining("spec.targetPorts[].number");
    }

    @Test
    void badCriticalityAndEmptySelectorAreRejected() {
        String model = """
                apiVersion: inference.networking.x-k8s.io/v1alpha2
                kind: InferenceModel
                metadata: {name: m}
                spec: {modelName: m, criticality: Urgent}
                """;
        assertThatThrownBy(() -> ResourceFileLoader.parse(model, "f")).hasMessageContaining("Urgent");
        String pool = """
                apiVersion: inference.networking.k8s.io/v1
                kind: InferencePool
                metadata: {name: p}
                spec: {targetPorts: [{number: 80}]}
                """;
        assertThatThrownBy(() -> ResourceFileLoader.parse(pool, "f")).hasMessageContaining("spec.selector");
    }

    @Test
    void invalidYamlIsAResourceException() {
        assertThatThrownBy(() -> ResourceFileLoader.parse("kind: [unclosed", "broken.yaml"))
                .isInstanceOf(ResourceException.class).hasMessageContaining("broken.yaml");
    }

    @Test
    void readsObjectivesAndRewriteRules() {
        InferenceObjective batch = resources.objective("team-a", "batch").orElseThrow();
        assertThat(batch.priority()).isEqualTo(-5);
        assertThat(batch.sheddable()).isTrue();

        ModelRewriteRule rule = resources.rewriteRule("llama", "chat").orElseThrow();
        assertThat(rule.targets()).containsExactly(new TargetModel("llama-v1", 80), new TargetModel("llama-v2", 20));
        assertThat(resources.rewriteRule("llama", "other")).isEmpty();
        assertThat(resources.rewriteRule("legacy", "chat")).isEmpty();
    }

    @Test
    void rejectsARewriteMatchOtherThanExact() {
        String yaml = """
                apiVersion: inference.networking.x-k8s.io/v1alpha2
                kind: InferenceModelRewrite
                metadata: {name: r}
                spec:
                  rules:
                    - matches: [{model: {type: Prefix, value: x}}]
                      targets: [{modelRewrite: y}]
                """;
        assertThatThrownBy(() -> ResourceFileLoader.parse(yaml, "f")).hasMessageContaining("Exact");
    }
}
