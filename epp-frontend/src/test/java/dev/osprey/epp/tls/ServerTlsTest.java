package dev.osprey.epp.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ext-proc port's TLS modes, exercised with a Netty client over loopback. */
class ServerTlsTest {

    private static final EppConfig BASE = EppConfig.defaults("localhost:9092", "ns", "pool");

    private final List<ManagedChannel> channels = new ArrayList<>();
    private Server server;

    @AfterEach
    void stop() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdownNow);
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private int start(EppConfig config) throws IOException {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("", ServingStatus.SERVING);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), ServerTls.credentials(config))
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
        Path cert = Files.write(dir.resolve("tls.crt"), serverCert.certificatePem());
        Path key = Files.write(dir.resolve("tls.key"), serverCert.privateKeyPem());
        Path ca = Files.write(dir.resolve("clients.pem"), clientCert.certificatePem());
        int port = start(BASE.withTlsCertificate(cert.toString(), key.toString()).withTlsClientCaFile(ca.toString()));

        ChannelCredentials trusted = TlsChannelCredentials.newBuilder()
                .trustManager(new ByteArrayInputStream(serverCert.certificatePem()))
                .keyManager(new ByteArrayInputStream(clientCert.certificatePem()),
                        new ByteArrayInputStream(clientCert.privateKeyPem())).build();
        assertThat(check(port, trusted)).isEqualTo(ServingStatus.SERVING);

        ChannelCredentials noClientCert = TlsChannelCredentials.newBuilder()
                .trustManager(new ByteArrayInputStream(serverCert.certificatePem())).build();
        assertThatThrownBy(() -> check(port, noClientCert)).isInstanceOf(StatusRuntimeException.class);
        ChannelCredentials unknownClient = TlsChannelCredentials.newBuilder()
                .trustManager(new ByteArrayInputStream(serverCert.certificatePem()))
                .keyManager(new ByteArrayInputStream(stranger.certificatePem()),
                        new ByteArrayInputStream(stranger.privateKeyPem())).build();
        assertThatThrownBy(() -> check(port, unknownClient)).isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void certificateAndKeyMustBeSetTogether() {
        assertThatThrownBy(() -> BASE.with(EppConfig.TLS_CERT_FILE, "/tmp/x.crt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set together");
    }
}
