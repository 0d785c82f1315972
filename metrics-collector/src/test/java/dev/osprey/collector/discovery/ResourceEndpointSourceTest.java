package dev.osprey.collector.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.api.ResourceFileLoader;
import dev.osprey.api.ResourceSet;
import dev.osprey.api.ResourceSource;
import org.junit.jupiter.api.Test;

class ResourceEndpointSourceTest {

    private static final String POOLS = """
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata: {name: llama, namespace: team-a}
            spec:
              selector: {matchLabels: {app: llama}}
              targetPorts: [{number: 8000}]
            ---
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata: {name: mistral, namespace: team-a}
            spec:
              selector: {matchLabels: {app: mistral}}
              targetPorts: [{number: 9000}]
            """;

    private static String pod(String name, String app, boolean ready) {
        return """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: team-a, labels: {app: %s}}
                status:
                  podIP: 10.0.0.%d
                  conditions: [{type: Ready, status: "%s"}]
                """.formatted(name, app, Math.abs(name.hashCode() % 200) + 1, ready ? "True" : "False");
    }

    /** A source whose set the test replaces. */
    private static final class MutableSource implements ResourceSource {
        final AtomicReference<ResourceSet> set = new AtomicReference<>(ResourceSet.empty());

        @Override
        public ResourceSet current() {
            return set.get();
        }

        @Override
        public void subscribe(Consumer<ResourceSet> listener) {
            // the endpoint source reads current() on every call
        }
    }

    @Test
    void followsTheNewestSet() {
        MutableSource resources = new MutableSource();
        ResourceEndpointSource source = new ResourceEndpointSource(resources, "east", Set.of());
        assertThat(source.endpoints()).isEmpty();

        resources.set.set(ResourceFileLoader.parse(POOLS + pod("l-0", "llama", true) + pod("m-0", "mistral", true)
                + pod("l-1", "llama", false), "test"));
        assertThat(ids(source)).containsExactly("east/team-a/l-0:8000", "east/team-a/m-0:9000");

        resources.set.set(ResourceFileLoader.parse(POOLS + pod("m-0", "mistral", true) + pod("l-1", "llama", true),
                "test"));
        assertThat(ids(source)).containsExactly("east/team-a/l-1:8000", "east/team-a/m-0:9000");
    }

    @Test
    void onlyTheSelectedPools() {
        MutableSource resources = new MutableSource();
        resources.set.set(ResourceFileLoader.parse(POOLS + pod("l-0", "llama", true) + pod("m-0", "mistral", true),
                "test"));
        ResourceEndpointSource source = new ResourceEndpointSource(resources, "east", Set.of("team-a/mistral"));

        assertThat(ids(source)).containsExactly("east/team-a/m-0:9000");
        assertThat(source.endpoints()).isSameAs(source.endpoints());
    }

    private static List<String> ids(EndpointSource source) {
        return source.endpoints().stream().map(PoolEndpoint::endpointId).toList();
    }
}
