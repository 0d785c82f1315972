package dev.osprey.epp.tls;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/** Test-side TLS client credentials that accept any server certificate, as gateways do for the EPP. */
public final class TrustAll implements X509TrustManager {

    private TrustAll() {
    }

    /** TLS channel credentials trusting every server certificate. */
    public static ChannelCredentials credentials() {
        return TlsChannelCredentials.newBuilder().trustManager(new TrustAll()).build();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // every server certificate is accepted: the test checks that TLS is spoken, not who the server is
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
