package dev.osprey.api.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.osprey.api.InferencePool;
import dev.osprey.api.PoolEndpoint;
import dev.osprey.api.ResourceSet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesResourceSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    KubernetesClient client;
    private KubernetesResourceSource source;

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void followsPoolCreationPodsReadinessAndDeletion() {
        source = KubernetesResourceSource.start(client, Optional.of("team-a"), WAIT);
        List<ResourceSet> seen = new CopyOnWriteArrayList<>();
        source.subscribe(seen::add);
        assertThat(source.current().pools()).isEmpty();

        createPool("team-a", "llama", "app: llama", 8000);
        await().atMost(WAIT).until(() -> source.current().pool("team-a", "llama").isPresent());
        assertThat(seen).isNotEmpty();
        assertThat(endpointIds("team-a", "llama")).isEmpty();

        createPod("team-a", "pod-a", Map.of("app", "llama", "inference.networking.k8s.io/engine-type", "sglang"),
                "10.0.0.1", true);
        createPod("team-a", "pod-b", Map.of("app", "llama"), "10.0.0.2", false);
        createPod("team-a", "other", Map.of("app", "mistral"), "10.0.0.3", true);
        await().atMost(WAIT).until(() -> source.current().pods().size() == 3);
        assertThat(endpointIds("team-a", "llama")).containsExactly("east/team-a/pod-a:8000");
        PoolEndpoint a = endpoints("team-a", "llama").get(0);
        assertThat(a.engine()).isEqualTo("sglang");
        assertThat(a.hostPort()).isEqualTo("10.0.0.1:8000");

        client.pods().inNamespace("team-a").withName("pod-b").editStatus(pod -> new PodBuilder(pod)
                .editStatus().editFirstCondition().withStatus("True").endCondition().endStatus().build());
        await().atMost(WAIT).until(() -> endpointIds("team-a", "llama")
                .equals(List.of("east/team-a/pod-a:8000", "east/team-a/pod-b:8000")));

        client.pods().inNamespace("team-a").withName("pod-b").editStatus(pod -> new PodBuilder(pod)
                .editStatus().editFirstCondition().withStatus("False").endCondition().endStatus().build());
        await().atMost(WAIT).until(() -> endpointIds("team-a", "llama").equals(List.of("east/team-a/pod-a:8000")));

        client.pods().inNamespace("team-a").withName("pod-a").delete();
        await().atMost(WAIT).until(() -> source.current().pods().size() == 2);
        assertThat(endpointIds("team-a", "llama")).isEmpty();
    }

    @Test
    void terminatingPodIsNotAnEndpoint() {
        source = KubernetesResourceSource.start(client, Optional.of("team-t"), WAIT);
        createPool("team-t", "llama", "app: llama", 8000);
        createPod("team-t", "pod-a", Map.of("app", "llama"), "10.0.0.1", true);
        await().atMost(WAIT).until(() -> endpointIds("team-t", "llama").size() == 1);

        // a pod with a finalizer is not removed on delete: the API server sets metadata.deletionTimestamp
        client.pods().inNamespace("team-t").withName("pod-a").edit(pod -> new PodBuilder(pod).editMetadata()
                .addToFinalizers("osprey.dev/test").endMetadata().build());
        client.pods().inNamespace("team-t").withName("pod-a").delete();
        await().atMost(WAIT).until(() -> source.current().pods().get(0).terminating());
        assertThat(endpointIds("team-t", "llama")).isEmpty();
    }

    @Test
    void followsAPoolSelectorChange() {
        source = KubernetesResourceSource.start(client, Optional.of("team-b"), WAIT);
        createPool("team-b", "pool", "app: blue", 8000);
        createPod("team-b", "blue-1", Map.of("app", "blue"), "10.1.0.1", true);
        createPod("team-b", "green-1", Map.of("app", "green"), "10.1.0.2", true);
        await().atMost(WAIT).until(() -> endpointIds("team-b", "pool").equals(List.of("east/team-b/blue-1:8000")));

        client.genericKubernetesResources(WatchedKind.POOL_V1.context()).inNamespace("team-b").withName("pool")
                .edit(pool -> {
                    pool.setAdditionalProperty("spec", Map.of("selector", Map.of("matchLabels", Map.of("app", "green")),
                            "targetPorts", List.of(Map.of("number", 8000), Map.of("number", 8001))));
                    return pool;
                });
        await().atMost(WAIT).until(() -> endpointIds("team-b", "pool")
                .equals(List.of("east/team-b/green-1:8000", "east/team-b/green-1:8001")));
    }

    @Test
    void skipsABadObjectAndKeepsTheRest() {
        source = KubernetesResourceSource.start(client, Optional.of("team-c"), WAIT);
        createPool("team-c", "good", "app: good", 8000);
        createGeneric(WatchedKind.POOL_V1, """
                apiVersion: inference.networking.k8s.io/v1
                kind: InferencePool
                metadata: {name: bad, namespace: team-c}
                spec:
                  selector: {matchLabels: {app: bad}}
                  targetPorts: [{number: "not-a-port"}]
                """);
        createPool("team-c", "later", "app: later", 9000);
        await().atMost(WAIT).until(() -> source.current().pool("team-c", "later").isPresent());
        assertThat(source.current().pools()).extracting(p -> p.meta().name()).containsExactly("good", "later");
        assertThat(source.rejectedObjects()).isPositive();

        client.genericKubernetesResources(WatchedKind.POOL_V1.context()).inNamespace("team-c").withName("bad")
                .edit(pool -> {
                    pool.setAdditionalProperty("spec", Map.of("selector", Map.of("matchLabels", Map.of("app", "bad")),
                            "targetPorts", List.of(Map.of("number", 7000))));
                    return pool;
                });
        await().atMost(WAIT).until(() -> source.current().pool("team-c", "bad").isPresent());
    }

    @Test
    void readsAlphaKindsAndHonoursTheNamespaceScope() {
        createGeneric(WatchedKind.POOL_V1ALPHA2, """
                apiVersion: inference.networking.x-k8s.io/v1alpha2
                kind: InferencePool
                metadata: {name: legacy, namespace: team-d}
                spec:
                  selector: {app: legacy}
                  targetPortNumber: 30000
                  extensionRef: {name: osprey-epp, failureMode: FailClose}
                """);
        createGeneric(WatchedKind.MODEL, """
                apiVersion: inference.networking.x-k8s.io/v1alpha2
                kind: InferenceModel
                metadata: {name: chat, namespace: team-d}
                spec:
                  modelName: chat
                  criticality: Critical
                  poolRef: {name: legacy}
                """);
        createGeneric(WatchedKind.OBJECTIVE, """
                apiVersion: inference.networking.x-k8s.io/v1alpha2
                kind: InferenceObjective
                metadata: {name: gold, namespace: team-d}
                spec: {priority: 10, poolRef: {name: legacy}}
                """);
        createGeneric(WatchedKind.REWRITE, """
                apiVersion: inference.networking.x-k8s.io/v1alpha2
                kind: InferenceModelRewrite
                metadata: {name: rw, namespace: team-d}
                spec:
                  poolRef: {name: legacy}
                  rules:
                  - matches: [{model: {value: chat}}]
                    targets: [{modelRewrite: chat-v2, weight: 1}]
                """);
        createPool("elsewhere", "other", "app: other", 8000);

        source = KubernetesResourceSource.start(client, Optional.empty(), WAIT);
        ResourceSet all = source.current();
        assertThat(all.pools()).extracting(p -> p.meta().namespace() + "/" + p.meta().name())
                .containsExactlyInAnyOrder("team-d/legacy", "elsewhere/other");
        assertThat(all.pool("team-d", "legacy").orElseThrow().targetPorts()).containsExactly(30000);
        assertThat(all.model("chat")).isPresent();
        assertThat(all.objective("team-d", "gold").orElseThrow().priority()).isEqualTo(10);
        assertThat(all.rewriteRule("legacy", "chat")).isPresent();

        try (KubernetesResourceSource scoped = KubernetesResourceSource.start(client, Optional.of("team-d"), WAIT)) {
            assertThat(scoped.current().pools()).extracting(p -> p.meta().name()).containsExactly("legacy");
        }
    }

    private List<PoolEndpoint> endpoints(String namespace, String pool) {
        ResourceSet set = source.current();
        Optional<InferencePool> found = set.pool(namespace, pool);
        return found.map(p -> set.endpointsOf(p, "east")).orElse(List.of());
    }

    private List<String> endpointIds(String namespace, String pool) {
        return endpoints(namespace, pool).stream().map(PoolEndpoint::endpointId).toList();
    }

    private void createPool(String namespace, String name, String selector, int port) {
        createGeneric(WatchedKind.POOL_V1, """
                apiVersion: inference.networking.k8s.io/v1
                kind: InferencePool
                metadata: {name: %s, namespace: %s}
                spec:
                  selector: {matchLabels: {%s}}
                  targetPorts: [{number: %d}]
                """.formatted(name, namespace, selector, port));
    }

    private void createGeneric(WatchedKind<?> kind, String yaml) {
        GenericKubernetesResource resource = client.getKubernetesSerialization().unmarshal(yaml,
                GenericKubernetesResource.class);
        client.genericKubernetesResources(kind.context()).inNamespace(resource.getMetadata().getNamespace())
                .resource(resource).create();
    }

    private void createPod(String namespace, String name, Map<String, String> labels, String ip, boolean ready) {
        client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("vllm").endContainer().endSpec()
                .withNewStatus().withPodIP(ip).addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .endCondition().endStatus()
                .build()).create();
    }
}
