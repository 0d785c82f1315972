package dev.osprey.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortCheckTest {

    private static AllInOneConfig config(String... args) {
        return ((AllInOneCli.Run) AllInOneCli.parse(args)).config();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aTakenPortFailsNamingItsFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            AllInOneConfig config = config("--gateway-port", String.valueOf(freePort()), "--grpc-port", "0",
                    "--health-port", "0", "--metrics-port", "-1", "--registry-port",
                    String.valueOf(taken.getLocalPort()));

            assertThatThrownBy(() -> PortCheck.requireFree(config)).isInstanceOf(BindException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("choose another port with --registry-port");
        }
    }

    @Test
    void freeEphemeralAndDisabledPortsPass() throws Exception {
        AllInOneConfig config = config("--gateway-port", String.valueOf(freePort()), "--grpc-port", "0",
                "--health-port", "0", "--metrics-port", "-1", "--registry-port", String.valueOf(freePort()));

        assertThat(PortCheck.ports(config)).hasSize(2);
        assertThatCode(() -> PortCheck.requireFree(config)).doesNotThrowAnyException();
    }
}
