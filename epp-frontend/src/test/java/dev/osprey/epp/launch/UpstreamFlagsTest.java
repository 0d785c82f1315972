package dev.osprey.epp.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osprey.epp.EppConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamFlagsTest {

    private static UpstreamFlags parse(String... args) {
        return UpstreamFlags.parse(List.of(args), Map.of());
    }

    @Test
    void upstreamHelmArgsMapOntoOspreyKeys() {
        // the args of upstream's chart Deployment, unchanged
        UpstreamFlags f = UpstreamFlags.parse(List.of("--pool-name", "vllm-llama3-8b-instruct", "--pool-namespace",
                "prod", "--pool-group", "inference.networking.k8s.io", "--zap-encoder", "json", "--config-file",
                "/config/default-plugins.yaml", "--grpc-port", "9002", "--grpc-health-port=9003", "-metrics-port",
                "9090", "--v", "1", "--tracing=false", "--secure-serving", "--metrics-staleness-threshold", "2s"),
                Map.of());
        assertThat(f.settings()).containsEntry(EppConfig.POOL_NAME.name(), "vllm-llama3-8b-instruct")
                .containsEntry(EppConfig.POOL_NAMESPACE.name(), "prod")
                .containsEntry(EppConfig.SCHEDULER_CONFIG.name(), "/config/default-plugins.yaml")
                .containsEntry(EppConfig.GRPC_PORT.name(), "9002").containsEntry(EppConfig.HEALTH_PORT.name(), "9003")
                .containsEntry(EppConfig.METRICS_PORT.name(), "9090")
                .containsEntry(EppConfig.TLS_PLAINTEXT.name(), "false")
                .containsEntry(EppConfig.METRICS_STALENESS_MS.name(), "2000")
                .containsEntry(EppConfig.TRACING_ENABLED.name(), "false");
        assertThat(f.ignored()).anySatisfy(l -> assertThat(l).startsWith("--zap-encoder=json ignored"))
                .anySatisfy(l -> assertThat(l).startsWith("--v=1 ignored"));
        assertThat(parse("--tracing").settings()).containsEntry(EppConfig.TRACING_ENABLED.name(), "true");
    }

    @Test
    void namespaceFallsBackToTheNamespaceVariableThenDefault() {
        assertThat(UpstreamFlags.parse(List.of("--pool-name", "p"), Map.of("NAMESPACE", "team-a")).settings())
                .containsEntry(EppConfig.POOL_NAMESPACE.name(), "team-a");
        assertThat(parse("--pool-name", "p").settings()).containsEntry(EppConfig.POOL_NAMESPACE.name(), "default");
    }

    @Test
    void tlsFlags() {
        assertThat(parse("--secure-serving=false").settings()).containsEntry(EppConfig.TLS_PLAINTEXT.name(), "true");
        assertThat(parse("--secure-serving", "false").settings()).containsEntry(EppConfig.TLS_PLAINTEXT.name(),
                "true");
        assertThat(parse("--cert-path", "/certs").settings())
                .containsEntry(EppConfig.TLS_CERT_FILE.name(), Path.of("/certs", "tls.crt").toString())
                .containsEntry(EppConfig.TLS_KEY_FILE.name(), Path.of("/certs", "tls.key").toString());
        assertThat(parse("--cert-path", "/certs", "--enable-cert-reload").settings())
                .containsEntry(EppConfig.TLS_RELOAD_INTERVAL_MS.name(), String.valueOf(UpstreamFlags.CERT_RELOAD_MS));
        UpstreamFlags selfSigned = parse("--enable-cert-reload=true");
        assertThat(selfSigned.settings()).doesNotContainKey(EppConfig.TLS_RELOAD_INTERVAL_MS.name());
        assertThat(selfSigned.ignored()).singleElement().asString().startsWith("--enable-cert-reload=true ignored");
        assertThat(parse("--cert-path", "/certs", "--enable-cert-reload=false").settings())
                .doesNotContainKey(EppConfig.TLS_RELOAD_INTERVAL_MS.name());
    }

    @Test
    void goDurations() {
        assertThat(GoDuration.toMillis("f", "250ms")).isEqualTo(250);
        assertThat(GoDuration.toMillis("f", "1m30s")).isEqualTo(90_000);
        assertThat(GoDuration.toMillis("f", "1.5s")).isEqualTo(1_500);
        assertThat(GoDuration.toMillis("f", "500us")).isEqualTo(1);
        assertThatThrownBy(() -> GoDuration.toMillis("metrics-staleness-threshold", "2 seconds"))
                .hasMessageContaining("--metrics-staleness-threshold").hasMessageContaining("2 seconds");
        assertThatThrownBy(() -> GoDuration.toMillis("f", "0s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.toMillis("f", "10")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clearErrorsForWhatOspreyCannotHonour() {
        assertThatThrownBy(() -> parse("--frobnicate", "1")).hasMessageContaining("unknown flag --frobnicate");
        assertThatThrownBy(() -> parse("--grpc-port")).hasMessageContaining("--grpc-port needs a value");
        assertThatThrownBy(() -> parse("--pool-group", "example.com")).hasMessageContaining("--pool-group");
        assertThatThrownBy(() -> parse("--endpoint-selector", "app=vllm"))
                .hasMessageContaining("--endpoint-selector is not supported");
        assertThatThrownBy(() -> parse("--kv-cache-usage-percentage-metric", "x"))
                .hasMessageContaining("deprecated upstream");
        assertThatThrownBy(() -> parse("--disable-endpoint-subset-filter"))
                .hasMessageContaining("subset hint");
        assertThatThrownBy(() -> parse("--tracing=maybe")).hasMessageContaining("--tracing must be true or false");
        assertThatThrownBy(() -> parse("--config-file", "a.yaml", "--config-text", "x"))
                .hasMessageContaining("at most one of --config-file and --config-text");
        assertThatThrownBy(() -> parse("stray")).hasMessageContaining("unexpected argument stray");
    }

    @Test
    void precedenceIsFileThenEnvironmentThenFlags(@TempDir Path dir) throws Exception {
        Path props = dir.resolve("epp.properties");
        Files.writeString(props, "osprey.epp.kafka.bootstrap-servers=file:9092\nosprey.epp.grpc-port=7000\n"
                + "osprey.epp.replica-id=from-file\n");
        UpstreamFlags flags = UpstreamFlags.parse(List.of("--config", props.toString(), "--pool-name", "p",
                "--grpc-port", "7002"), Map.of());
        EppConfig config = Main.configuration(flags, Map.of("OSPREY_EPP_GRPC_PORT", "7001",
                "OSPREY_EPP_REPLICA_ID", "from-env", "HOME", "/root"));
        assertThat(config.grpcPort()).isEqualTo(7002);
        assertThat(config.replicaId()).isEqualTo("from-env");
        assertThat(config.bootstrapServers()).isEqualTo("file:9092");
        assertThat(config.poolName()).isEqualTo("p");
    }

    @Test
    void replicaIdDefaultsToTheHostname() {
        Map<String, String> env = Map.of("OSPREY_EPP_KAFKA_BOOTSTRAP_SERVERS", "k:9092", "HOSTNAME", "epp-7f9c-x2");
        assertThat(Main.configuration(parse("--pool-name", "p"), env).replicaId()).isEqualTo("epp-7f9c-x2");
        Map<String, String> named = new java.util.HashMap<>(env);
        named.put("OSPREY_EPP_REPLICA_ID", "east-1");
        assertThat(Main.configuration(parse("--pool-name", "p"), named).replicaId()).isEqualTo("east-1");
    }

    @Test
    void configTextBecomesTheSchedulerFile() throws Exception {
        String yaml = "apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\n";
        UpstreamFlags flags = parse("--pool-name", "p", "--config-text", yaml);
        EppConfig config = Main.configuration(flags, Map.of("OSPREY_EPP_KAFKA_BOOTSTRAP_SERVERS", "k:9092"));
        assertThat(Files.readString(Path.of(config.schedulerConfig()))).isEqualTo(yaml);
    }

    @Test
    void badKeysAndVariablesAreNamed() {
        UpstreamFlags flags = parse("--pool-name", "p", "--grpc-port", "ninety");
        assertThatThrownBy(() -> Main.configuration(flags, Map.of("OSPREY_EPP_KAFKA_BOOTSTRAP_SERVERS", "k:9092")))
                .hasMessageContaining("osprey.epp.grpc-port");
        assertThatThrownBy(() -> Main.configuration(parse("--pool-name", "p"), Map.of("OSPREY_EPP_GRPC_PROT", "1")))
                .hasMessageContaining("OSPREY_EPP_GRPC_PROT");
        assertThatThrownBy(() -> Main.configuration(parse("--pool-name", "p"), Map.of()))
                .hasMessageContaining("osprey.epp.kafka.bootstrap-servers");
    }
}
