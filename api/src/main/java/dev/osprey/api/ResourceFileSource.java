package dev.osprey.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ResourceSource} that follows a YAML resource file ({@link ResourceFileLoader} format): the file is read
 * again every {@code interval}, and when its bytes changed and they load, the new set becomes {@link #current()} and
 * goes to the subscribers. Polling the content (rather than file events) also sees edits made by replacing the file
 * or a symlink to it, as a mounted Kubernetes ConfigMap is updated.
 *
 * <p>An edit that does not load (bad YAML, a bad field) or a file that cannot be read is logged once per distinct
 * content and counted ({@link #rejectedEdits()}); the last good set stays current, so a half-written or mistaken edit
 * never empties the collector or the EPP. Thread-safe; listeners run on the watcher's single daemon thread.
 */
public final class ResourceFileSource implements ResourceSource {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceFileSource.class);

    private final Path file;
    private final ScheduledExecutorService watcher;
    private final AtomicInteger rejected = new AtomicInteger();
    private final ResourceSetPublisher sets;
    private byte[] lastSeen;
    private String lastProblem = "";

    private ResourceFileSource(Path file, ResourceSet initial, byte[] initialBytes) {
        this.file = file;
        this.sets = new ResourceSetPublisher("resource file " + file, initial);
        this.lastSeen = initialBytes;
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "osprey-resource-file");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Loads {@code file} and starts watching it every {@code interval}.
     *
     * @throws ResourceException when the file cannot be read or loaded at start (nothing to fall back on)
     */
    public static ResourceFileSource start(Path file, Duration interval) {
        Objects.requireNonNull(file, "file");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ResourceException("cannot read resource file " + file + ": " + e.getMessage(), e);
        }
        ResourceFileSource source = new ResourceFileSource(file, parse(file, bytes), bytes);
        long period = interval.toNanos();
        source.watcher.scheduleWithFixedDelay(source::poll, period, period, TimeUnit.NANOSECONDS);
        return source;
    }

    private static ResourceSet parse(Path file, byte[] bytes) {
        return ResourceFileLoader.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
    }

    @Override
    public ResourceSet current() {
        return sets.current();
    }

    @Override
    public void subscribe(Consumer<ResourceSet> listener) {
        sets.subscribe(listener);
    }

    /** How many edits (or unreadable states of the file) were ignored so far. */
    public int rejectedEdits() {
        return rejected.get();
    }

    /** Reads the file once now; the watcher thread calls this every interval. */
    void poll() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            reject("cannot read " + file + ": " + e);
            return;
        }
        if (Arrays.equals(bytes, lastSeen)) {
            return;
        }
        ResourceSet next;
        try {
            next = parse(file, bytes);
        } catch (RuntimeException e) {
            lastSeen = bytes;
            reject(e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        lastSeen = bytes;
        lastProblem = "";
        if (sets.publish(next)) {
            LOG.info("resource file {} changed: {} pools, {} pods", file, next.pools().size(), next.pods().size());
        }
    }

    private void reject(String problem) {
        rejected.incrementAndGet();
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            LOG.warn("ignoring this state of resource file {}, keeping the last good set: {}", file, problem);
        }
    }

    /** Stops watching. Idempotent. */
    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
