package dev.osprey.allinone.deploy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * A fabric8 CRUD mock API server that the manifests are created on and read back from: typed kinds through their
 * model classes, kinds fabric8 has no model for as generic resources at the plural given here. Close once.
 */
final class ApiServerRoundTrip implements AutoCloseable {

    /** Kinds fabric8 has no model class for, with their REST plurals. */
    static final Map<String, String> CUSTOM_PLURALS = Map.of(
            "InferencePool", "inferencepools",
            "DestinationRule", "destinationrules",
            "PodMonitor", "podmonitors");

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    ApiServerRoundTrip(List<DeployDocument> documents) {
        List<CustomResourceDefinitionContext> custom = documents.stream()
                .filter(d -> d.resource() instanceof GenericKubernetesResource).map(ApiServerRoundTrip::context)
                .distinct().toList();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(custom), false);
        server.init();
        client = server.createClient();
    }

    /** Creates {@code doc} in {@code namespace} (if it is namespaced) and returns what the server then holds. */
    HasMetadata createAndGet(DeployDocument doc, String namespace) {
        if (doc.resource() instanceof GenericKubernetesResource generic) {
            var kind = client.genericKubernetesResources(context(doc)).inNamespace(namespace);
            kind.resource(generic).create();
            return kind.withName(doc.name()).get();
        }
        if (doc.resource() instanceof Namespaced) {
            client.resource(doc.resource()).inNamespace(namespace).create();
            return client.resource(doc.resource()).inNamespace(namespace).get();
        }
        client.resource(doc.resource()).create();
        return client.resource(doc.resource()).get();
    }

    private static CustomResourceDefinitionContext context(DeployDocument doc) {
        String plural = CUSTOM_PLURALS.get(doc.kind());
        if (plural == null) {
            throw new AssertionError(doc.describe() + ": no model class and no plural known to the test");
        }
        String[] groupVersion = doc.apiVersion().split("/", 2);
        return new CustomResourceDefinitionContext.Builder().withGroup(groupVersion[0])
                .withVersion(groupVersion[1]).withKind(doc.kind()).withPlural(plural).withScope("Namespaced")
                .build();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
