package dev.osprey.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every JDK HTTP server in Osprey's main code is created where TCP_NODELAY is switched on first
 * ({@code HttpServers} for Osprey's processes, {@code ModelServerSim} for the standalone simulator): the JDK reads the
 * switch once per JVM, so one server created elsewhere, first, would put Nagle's ~40 ms back on every streamed
 * first token.
 */
class HttpServerCreationTest {

    private static final List<String> ALLOWED = List.of("HttpServers.java", "ModelServerSim.java");

    @Test
    void everyHttpServerIsCreatedWithNoDelay() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/")).toList();
        }

        assertThat(sources).as("main sources found under " + root).hasSizeGreaterThan(100);
        assertThat(sources.stream().filter(HttpServerCreationTest::createsServer))
                .extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrderElementsOf(ALLOWED);
    }

    private static boolean createsServer(Path file) {
        try {
            String text = Files.readString(file);
            return text.contains("HttpServer.create(") || text.contains("HttpsServer.create(");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
