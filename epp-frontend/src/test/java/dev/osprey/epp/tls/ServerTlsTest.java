package dev.osprey.epp.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.osprey.epp.EppConfig;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.security.cert.X509Certificate;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import javax.net.ssl.X509TrustManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ext-proc port's TLS modes, exercised with a Netty client over loopback. */
class ServerTlsTest {

    private static final EppConfig BASE = EppConfig.defaults("localhost:9092", "ns", "pool");
    private static final String CLIENT_CA = "clients.pem";

    private final List<ManagedChannel> channels = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Server server;
    private ServerTls tls;

    @AfterEach
    void stop() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdownNow);
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (tls != null) {
            tls.close();
        }
    }

    private int start(EppConfig config) throws IOException {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("", ServingStatus.SERVING);
        tls = ServerTls.open(config, meters);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), tls.credentials())
                .addService(health.getHealthService()).build().start();
        return server.getPort();
    }

    private ServingStatus check(int port, ChannelCredentials credentials) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port, credentials).build();
        channels.add(channel);
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    @Test
    void selfSignedTlsIsTheDefaultAndPlaintextClientsAreRefused() throws Exception {
        assertThat(BASE.tlsPlaintext()).isFalse();
        int port = start(BASE);
        assertThat(check(port, TrustAll.credentials())).isEqualTo(ServingStatus.SERVING);
        assertThatThrownBy(() -> check(port, InsecureChannelCredentials.create()))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void plaintextByFlag() throws Exception {
        int port = start(BASE.withTlsPlaintext(true));
        assertThat(check(port, InsecureChannelCredentials.create())).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void givenCertificateWithClientCertificatesVerified(@TempDir Path dir) throws Exception {
        SelfSignedCertificate serverCert = SelfSignedCertificate.generate("osprey-epp");
        SelfSignedCertificate clientCert = SelfSignedCertificate.generate("gateway");
        SelfSignedCertificate stranger = SelfSignedCertificate.generate("stranger");
        int port = start(mutualTls(dir, serverCert, clientCert));

        assertThat(check(port, clientOf(serverCert, clientCert))).isEqualTo(ServingStatus.SERVING);

        ChannelCredentials noClientCert = TlsChannelCredentials.newBuilder()
                .trustManager(new ByteArrayInputStream(serverCert.certificatePem())).build();
        assertThatThrownBy(() -> check(port, noClientCert)).isInstanceOf(StatusRuntimeException.class);
        assertThatThrownBy(() -> check(port, clientOf(serverCert, stranger)))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void certificateAndKeyMustBeSetTogether() {
        assertThatThrownBy(() -> BASE.with(EppConfig.TLS_CERT_FILE, "/tmp/x.crt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set together");
    }

    /** Client credentials trusting any server certificate and keeping the subject of the last one seen. */
    private static final class SubjectRecorder implements X509TrustManager {
        volatile String subject = "";

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            subject = chain[0].getSubjectX500Principal().getName();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private double reloads(String result) {
        return meters.get("osprey_epp_tls_reloads").tag("result", result).counter().count();
    }

    /** Writes a PEM file and moves its modification time on, so a check sees it changed even within a second. */
    private static void replace(Path file, byte[] pem, int generation) throws IOException {
        Files.write(file, pem);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + generation * 2_000L));
    }

    @Test
    void aRotatedCertificateIsServedToNewConnectionsAndABrokenOneIsIgnored(@TempDir Path dir) throws Exception {
        SelfSignedCertificate first = SelfSignedCertificate.generate("osprey-epp-1");
        SelfSignedCertificate second = SelfSignedCertificate.generate("osprey-epp-2");
        Path cert = Files.write(dir.resolve("tls.crt"), first.certificatePem());
        Path key = Files.write(dir.resolve("tls.key"), first.privateKeyPem());
        int port = start(BASE.withTlsCertificate(cert.toString(), key.toString())
                .withTlsReloadInterval(Duration.ofMillis(50)));
        SubjectRecorder seen = new SubjectRecorder();
        ChannelCredentials client = TlsChannelCredentials.newBuilder().trustManager(seen).build();
        assertThat(check(port, client)).isEqualTo(ServingStatus.SERVING);
        assertThat(seen.subject).isEqualTo("CN=osprey-epp-1");

        replace(key, second.privateKeyPem(), 1);
        replace(cert, second.certificatePem(), 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(check(port, client)).isEqualTo(ServingStatus.SERVING);
            assertThat(seen.subject).isEqualTo("CN=osprey-epp-2");
        });

        // (a check between the two writes above may have seen a mismatched pair and refused it: counts are relative)
        double failedBefore = reloads("failed");
        replace(cert, "not a certificate".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> reloads("failed") > failedBefore);
        assertThat(check(port, client)).isEqualTo(ServingStatus.SERVING);
        assertThat(seen.subject).isEqualTo("CN=osprey-epp-2");

        double failedAfterGarbage = reloads("failed");
        replace(cert, first.certificatePem(), 3); // the first certificate with the second key: refused
        await().atMost(Duration.ofSeconds(20)).until(() -> reloads("failed") > failedAfterGarbage);
        assertThat(check(port, client)).isEqualTo(ServingStatus.SERVING);
        assertThat(seen.subject).isEqualTo("CN=osprey-epp-2");
        assertThat(reloads("ok")).isEqualTo(1);
    }

    @Test
    void aRotatedClientCaDecidesWhichClientsGetIn(@TempDir Path dir) throws Exception {
        SelfSignedCertificate serverCert = SelfSignedCertificate.generate("osprey-epp");
        SelfSignedCertificate oldClient = SelfSignedCertificate.generate("gateway-old");
        SelfSignedCertificate newClient = SelfSignedCertificate.generate("gateway-new");
        int port = start(mutualTls(dir, serverCert, oldClient).withTlsReloadInterval(Duration.ofMillis(50)));
        assertThat(check(port, clientOf(serverCert, oldClient))).isEqualTo(ServingStatus.SERVING);
        assertThatThrownBy(() -> check(port, clientOf(serverCert, newClient)))
                .isInstanceOf(StatusRuntimeException.class);

        replace(dir.resolve(CLIENT_CA), newClient.certificatePem(), 1);

        await().atMost(Duration.ofSeconds(20)).ignoreException(StatusRuntimeException.class).untilAsserted(() ->
                assertThat(check(port, clientOf(serverCert, newClient))).isEqualTo(ServingStatus.SERVING));
        assertThatThrownBy(() -> check(port, clientOf(serverCert, oldClient)))
                .isInstanceOf(StatusRuntimeException.class);
    }

    /** TLS with {@code server}'s certificate, accepting clients that present {@code client}'s. */
    private static EppConfig mutualTls(Path dir, SelfSignedCertificate server, SelfSignedCertificate client)
            throws IOException {
        Path cert = Files.write(dir.resolve("tls.crt"), server.certificatePem());
        Path key = Files.write(dir.resolve("tls.key"), server.privateKeyPem());
        Path ca = Files.write(dir.resolve(CLIENT_CA), client.certificatePem());
        return BASE.withTlsCertificate(cert.toString(), key.toString()).withTlsClientCaFile(ca.toString());
    }

    private static ChannelCredentials clientOf(SelfSignedCertificate server, SelfSignedCertificate client) {
        try {
            return TlsChannelCredentials.newBuilder()
                    .trustManager(new ByteArrayInputStream(server.certificatePem()))
                    .keyManager(new ByteArrayInputStream(client.certificatePem()),
                            new ByteArrayInputStream(client.privateKeyPem())).build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void reloadingNeedsFilesToReload() {
        assertThatThrownBy(() -> BASE.withTlsReloadInterval(Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(EppConfig.TLS_RELOAD_INTERVAL_MS.name()).hasMessageContaining("self-signed");
        assertThatThrownBy(() -> BASE.withTlsPlaintext(true).withTlsClientCaFile("/tmp/ca.pem")
                .withTlsReloadInterval(Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(EppConfig.TLS_PLAINTEXT.name());
    }

    @Test
    void aMissingCertificateFileFailsStartNamingIt(@TempDir Path dir) {
        String missing = dir.resolve("absent.crt").toString();
        assertThatThrownBy(() -> ServerTls.open(BASE.withTlsCertificate(missing, dir.resolve("absent.key").toString())
                .withTlsReloadInterval(Duration.ofSeconds(1)), meters))
                .isInstanceOf(IOException.class).hasMessageContaining("absent");
    }
}
