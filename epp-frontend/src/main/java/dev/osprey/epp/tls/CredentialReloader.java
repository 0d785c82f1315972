package dev.osprey.epp.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads sets of PEM files when their modification time or size changes, checking every interval from one daemon
 * thread. A set that does not load (half-written, mismatched, unparsable) is logged once per change and the
 * credentials loaded before stay in use; the next change is tried again. Counted in
 * {@code osprey_epp_tls_reloads_total{result=ok|failed}}.
 */
final class CredentialReloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialReloader.class);

    /** Reads a set of files and applies what they hold. */
    @FunctionalInterface
    interface Loader {
        void load() throws IOException, GeneralSecurityException;
    }

    /** A set of files, the stamps of its last applied and last failed versions, and how to apply it. */
    private static final class Watched {
        final String what;
        final List<Path> files;
        final Loader loader;
        List<String> applied;
        List<String> failed = List.of();

        Watched(String what, List<Path> files, Loader loader, List<String> applied) {
            this.what = what;
            this.files = files;
            this.loader = loader;
            this.applied = applied;
        }
    }

    private final ScheduledExecutorService executor;
    private final List<Watched> watched = new CopyOnWriteArrayList<>();
    private final Counter reloaded;
    private final Counter failures;

    CredentialReloader(Duration interval, MeterRegistry meters) {
        this.reloaded = Counter.builder("osprey_epp_tls_reloads").tag("result", "ok")
                .description("TLS certificate and CA files re-read after they changed").register(meters);
        this.failures = Counter.builder("osprey_epp_tls_reloads").tag("result", "failed")
                .description("TLS certificate and CA files re-read after they changed").register(meters);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "osprey-epp-tls-reload");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Loads {@code files} now with {@code loader} and again whenever they change.
     *
     * @throws IOException naming {@code what} when the first load fails
     */
    void watch(String what, List<Path> files, Loader loader) throws IOException {
        List<String> stamp = stamp(files);
        try {
            loader.load();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load " + what + ": " + e.getMessage(), e);
        }
        watched.add(new Watched(what, List.copyOf(files), loader, stamp));
    }

    private void check() {
        for (Watched w : watched) {
            List<String> now;
            try {
                now = stamp(w.files);
            } catch (IOException e) {
                now = List.of("unreadable: " + e.getMessage());
            }
            if (now.equals(w.applied) || now.equals(w.failed)) {
                continue;
            }
            try {
                w.loader.load();
                w.applied = now;
                w.failed = List.of();
                reloaded.increment();
                LOG.info("reloaded {} from {}", w.what, w.files);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                w.failed = now;
                failures.increment();
                LOG.warn("cannot reload {} from {}: {}; the previous one stays in use", w.what, w.files,
                        e.getMessage());
            }
        }
    }

    /** Modification time and size of each file (following links, as a Kubernetes secret volume swaps them). */
    private static List<String> stamp(List<Path> files) throws IOException {
        List<String> stamp = new ArrayList<>();
        for (Path file : files) {
            stamp.add(Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file));
        }
        return stamp;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
