package dev.osprey.bench.extproc;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.grpc.Channel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Drives {@link ExtProcExchange}s open-loop at a fixed rate or closed-loop at a fixed concurrency. */
final class LoadRun {

    /** What one run measured. */
    record Result(String label, int completed, int failed, double seconds, LatencyStats decision,
            LatencyStats requestPhase, LatencyStats total) {

        double rate() {
            return completed / seconds;
        }
    }

    private LoadRun() {
    }

    /**
     * Starts {@code ratePerSecond} exchanges a second for {@code seconds} (issued every millisecond in small
     * batches, not waiting for answers) and waits for all of them (at most 60 s more).
     */
    static Result openLoop(String label, Channel channel, HeaderMap headers, List<ByteString> body,
            int ratePerSecond, int seconds) throws InterruptedException {
        int total = ratePerSecond * seconds;
        ConcurrentLinkedQueue<ExtProcExchange.Timing> timings = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(total);
        AtomicInteger issued = new AtomicInteger();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> {
            long due = Math.min(total, (System.nanoTime() - start) * ratePerSecond / 1_000_000_000L + 1);
            while (issued.get() < due) {
                issued.incrementAndGet();
                record(ExtProcExchange.start(channel, headers, body), timings, failed, finished::countDown);
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        boolean all = finished.await(seconds + 60L, TimeUnit.SECONDS);
        ticker.shutdownNow();
        double elapsed = (System.nanoTime() - start) / 1e9;
        return result(label, timings, failed.get() + (all ? 0 : (int) finished.getCount()), elapsed);
    }

    /** Runs {@code requests} exchanges with at most {@code concurrency} in flight. */
    static Result closedLoop(String label, Channel channel, HeaderMap headers, List<ByteString> body,
            int concurrency, int requests) throws InterruptedException {
        ConcurrentLinkedQueue<ExtProcExchange.Timing> timings = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(requests);
        Semaphore slots = new Semaphore(concurrency);
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            slots.acquire();
            record(ExtProcExchange.start(channel, headers, body), timings, failed, () -> {
                slots.release();
                finished.countDown();
            });
        }
        finished.await(120, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return result(label, timings, failed.get() + (int) finished.getCount(), elapsed);
    }

    private static void record(CompletableFuture<ExtProcExchange.Timing> f,
            ConcurrentLinkedQueue<ExtProcExchange.Timing> timings, AtomicInteger failed, Runnable after) {
        f.whenComplete((t, e) -> {
            if (e == null) {
                timings.add(t);
            } else if (failed.incrementAndGet() <= 3) {
                System.err.println("exchange failed: " + e);
            }
            after.run();
        });
    }

    private static Result result(String label, ConcurrentLinkedQueue<ExtProcExchange.Timing> timings, int failed,
            double seconds) {
        LatencyStats decision = new LatencyStats(timings.size());
        LatencyStats phase = new LatencyStats(timings.size());
        LatencyStats total = new LatencyStats(timings.size());
        for (ExtProcExchange.Timing t : timings) {
            decision.add(t.decisionNanos());
            phase.add(t.requestPhaseNanos());
            total.add(t.totalNanos());
        }
        return new Result(label, timings.size(), failed, seconds, decision, phase, total);
    }
}
