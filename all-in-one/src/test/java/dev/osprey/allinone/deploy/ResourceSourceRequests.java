package dev.osprey.allinone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import dev.osprey.api.kubernetes.KubernetesResourceSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The Kubernetes API requests Osprey's discovery makes, as RBAC sees them: {@link KubernetesResourceSource} (what the
 * EPP and the collector run) is started against a fabric8 CRUD mock server and every request it sent is turned
 * into {@code group/resource/verb}, the unit a Role rule grants.
 */
final class ResourceSourceRequests {

    private ResourceSourceRequests() {
    }

    /** {@code group/resource/verb} of every request a source watching {@code namespace} makes while starting. */
    static Set<String> observe(String namespace) throws InterruptedException {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try {
            try (KubernetesClient client = server.createClient();
                    KubernetesResourceSource source = KubernetesResourceSource.start(client, Optional.of(namespace),
                            Duration.ofSeconds(30))) {
                assertThat(source.current().pools()).isEmpty();
            }
            Set<String> grants = new TreeSet<>();
            int count = server.getRequestCount();
            for (int i = 0; i < count; i++) {
                grants.add(grantOf(server.takeRequest(5, TimeUnit.SECONDS), namespace));
            }
            return grants;
        } finally {
            server.destroy();
        }
    }

    /** {@code /api/v1/namespaces/NS/plural[/name]} or {@code /apis/group/version/namespaces/NS/plural[/name]}. */
    private static String grantOf(RecordedRequest request, String namespace) {
        String[] pathAndQuery = request.getPath().split("\\?", 2);
        String query = pathAndQuery.length > 1 ? pathAndQuery[1] : "";
        List<String> parts = List.of(pathAndQuery[0].substring(1).split("/"));
        boolean core = parts.get(0).equals("api");
        int at = core ? 2 : 3;
        assertThat(parts.subList(at, at + 2)).as("request %s stays in its namespace", request.getPath())
                .containsExactly("namespaces", namespace);
        String group = core ? "" : parts.get(1);
        String resource = parts.get(at + 2);
        boolean named = parts.size() > at + 3;
        String verb = switch (request.getMethod()) {
            case "GET" -> query.contains("watch=true") || query.contains("watch=1") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            default -> request.getMethod().toLowerCase(Locale.ROOT);
        };
        return group + "/" + resource + "/" + verb;
    }
}
