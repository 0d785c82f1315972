package dev.osprey.schemas.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServersTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(HttpServers.NODELAY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(HttpServers.NODELAY);
        } else {
            System.setProperty(HttpServers.NODELAY, before);
        }
    }

    @Test
    void turnsNagleOffForTheServersItCreates() throws Exception {
        System.clearProperty(HttpServers.NODELAY);

        HttpServer server = HttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.stop(0);

        assertThat(System.getProperty(HttpServers.NODELAY)).isEqualTo("true");
    }

    @Test
    void keepsAnOperatorsExplicitChoice() throws Exception {
        System.setProperty(HttpServers.NODELAY, "false");

        HttpServer server = HttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.stop(0);

        assertThat(System.getProperty(HttpServers.NODELAY)).isEqualTo("false");
    }

    @Test
    void aTakenAddressIsNamedInTheError() throws Exception {
        HttpServer first = HttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        try {
            int port = first.getAddress().getPort();
            assertThatThrownBy(() -> HttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    4)).isInstanceOf(BindException.class).hasMessageContaining(":" + port);
        } finally {
            first.stop(0);
        }
    }
}
