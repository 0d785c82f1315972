package dev.osprey.schemas.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory that {@link #close()} deletes with everything in it, for state that must not outlive the
 * process part that owns it (the embedded broker's logs, the all-in-one aggregator's state stores).
 *
 * @param path the directory
 */
public record TempDirectory(Path path) implements AutoCloseable {

    /** Creates a fresh directory under {@code java.io.tmpdir} whose name starts with {@code prefix}. */
    public static TempDirectory create(String prefix) throws IOException {
        return new TempDirectory(Files.createTempDirectory(prefix));
    }

    /** Deletes {@code root} and everything under it; nothing happens when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Deletes the directory and its contents. */
    @Override
    public void close() {
        try {
            deleteTree(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete temporary directory " + path, e);
        }
    }
}
