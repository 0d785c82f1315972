package dev.osprey.epp.tls;

import dev.osprey.epp.EppConfig;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials of the ext-proc port from an {@link EppConfig}: plaintext when {@code tls.plaintext}; otherwise
 * TLS with {@code tls.cert-file}/{@code tls.key-file} or, when they are empty, a certificate generated at start-up
 * (as upstream's EPP does, gateways do not verify it). With {@code tls.client-ca-file} clients must present a
 * certificate that bundle verifies. With {@code tls.reload-interval-ms} above 0 the given files are checked that
 * often and re-read when they change ({@link CredentialReloader}): a rotated certificate or CA bundle applies to
 * new connections, and files that do not load (or a key that does not match its certificate) are logged and the
 * previous credentials kept. Closing stops the checks.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final ServerCredentials credentials;
    private final Optional<CredentialReloader> reloader;

    private ServerTls(ServerCredentials credentials, Optional<CredentialReloader> reloader) {
        this.credentials = credentials;
        this.reloader = reloader;
    }

    /**
     * Builds the credentials, reading the PEM files (and starting their checks when a reload interval is set);
     * reload counts go to {@code meters}.
     *
     * @throws IOException naming the file when a PEM file cannot be read or parsed
     */
    public static ServerTls open(EppConfig config, MeterRegistry meters) throws IOException {
        if (config.tlsPlaintext()) {
            return new ServerTls(InsecureServerCredentials.create(), Optional.empty());
        }
        Optional<CredentialReloader> reloader = config.tlsReloadInterval().isZero() ? Optional.empty()
                : Optional.of(new CredentialReloader(config.tlsReloadInterval(), meters));
        try {
            TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder();
            if (config.tlsCertFile().isBlank()) {
                SelfSignedCertificate self = SelfSignedCertificate.generate("osprey-epp");
                LOG.info("ext-proc TLS with a self-signed certificate, subject {}",
                        self.certificate().getSubjectX500Principal().getName());
                tls.keyManager(new ByteArrayInputStream(self.certificatePem()),
                        new ByteArrayInputStream(self.privateKeyPem()));
            } else if (reloader.isPresent()) {
                Path cert = Path.of(config.tlsCertFile());
                Path key = Path.of(config.tlsKeyFile());
                AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
                reloader.get().watch(EppConfig.TLS_CERT_FILE.name() + " and " + EppConfig.TLS_KEY_FILE.name(),
                        List.of(cert, key), () -> {
                            X509Certificate[] chain = certificates(cert);
                            PrivateKey privateKey = privateKey(key);
                            KeyPairCheck.requireMatch(privateKey, chain[0]);
                            keys.updateIdentityCredentials(chain, privateKey);
                        });
                tls.keyManager(keys);
            } else {
                tls.keyManager(new File(config.tlsCertFile()), new File(config.tlsKeyFile()));
            }
            if (!config.tlsClientCaFile().isBlank()) {
                Path ca = Path.of(config.tlsClientCaFile());
                if (reloader.isPresent()) {
                    AdvancedTlsX509TrustManager trust = clientVerifier();
                    reloader.get().watch(EppConfig.TLS_CLIENT_CA_FILE.name(), List.of(ca),
                            () -> trust.updateTrustCredentials(certificates(ca)));
                    tls.trustManager(new UnnamedIssuers(trust));
                } else {
                    tls.trustManager(ca.toFile());
                }
                tls.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            reloader.ifPresent(r -> LOG.info("ext-proc TLS files checked every {} ms and re-read when they change",
                    config.tlsReloadInterval().toMillis()));
            return new ServerTls(tls.build(), reloader);
        } catch (IOException | RuntimeException e) {
            reloader.ifPresent(CredentialReloader::close);
            throw e;
        }
    }

    /** The credentials for the ext-proc server. */
    public ServerCredentials credentials() {
        return credentials;
    }

    /** Stops checking the files; the credentials keep what they last loaded. Idempotent. */
    @Override
    public void close() {
        reloader.ifPresent(CredentialReloader::close);
    }

    private static X509Certificate[] certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            X509Certificate[] chain = CertificateUtils.getX509Certificates(in);
            if (chain.length == 0) {
                throw new GeneralSecurityException("no certificate in " + file);
            }
            return chain;
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateUtils.getPrivateKey(in);
        }
    }

    /** Verifies client certificate chains against the CA bundle, without host names (clients have none to check). */
    private static AdvancedTlsX509TrustManager clientVerifier() throws IOException {
        try {
            return AdvancedTlsX509TrustManager.newBuilder()
                    .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION).build();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up client certificate checks: " + e.getMessage(), e);
        }
    }
}
