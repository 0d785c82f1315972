package dev.osprey.allinone.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.osprey.allinone.deploy.ComponentBinding.Aggregator;
import dev.osprey.allinone.deploy.ComponentBinding.Collector;
import dev.osprey.api.InferencePool;
import dev.osprey.api.ResourceFileLoader;
import dev.osprey.epp.EppConfig;
import dev.osprey.epp.EppServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code deploy/kubernetes}, {@code deploy/gateways} and {@code deploy/monitoring} honest against the code: every document loads with
 * fabric8 as its kind and survives a round trip through a Kubernetes API server (the fabric8 CRUD mock server);
 * every container starts a main class that exists, with variables and flags its component's own binding accepts
 * and ports, probes and RBAC that match what the component does; the InferencePool and the routes reference what
 * the manifests define. No cluster, image or gateway is needed.
 */
class DeployManifestsTest {

    private static final String IMAGE_PREFIX = "ghcr.io/osprey-project/";
    private static final String IMAGE_TAG = ":0.1.0";
    private static final String INFERENCE_GROUP = "inference.networking.k8s.io";
    /** gatewayClassName each gateway example must use (facts from each gateway's documentation). */
    private static final Map<String, String> GATEWAY_CLASSES = Map.of(
            "deploy/gateways/envoy-gateway.yaml", "eg",
            "deploy/gateways/kgateway.yaml", "kgateway",
            "deploy/gateways/istio.yaml", "istio");
    private static Path root;
    private static List<DeployDocument> documents;
    private static List<Workload> workloads;

    @BeforeAll
    static void load() throws IOException {
        root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("deploy/kubernetes"))) {
            root = root.getParent();
            assertThat(root).as("repository root above the working directory").isNotNull();
        }
        documents = DeployDocument.loadAll(root, "deploy/kubernetes", "deploy/gateways", "deploy/monitoring");
        workloads = documents.stream().flatMap(d -> Workload.of(d).stream()).toList();
    }

    @Test
    void everyDocumentLoadsAsItsDeclaredKindWithoutUnknownFields() {
        assertThat(documents).extracting(DeployDocument::kind).contains("Deployment", "StatefulSet", "Service",
                "ServiceAccount", "Role", "RoleBinding", "InferencePool", "Gateway", "HTTPRoute");
        for (DeployDocument doc : documents) {
            HasMetadata resource = doc.resource();
            assertThat(resource.getKind()).as(doc.describe()).isEqualTo(doc.kind());
            assertThat(resource.getApiVersion()).as(doc.describe()).isEqualTo(doc.apiVersion());
            assertThat(resource.getMetadata().getNamespace()).as(doc.describe() + " is namespace-agnostic").isNull();
            if (resource instanceof GenericKubernetesResource) {
                assertThat(ApiServerRoundTrip.CUSTOM_PLURALS).as(doc.describe() + ": fabric8 has no model for it").containsKey(doc.kind());
                continue;
            }
            assertThat(DeployDocument.unknownFields(resource)).as(doc.describe() + ": fields fabric8 does not know")
                    .isEmpty();
            assertThat(DeployDocument.content(DeployDocument.tree(resource)))
                    .as(doc.describe() + " as fabric8 reads it").isEqualTo(DeployDocument.content(doc.raw()));
        }
    }

    @Test
    void everyDocumentIsCreatedOnAnApiServerAndReadBackUnchanged() {
        try (ApiServerRoundTrip server = new ApiServerRoundTrip(documents)) {
            for (DeployDocument doc : documents) {
                // The gateway examples are alternatives with the same names: each goes to a namespace of its own.
                String namespace = doc.file().startsWith("deploy/gateways")
                        ? "gateway-" + doc.file().getFileName().toString().replace(".yaml", "")
                        : ContainerLaunch.NAMESPACE;
                HasMetadata back = server.createAndGet(doc, namespace);
                assertThat(back).as(doc.describe() + " read back").isNotNull();
                assertThat(back.getKind()).as(doc.describe()).isEqualTo(doc.kind());
                assertThat(DeployDocument.content(DeployDocument.tree(back))).as(doc.describe() + " read back")
                        .isEqualTo(DeployDocument.content(doc.raw()));
            }
        }
    }

    @Test
    void everyContainerRunsAnExistingMainClassFromTheImageJarOfItsModule() throws Exception {
        String jar = dockerfileJarPath();
        assertThat(workloads).flatExtracting(Workload::containers).extracting(b -> b.launch().mainClass())
                .containsAll(ComponentBinding.MODULES.keySet());
        for (Workload w : workloads) {
            for (Workload.Bound b : w.containers()) {
                Class<?> main = Class.forName(b.launch().mainClass());
                Method method = main.getMethod("main", String[].class);
                assertThat(Modifier.isStatic(method.getModifiers())).as(b.where() + " static main").isTrue();
                assertThat(b.launch().classpath()).as(b.where() + " class path = the Dockerfile's jar").isEqualTo(jar);
                assertThat(b.container().getImage()).as(b.where() + " image")
                        .isEqualTo(IMAGE_PREFIX + b.binding().module() + IMAGE_TAG);
            }
        }
    }

    /** Where deploy/docker/Dockerfile puts the shaded jar ({@code COPY all-in-one/target/... DEST}). */
    private String dockerfileJarPath() throws IOException {
        List<String> copies = Files.readAllLines(root.resolve("deploy/docker/Dockerfile")).stream()
                .filter(l -> l.startsWith("COPY ")).toList();
        assertThat(copies).as("COPY lines of the Dockerfile").hasSize(1);
        String[] words = copies.get(0).trim().split("\\s+");
        assertThat(words[1]).as("the Dockerfile copies the all-in-one jar")
                .isEqualTo("all-in-one/target/osprey-all-in-one.jar");
        return words[words.length - 1];
    }

    @Test
    void everyOspreyVariableIsOneItsComponentBinds() {
        // The bindings themselves ran in load(): a variable with the component's prefix that names no key failed
        // there, naming it. Here: no variable is meant for another component or misses the prefix by a typo.
        Map<String, String> prefixes = Map.of("epp-frontend", "OSPREY_EPP_", "metrics-collector",
                "OSPREY_COLLECTOR_", "state-aggregator", "OSPREY_AGGREGATOR_");
        for (Workload w : workloads) {
            for (Workload.Bound b : w.containers()) {
                String prefix = prefixes.getOrDefault(b.binding().module(), "OSPREY_NONE_");
                assertThat(b.container().getEnv()).as(b.where() + " variables")
                        .allSatisfy(v -> assertThat(v.getName()).satisfiesAnyOf(
                                name -> assertThat(name).startsWith(prefix),
                                name -> assertThat(name).doesNotStartWithIgnoringCase("OSPREY")));
            }
        }
    }

    @Test
    void containerPortsAndProbesAreTheConfiguredPorts() {
        for (Workload w : workloads) {
            for (Workload.Bound b : w.containers()) {
                List<Integer> declared = b.container().getPorts().stream().map(ContainerPort::getContainerPort)
                        .toList();
                assertThat(declared).as(b.where() + " containerPorts = the ports the process listens on")
                        .containsExactlyInAnyOrderElementsOf(b.binding().ports());
                for (Probe probe : probes(b.container())) {
                    if (probe.getGrpc() != null) {
                        EppConfig epp = (EppConfig) b.binding().config();
                        assertThat(probe.getGrpc().getPort()).as(b.where() + " gRPC probe port")
                                .isEqualTo(epp.healthPort());
                        assertThat(EppServer.HEALTH_SERVICES).as(b.where() + " gRPC probe service")
                                .contains(probe.getGrpc().getService());
                    } else if (probe.getHttpGet() != null) {
                        assertThat(b.binding().ports()).as(b.where() + " HTTP probe port")
                                .contains(probe.getHttpGet().getPort().getIntVal());
                        if (b.binding().config() instanceof Aggregator a) {
                            assertThat(probe.getHttpGet().getPort().getIntVal()).as(b.where() + " /healthz port")
                                    .isEqualTo(a.arguments().operationsPort());
                            assertThat(probe.getHttpGet().getPath()).as(b.where()).isEqualTo("/healthz");
                        }
                    } else {
                        fail(b.where() + ": a probe that is neither gRPC nor HTTP GET");
                    }
                }
                if (b.binding().config() instanceof EppConfig) {
                    assertThat(b.container().getReadinessProbe().getGrpc().getService()).as(b.where() + " readiness")
                            .isEqualTo("readiness");
                    assertThat(b.container().getLivenessProbe().getGrpc().getService()).as(b.where() + " liveness")
                            .isEqualTo("liveness");
                }
            }
        }
    }

    private static List<Probe> probes(Container c) {
        List<Probe> probes = new ArrayList<>();
        for (Probe p : new Probe[] {c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()}) {
            if (p != null) {
                probes.add(p);
            }
        }
        return probes;
    }

    @Test
    void servicesTargetPortsOfThePodsTheySelect() {
        for (DeployDocument doc : documents) {
            if (!(doc.resource() instanceof Service service)) {
                continue;
            }
            List<Workload> selected = workloads.stream().filter(w -> w.template().getMetadata().getLabels()
                    .entrySet().containsAll(service.getSpec().getSelector().entrySet())).toList();
            assertThat(selected).as(doc.describe() + " selects one workload").hasSize(1);
            List<ContainerPort> ports = selected.get(0).containers().stream()
                    .flatMap(b -> b.container().getPorts().stream()).toList();
            for (ServicePort port : service.getSpec().getPorts()) {
                assertThat(containerPort(ports, port.getTargetPort())).as(doc.describe() + " port " + port.getName()
                        + " targets a container port").isPresent();
            }
        }
    }

    private static Optional<ContainerPort> containerPort(List<ContainerPort> ports, IntOrString target) {
        return ports.stream().filter(p -> target.getStrVal() != null ? target.getStrVal().equals(p.getName())
                : target.getIntVal().equals(p.getContainerPort())).findFirst();
    }

    @Test
    void eppServiceSpeaksTheProtocolOfEachPort() {
        Workload.Bound epp = only("epp-frontend");
        EppConfig config = (EppConfig) epp.binding().config();
        Service service = serviceSelecting(epp);
        List<ContainerPort> ports = epp.container().getPorts();
        for (ServicePort port : service.getSpec().getPorts()) {
            int target = containerPort(ports, port.getTargetPort()).orElseThrow().getContainerPort();
            if (target == config.grpcPort()) {
                assertThat(port.getAppProtocol()).as("ext-proc port: TLS unless osprey.epp.tls.plaintext")
                        .isEqualTo(config.tlsPlaintext() ? "kubernetes.io/h2c" : "http2");
            } else if (target == config.healthPort()) {
                assertThat(port.getAppProtocol()).as("health port (always plaintext)").isEqualTo("kubernetes.io/h2c");
            }
        }
    }

    @Test
    void ospreyProcessesAgreeOnClusterKafkaRegistryAndTopics() {
        Map<String, ComponentBinding.Shared> shared = new LinkedHashMap<>();
        workloads.forEach(w -> w.containers().forEach(b -> b.binding().shared()
                .ifPresent(s -> shared.put(b.where(), s))));
        assertThat(shared).hasSize(3);
        assertThat(Set.copyOf(shared.values())).as("settings of %s", shared.keySet()).hasSize(1);
        assertThat(shared.values().iterator().next().schemaRegistryUrl())
                .as("separate processes cannot share an in-memory registry").doesNotStartWith("mock:");
    }

    @Test
    void replicasShareWorkThroughKafka() {
        for (Workload w : workloads) {
            for (Workload.Bound b : w.containers()) {
                if (b.binding().config() instanceof Collector c && w.replicas() > 1) {
                    assertThat(c.config().shards()).as(b.where() + ": replicas must split endpoints")
                            .isGreaterThanOrEqualTo(w.replicas());
                }
                if (b.binding().config() instanceof Aggregator a) {
                    assertThat(w.document().resource()).as(b.where()).isInstanceOf(StatefulSet.class);
                    assertThat(a.config().numStandbyReplicas()).as(b.where() + " standby replicas")
                            .isBetween(1, w.replicas() - 1);
                    assertThat(a.config().applicationServer()).as(b.where() + " advertised query address")
                            .startsWith(ContainerLaunch.POD_IP + ":");
                    StatefulSet set = (StatefulSet) w.document().resource();
                    Set<String> claims = set.getSpec().getVolumeClaimTemplates().stream()
                            .map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
                    assertThat(b.container().getVolumeMounts()).as(b.where() + ": state directory on a claimed volume")
                            .anySatisfy(m -> {
                                assertThat(claims).contains(m.getName());
                                assertThat(Path.of(a.config().stateDir()).startsWith(m.getMountPath()))
                                        .as(a.config().stateDir() + " under " + m.getMountPath()).isTrue();
                            });
                }
                if (b.binding().config() instanceof EppConfig) {
                    assertThat(w.replicas()).as(b.where() + ": active-active replicas").isGreaterThanOrEqualTo(2);
                    assertThat(b.launch().environment()).as(b.where() + ": replica id from the pod name")
                            .doesNotContainKey("OSPREY_EPP_REPLICA_ID");
                }
            }
        }
    }

    @Test
    void gracefulStopFitsTheTerminationGracePeriod() {
        for (Workload w : workloads) {
            Long grace = w.template().getSpec().getTerminationGracePeriodSeconds();
            Duration period = Duration.ofSeconds(grace == null ? 30 : grace);
            for (Workload.Bound b : w.containers()) {
                assertThat(b.binding().shutdown()).as(b.where() + " graceful stop").isLessThan(period);
            }
        }
    }

    @Test
    void rolesGrantExactlyTheRequestsOfTheKubernetesResourceSource() throws Exception {
        Set<String> needed = ResourceSourceRequests.observe(ContainerLaunch.NAMESPACE);
        assertThat(needed).as("requests observed").isNotEmpty();
        int checked = 0;
        for (Workload w : workloads) {
            for (Workload.Bound b : w.containers()) {
                String account = w.template().getSpec().getServiceAccountName();
                if (b.binding().kubernetes().isEmpty()) {
                    continue;
                }
                checked++;
                assertThat(b.binding().kubernetes().get()).as(b.where() + " watches its own namespace (a Role)")
                        .isEqualTo(ContainerLaunch.NAMESPACE);
                assertThat(account).as(b.where() + " service account").isNotBlank();
                assertThat(documents).as(b.where() + " ServiceAccount " + account)
                        .anyMatch(d -> d.kind().equals("ServiceAccount") && d.name().equals(account));
                assertThat(granted(account)).as(b.where() + ": Role rules vs the requests KubernetesResourceSource"
                        + " makes").containsExactlyInAnyOrderElementsOf(needed);
            }
        }
        assertThat(checked).as("containers using the Kubernetes API").isEqualTo(2);
    }

    /** {@code group/resource/verb} the Roles bound to {@code account} grant. */
    private static List<String> granted(String account) {
        List<String> out = new ArrayList<>();
        for (DeployDocument doc : documents) {
            if (!(doc.resource() instanceof RoleBinding binding) || binding.getSubjects().stream()
                    .noneMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(account))) {
                continue;
            }
            assertThat(binding.getRoleRef().getKind()).as(doc.describe()).isEqualTo("Role");
            Role role = documents.stream().filter(d -> d.resource() instanceof Role
                    && d.name().equals(binding.getRoleRef().getName())).map(d -> (Role) d.resource())
                    .findFirst().orElseThrow(() -> new AssertionError(doc.describe() + " binds a missing Role"));
            for (PolicyRule rule : role.getRules()) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        rule.getVerbs().forEach(verb -> out.add(group + "/" + resource + "/" + verb));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void inferencePoolNamesTheEppServiceAndSelectsTheModelServers() {
        Path poolFile = root.resolve("deploy/kubernetes/07-inferencepool.yaml");
        List<InferencePool> pools = ResourceFileLoader.load(poolFile).pools();
        assertThat(pools).as("pools Osprey reads from " + poolFile).hasSize(1);
        InferencePool pool = pools.get(0);

        Workload.Bound epp = only("epp-frontend");
        EppConfig config = (EppConfig) epp.binding().config();
        assertThat(config.poolName()).as("the EPP serves this pool").isEqualTo(pool.meta().name());

        var ref = pool.endpointPickerRef().orElseThrow(() -> new AssertionError("no endpointPickerRef"));
        Service service = serviceSelecting(epp);
        assertThat(ref.name()).as("endpointPickerRef.name").isEqualTo(service.getMetadata().getName());
        ServicePort port = service.getSpec().getPorts().stream().filter(p -> p.getPort() == ref.port()).findFirst()
                .orElseThrow(() -> new AssertionError("the EPP Service has no port " + ref.port()));
        assertThat(containerPort(epp.container().getPorts(), port.getTargetPort()).orElseThrow().getContainerPort())
                .as("endpointPickerRef.port reaches the ext-proc port").isEqualTo(config.grpcPort());

        List<Workload> servers = workloads.stream()
                .filter(w -> pool.selects(w.template().getMetadata().getLabels())).toList();
        assertThat(servers).as("workloads the pool selects").hasSize(1);
        assertThat(servers.get(0).containers()).extracting(b -> b.binding().module()).containsOnly("model-server-sim");
        assertThat(servers.get(0).containers().stream().flatMap(b -> b.binding().ports().stream()).toList())
                .as("model servers listen on the pool's target ports").containsAll(pool.targetPorts());
    }

    @Test
    void everyHttpRouteSendsToTheInferencePoolThroughItsGateway() {
        String pool = documents.stream().filter(d -> d.kind().equals("InferencePool")).map(DeployDocument::name)
                .findFirst().orElseThrow();
        Map<Path, List<DeployDocument>> byFile = documents.stream()
                .filter(d -> d.file().startsWith("deploy/gateways"))
                .collect(Collectors.groupingBy(DeployDocument::file));
        assertThat(byFile.keySet()).extracting(Path::toString)
                .containsExactlyInAnyOrderElementsOf(GATEWAY_CLASSES.keySet());
        byFile.forEach((file, docs) -> {
            List<Gateway> gateways = docs.stream().filter(d -> d.resource() instanceof Gateway)
                    .map(d -> (Gateway) d.resource()).toList();
            List<HTTPRoute> routes = docs.stream().filter(d -> d.resource() instanceof HTTPRoute)
                    .map(d -> (HTTPRoute) d.resource()).toList();
            assertThat(gateways).as(file + " gateways").hasSize(1);
            assertThat(routes).as(file + " routes").isNotEmpty();
            Gateway gateway = gateways.get(0);
            assertThat(gateway.getSpec().getGatewayClassName()).as(file + " gatewayClassName")
                    .isEqualTo(GATEWAY_CLASSES.get(file.toString()));
            for (HTTPRoute route : routes) {
                for (ParentReference parent : route.getSpec().getParentRefs()) {
                    assertThat(parent.getName()).as(file + " parentRef").isEqualTo(gateway.getMetadata().getName());
                }
                List<HTTPBackendRef> backends = route.getSpec().getRules().stream()
                        .flatMap(r -> r.getBackendRefs().stream()).toList();
                assertThat(backends).as(file + " backendRefs").isNotEmpty().allSatisfy(backend -> {
                    assertThat(backend.getGroup()).isEqualTo(INFERENCE_GROUP);
                    assertThat(backend.getKind()).isEqualTo("InferencePool");
                    assertThat(backend.getName()).isEqualTo(pool);
                });
            }
        });
    }

    @Test
    void podMonitorScrapesTheMetricsPortOfEveryOspreyProcess() {
        DeployDocument monitor = documents.stream().filter(d -> d.kind().equals("PodMonitor")).findFirst()
                .orElseThrow();
        JsonNode spec = monitor.raw().path("spec");
        JsonNode expression = spec.path("selector").path("matchExpressions").get(0);
        assertThat(expression.path("operator").asText()).isEqualTo("In");
        Set<String> selected = new TreeSet<>();
        expression.path("values").forEach(v -> selected.add(v.asText()));
        String key = expression.path("key").asText();
        String port = spec.path("podMetricsEndpoints").get(0).path("port").asText();
        for (Workload w : workloads) {
            String value = w.template().getMetadata().getLabels().get(key);
            for (Workload.Bound b : w.containers()) {
                if (b.binding().shared().isEmpty()) {
                    assertThat(selected).as(b.where() + " is not an Osprey process").doesNotContain(value);
                    continue;
                }
                assertThat(selected).as(b.where() + " is scraped").contains(value);
                Object config = b.binding().config();
                int metricsPort = config instanceof EppConfig c ? c.metricsPort()
                        : config instanceof Collector c ? c.config().metricsPort()
                        : ((Aggregator) config).arguments().operationsPort();
                assertThat(containerPort(b.container().getPorts(), new IntOrString(port)))
                        .as(b.where() + " port " + port).get().extracting(ContainerPort::getContainerPort)
                        .isEqualTo(metricsPort);
            }
        }
    }

    @Test
    void dashboardQueriesOspreyMetricsOfEveryComponent() throws IOException {
        DashboardQueries dashboard = DashboardQueries.load(root);
        assertThat(dashboard.expressions()).as("queries of " + DashboardQueries.FILE).isNotEmpty()
                .allSatisfy(e -> assertThat(DashboardQueries.metricsOf(e)).as(e).isNotEmpty());
        assertThat(dashboard.panelTitles()).doesNotHaveDuplicates();
        // Whether each name is really exported is DashboardMetricsIT's job (it needs the running processes).
        assertThat(dashboard.metrics()).anyMatch(m -> m.startsWith("inference_"))
                .anyMatch(m -> m.startsWith("osprey_epp_")).anyMatch(m -> m.startsWith("osprey_collector_"))
                .anyMatch(m -> m.startsWith("osprey_aggregator_"));
    }

    private static Workload.Bound only(String module) {
        List<Workload.Bound> found = workloads.stream().flatMap(w -> w.containers().stream())
                .filter(b -> b.binding().module().equals(module)).toList();
        assertThat(found).as(module + " containers").hasSize(1);
        return found.get(0);
    }

    private static Service serviceSelecting(Workload.Bound bound) {
        Workload owner = workloads.stream().filter(w -> w.containers().contains(bound)).findFirst().orElseThrow();
        List<Service> services = documents.stream().filter(d -> d.resource() instanceof Service)
                .map(d -> (Service) d.resource()).filter(s -> owner.template().getMetadata().getLabels().entrySet()
                        .containsAll(s.getSpec().getSelector().entrySet())).toList();
        assertThat(services).as("Services selecting " + bound.where()).hasSize(1);
        return services.get(0);
    }
}
