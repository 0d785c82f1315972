package dev.osprey.epp.tls;

import dev.osprey.epp.EppConfig;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials of the ext-proc port from an {@link EppConfig}: plaintext when {@code tls.plaintext}; otherwise
 * TLS with {@code tls.cert-file}/{@code tls.key-file} or, when they are empty, a certificate generated at start-up
 * (as upstream's EPP does, gateways do not verify it). With {@code tls.client-ca-file} clients must present a
 * certificate that bundle verifies.
 */
public final class ServerTls {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private ServerTls() {
    }

    /**
     * Builds the credentials.
     *
     * @throws IOException when a PEM file cannot be read or parsed
     */
    public static ServerCredentials credentials(EppConfig config) throws IOException {
        if (config.tlsPlaintext()) {
            return InsecureServerCredentials.create();
        }
        TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder();
        if (config.tlsCertFile().isBlank()) {
            SelfSignedCertificate self = SelfSignedCertificate.generate("osprey-epp");
            LOG.info("ext-proc TLS with a self-signed certificate, subject {}",
                    self.certificate().getSubjectX500Principal().getName());
            tls.keyManager(new ByteArrayInputStream(self.certificatePem()),
                    new ByteArrayInputStream(self.privateKeyPem()));
        } else {
            tls.keyManager(new File(config.tlsCertFile()), new File(config.tlsKeyFile()));
        }
        if (!config.tlsClientCaFile().isBlank()) {
            tls.trustManager(new File(config.tlsClientCaFile()));
            tls.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return tls.build();
    }
}
