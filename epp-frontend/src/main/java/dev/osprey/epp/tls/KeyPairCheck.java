package dev.osprey.epp.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** Whether a private key belongs to a certificate: a test message signed with the key verifies with the certificate. */
final class KeyPairCheck {

    private static final byte[] MESSAGE = "osprey-epp key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairCheck() {
    }

    /**
     * @throws GeneralSecurityException when {@code key} does not sign for {@code certificate}'s public key
     */
    static void requireMatch(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        Optional<String> algorithm = signatureAlgorithm(key.getAlgorithm());
        if (algorithm.isEmpty()) {
            return; // a key type this check does not know: the TLS handshake is the judge
        }
        Signature signer = Signature.getInstance(algorithm.get());
        signer.initSign(key);
        signer.update(MESSAGE);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm.get());
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(MESSAGE);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the private key does not belong to the certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
    }

    private static Optional<String> signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "RSA" -> Optional.of("SHA256withRSA");
            case "EC" -> Optional.of("SHA256withECDSA");
            case "Ed25519", "EdDSA" -> Optional.of("Ed25519");
            default -> Optional.empty();
        };
    }
}
