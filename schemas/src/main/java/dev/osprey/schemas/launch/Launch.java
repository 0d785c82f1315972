package dev.osprey.schemas.launch;

import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import org.slf4j.Logger;

/**
 * The start-up and shutdown steps shared by the services' main classes (collector, aggregator, EPP): a bad command
 * line or configuration prints one line and exits with {@value #BAD_CONFIGURATION}; a failed start logs the cause,
 * closes what was started and exits with {@value #START_FAILED}; SIGTERM/SIGINT run a shutdown hook that closes the
 * service, after which the main thread returns.
 */
public final class Launch {

    /** Exit status for a bad command line, variable or configuration key. */
    public static final int BAD_CONFIGURATION = 2;
    /** Exit status for a start that failed, or a service that failed while running. */
    public static final int START_FAILED = 1;

    private Launch() {
    }

    /**
     * The value {@code reader} returns; when it throws {@link IllegalArgumentException} (whose message names the
     * flag, variable or key at fault), prints {@code "<service>: <message>"} on standard error and exits with
     * {@value #BAD_CONFIGURATION}.
     */
    public static <T> T readOrExit(String service, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            System.err.println(service + ": " + e.getMessage());
            System.exit(BAD_CONFIGURATION);
            throw new IllegalStateException("unreachable", e);
        }
    }

    /** Logs why {@code service} did not start, closes {@code started} (see {@link #closeAll}) and exits with 1. */
    public static void failStart(Logger log, String service, Exception cause, AutoCloseable... started) {
        log.error("{} failed to start: {}", service, cause.getMessage(), cause);
        closeAll(log, started);
        System.exit(START_FAILED);
    }

    /** Closes each part in order, skipping nulls; a part that fails to close is logged and the rest still close. */
    public static void closeAll(Logger log, AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                log.warn("closing {} failed", part.getClass().getSimpleName(), e);
            }
        }
    }

    /**
     * Registers a shutdown hook, on a thread named {@code threadName}, that runs {@code stop}; the returned latch
     * is counted down once it has, so the main thread can wait on it.
     */
    public static CountDownLatch onShutdown(String threadName, Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.run();
            } finally {
                stopped.countDown();
            }
        }, threadName));
        return stopped;
    }
}
