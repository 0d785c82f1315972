package dev.osprey.epp.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client-certificate verifier whose CA bundle may be replaced while the server runs, advertising no CA names.
 * The TLS stack reads the names a server puts in its certificate request once, when the server starts; clients
 * that choose their certificate by those names (Java's default key manager does) would then never offer one
 * issued by a CA added later. With no names every client offers its certificate and the current bundle judges it.
 */
final class UnnamedIssuers extends X509ExtendedTrustManager {

    private static final X509Certificate[] NONE = new X509Certificate[0];

    private final X509ExtendedTrustManager verifier;

    UnnamedIssuers(X509ExtendedTrustManager verifier) {
        this.verifier = verifier;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verifier.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verifier.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifier.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("server side only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("server side only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("server side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NONE;
    }
}
