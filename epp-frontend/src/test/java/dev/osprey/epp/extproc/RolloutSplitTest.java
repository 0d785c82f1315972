package dev.osprey.epp.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osprey.api.kubernetes.KubernetesResourceSource;
import dev.osprey.epp.request.PoolResourcesView;
import dev.osprey.epp.request.UnknownModelPolicy;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.epp.state.SnapshotHolder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A 90/10 InferenceModelRewrite, created at run time in a (mock) Kubernetes API server and picked up through
 * {@link KubernetesResourceSource}, observed over 10,000 requests through the ext-proc service.
 */
@EnableKubernetesMockClient(crud = true)
class RolloutSplitTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REWRITE = """
            apiVersion: inference.networking.x-k8s.io/v1alpha2
            kind: InferenceModelRewrite
            metadata: {name: canary, namespace: ns}
            spec:
              poolRef: {name: pool}
              rules:
              - matches: [{model: {value: chat}}]
                targets:
                - {modelRewrite: chat-stable, weight: 90}
                - {modelRewrite: chat-canary, weight: 10}
            """;

    KubernetesClient client;
    private KubernetesResourceSource source;
    private InProcessExtProc extProc;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        if (extProc != null) {
            extProc.close();
        }
    }

    @Test
    void ninetyTenSplitWithinThreePercentOverTenThousandPicks() throws Exception {
        source = KubernetesResourceSource.start(client, Optional.of("ns"), WAIT);
        PoolResourcesView resources = PoolResourcesView.follow(source, "ns", "pool");
        assertThat(resources.get().rewriteRule("chat")).isEmpty();
        InferenceResources.create(client, "ns", REWRITE);
        await().atMost(WAIT).until(() -> resources.get().rewriteRule("chat").isPresent());
        SnapshotHolder snapshots = new SnapshotHolder();
        snapshots.set(new PoolSnapshot("local/ns/pool", 1, System.currentTimeMillis(), List.of(
                EndpointSnapshot.of("local/ns/10.0.0.1:8000", "10.0.0.1", 8000, 0, 0, 0.1,
                        System.currentTimeMillis()))));
        TestServices.CollectedEvents events = new TestServices.CollectedEvents();
        StreamServices services = TestServices.builder(snapshots).events(events)
                .resources(resources, UnknownModelPolicy.REJECT).build();
        extProc = InProcessExtProc.start(services);

        Map<String, Integer> byTarget = new HashMap<>();
        int picks = 10_000;
        for (int i = 0; i < picks; i++) {
            ExtProcClient c = new ExtProcClient(extProc.channel());
            c.requestHeaders(Map.of(":method", "POST", ":path", "/v1/completions"), false);
            c.requestBody("{\"model\":\"chat\",\"prompt\":\"n" + i + "\"}", true);
            String body = c.next().getRequestHeaders().getResponse().getHeaderMutation().getSetHeadersCount() > 0
                    ? c.next().getRequestBody().getResponse().getBodyMutation().getStreamedResponse().getBody()
                            .toStringUtf8() : "";
            byTarget.merge(body.contains("\"chat-canary\"") ? "chat-canary"
                    : body.contains("\"chat-stable\"") ? "chat-stable" : "other", 1, Integer::sum);
            c.complete();
        }
        assertThat(byTarget).containsOnlyKeys("chat-stable", "chat-canary");
        double canary = byTarget.get("chat-canary") / (double) picks;
        assertThat(canary).isBetween(0.07, 0.13);
        assertThat(events.decisions).hasSize(picks);
        assertThat(events.decisions.stream().filter(d -> "chat-canary".equals(d.getTargetModel())).count())
                .isEqualTo(byTarget.get("chat-canary").longValue());
    }
}
