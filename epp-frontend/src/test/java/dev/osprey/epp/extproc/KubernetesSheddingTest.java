package dev.osprey.epp.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osprey.api.InferenceObjective;
import dev.osprey.api.kubernetes.KubernetesResourceSource;
import dev.osprey.epp.request.PoolResourcesView;
import dev.osprey.epp.request.UnknownModelPolicy;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.epp.state.SnapshotHolder;
import dev.osprey.schemas.avro.Criticality;
import dev.osprey.schemas.avro.DecisionOutcome;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Criticality and objectives created at run time in a (mock, CRUD) Kubernetes API server reach the scheduler's
 * shedding through {@link KubernetesResourceSource}: with every endpoint saturated, a Sheddable InferenceModel and a
 * negative-priority InferenceObjective get 429 while Critical and positive-priority requests are routed.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesSheddingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MODELS = """
            apiVersion: inference.networking.x-k8s.io/v1alpha2
            kind: InferenceModel
            metadata: {name: batch-model, namespace: ns}
            spec: {modelName: batch, criticality: Sheddable, poolRef: {name: pool}}
            ---
            apiVersion: inference.networking.x-k8s.io/v1alpha2
            kind: InferenceModel
            metadata: {name: vip-model, namespace: ns}
            spec: {modelName: vip, criticality: Critical, poolRef: {name: pool}}
            ---
            apiVersion: inference.networking.x-k8s.io/v1alpha2
            kind: InferenceObjective
            metadata: {name: bulk, namespace: ns}
            spec: {priority: -1, poolRef: {name: pool}}
            ---
            apiVersion: inference.networking.x-k8s.io/v1alpha2
            kind: InferenceObjective
            metadata: {name: gold, namespace: ns}
            spec: {priority: 5, poolRef: {name: pool}}
            """;

    KubernetesClient client;
    private KubernetesResourceSource source;
    private InProcessExtProc extProc;
    private final SnapshotHolder snapshots = new SnapshotHolder();
    private final TestServices.CollectedEvents events = new TestServices.CollectedEvents();

    @BeforeEach
    void start() throws Exception {
        source = KubernetesResourceSource.start(client, Optional.of("ns"), WAIT);
        PoolResourcesView resources = PoolResourcesView.follow(source, "ns", "pool");
        InferenceResources.create(client, "ns", MODELS);
        await().atMost(WAIT).until(() -> resources.get().objective("gold").isPresent()
                && resources.get().objective("bulk").isPresent() && resources.get().models().find("batch").isPresent()
                && resources.get().models().find("vip").isPresent());
        extProc = InProcessExtProc.start(TestServices.builder(snapshots).events(events)
                .resources(resources, UnknownModelPolicy.PASS_THROUGH).build());
    }

    @AfterEach
    void stop() {
        if (extProc != null) {
            extProc.close();
        }
        if (source != null) {
            source.close();
        }
    }

    @Test
    void sheddableModelGets429WhileCriticalIsRoutedUntilTheSaturationClears() throws Exception {
        saturated(true);
        ProcessingResponse shed = send(Map.of(), "batch");
        assertThat(shed.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(429);
        assertThat(send(Map.of(), "vip").hasRequestHeaders()).as("Critical is never shed").isTrue();
        assertThat(events.decisions.get(0).getOutcome()).isEqualTo(DecisionOutcome.SHED);
        assertThat(events.decisions.get(0).getCriticality()).isEqualTo(Criticality.SHEDDABLE);
        assertThat(events.decisions.get(1).getOutcome()).isEqualTo(DecisionOutcome.ROUTED);
        assertThat(events.decisions.get(1).getCriticality()).isEqualTo(Criticality.CRITICAL);

        saturated(false);
        assertThat(send(Map.of(), "batch").hasRequestHeaders()).as("routed once an endpoint has room").isTrue();
    }

    @Test
    void objectiveHeaderChoosesThePriorityFromTheCluster() throws Exception {
        saturated(true);
        ProcessingResponse bulk = send(Map.of(InferenceObjective.HEADER, "bulk"), "m");
        assertThat(bulk.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(429);
        assertThat(send(Map.of(InferenceObjective.HEADER, "gold"), "m").hasRequestHeaders()).isTrue();
        assertThat(events.decisions.get(0).getPriority()).isEqualTo(-1);
        assertThat(events.decisions.get(1).getPriority()).isEqualTo(5);
        assertThat(events.decisions.get(1).getOutcome()).isEqualTo(DecisionOutcome.ROUTED);
    }

    private ProcessingResponse send(Map<String, String> extraHeaders, String model) throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(Map.of(":method", "POST", ":path", "/v1/completions"));
        headers.putAll(extraHeaders);
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(headers, false);
        c.requestBody("{\"model\":\"" + model + "\",\"prompt\":\"x\"}", true);
        return c.next();
    }

    /** Every endpoint over the queue-depth threshold (saturated), or both idle. */
    private void saturated(boolean full) {
        int waiting = full ? 50 : 0;
        long now = System.currentTimeMillis();
        snapshots.set(new PoolSnapshot("local/ns/pool", full ? 1 : 2, now, List.of(
                EndpointSnapshot.of("local/ns/10.0.0.1:8000", "10.0.0.1", 8000, waiting, 0, full ? 0.99 : 0.1, now),
                EndpointSnapshot.of("local/ns/10.0.0.2:8000", "10.0.0.2", 8000, waiting, 0, full ? 0.99 : 0.1, now))));
    }
}
