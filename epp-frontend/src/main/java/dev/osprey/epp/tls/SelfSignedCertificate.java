package dev.osprey.epp.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed RSA certificate and its key as PEM, generated with the JDK's {@code keytool} (no extra libraries)
 * in a private temporary directory that is deleted afterwards.
 *
 * @param certificate the certificate
 * @param certificatePem the certificate, PEM
 * @param privateKeyPem the PKCS#8 private key, PEM
 */
public record SelfSignedCertificate(X509Certificate certificate, byte[] certificatePem, byte[] privateKeyPem) {

    private static final long KEYTOOL_TIMEOUT_S = 60;

    public SelfSignedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        certificatePem = certificatePem.clone();
        privateKeyPem = privateKeyPem.clone();
    }

    @Override
    public byte[] certificatePem() {
        return certificatePem.clone();
    }

    @Override
    public byte[] privateKeyPem() {
        return privateKeyPem.clone();
    }

    /**
     * Generates a certificate for {@code commonName}, valid ten years, with subject alternative names localhost,
     * 127.0.0.1 and ::1 besides the common name.
     *
     * @throws IllegalStateException when keytool is missing, fails or times out
     */
    public static SelfSignedCertificate generate(String commonName) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("osprey-tls");
            Path store = dir.resolve("self-signed.p12");
            char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
            runKeytool(List.of("-genkeypair", "-alias", "osprey", "-keyalg", "RSA", "-keysize", "2048",
                    "-validity", "3650", "-dname", "CN=" + commonName,
                    "-ext", "SAN=dns:" + commonName + ",dns:localhost,ip:127.0.0.1,ip:::1",
                    "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(password)));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, password);
            }
            X509Certificate cert = (X509Certificate) ks.getCertificate("osprey");
            PrivateKey key = (PrivateKey) ks.getKey("osprey", password);
            return new SelfSignedCertificate(cert, pem("CERTIFICATE", cert.getEncoded()),
                    pem("PRIVATE KEY", key.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted generating a self-signed certificate", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void runKeytool(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(output);
        }
        if (!p.waitFor(KEYTOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_S + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool exited with " + p.exitValue() + ": "
                    + output.toString(StandardCharsets.UTF_8).trim());
        }
    }

    static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // best effort: a temp file left behind is harmless but worth knowing about
            org.slf4j.LoggerFactory.getLogger(SelfSignedCertificate.class)
                    .warn("cannot delete temporary directory {}: {}", dir, e.getMessage());
        }
    }
}
