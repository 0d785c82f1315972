package dev.osprey.bench.extproc;

import dev.osprey.bench.BrokerProcess;
import dev.osprey.bench.ThreadCpu;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.grpc.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives {@link ExtProcExchange}s against one server, open-loop at a fixed rate or closed-loop at a fixed
 * concurrency, in slices that the caller interleaves across servers so that every server sees the same machine.
 * Each slice adds its timings, the CPU time of the whole process (driver, servers, broker: everything shares the
 * machine) and the CPU time per thread group to one {@link Result}. Slices run one at a time.
 */
final class LoadRun {

    /** What the slices of one server measured. */
    static final class Result {
        final String label;
        final LatencyStats decision = new LatencyStats(1024);
        final LatencyStats requestPhase = new LatencyStats(1024);
        final LatencyStats total = new LatencyStats(1024);
        final Map<String, Long> cpuByThreads = new HashMap<>();
        int completed;
        int failed;
        long nanos;
        long cpuNanos;

        Result(String label) {
            this.label = label;
        }

        double rate() {
            return completed / (nanos / 1e9);
        }

        double cpuMsPerRequest() {
            return completed == 0 ? Double.NaN : cpuNanos / 1e6 / completed;
        }

        /**
         * CPU per request by thread group, then the JVM's own threads (GC, JIT, VM) together and what no thread
         * group accounts for (threads that ended within a slice).
         */
        String cpuByThreads() {
            long groups = cpuByThreads.values().stream().mapToLong(Long::longValue).sum();
            return ThreadCpu.perRequest(cpuByThreads, completed) + String.format(java.util.Locale.ROOT,
                    "| jvm threads %.3f; unattributed %.3f", ThreadCpu.sum(cpuByThreads, "jvm ") / 1e6 / completed,
                    (cpuNanos - groups) / 1e6 / completed);
        }
    }

    /** Issues the open-loop exchanges; one for all runs, so that its CPU is one thread group of the driver. */
    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "driver-ticker");
        t.setDaemon(true);
        return t;
    });

    private final Result result;
    private final List<ExternalProcessorGrpc.ExternalProcessorStub> stubs = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    /**
     * A run against one server reached over {@code channels}, one gRPC connection each, which take the exchanges in
     * turn (as a gateway's worker threads each use their own connection).
     */
    LoadRun(String label, List<? extends Channel> channels) {
        this.result = new Result(label);
        channels.forEach(c -> stubs.add(ExternalProcessorGrpc.newStub(c)));
        if (stubs.isEmpty()) {
            throw new IllegalArgumentException("no channel for " + label);
        }
    }

    /** The stub of the next exchange (round robin over the connections). */
    private ExternalProcessorGrpc.ExternalProcessorStub nextStub() {
        return stubs.get(Math.floorMod(next.getAndIncrement(), stubs.size()));
    }

    Result result() {
        return result;
    }

    /**
     * One open-loop slice: starts {@code ratePerSecond} exchanges a second for {@code millis} (issued every
     * millisecond, not waiting for answers), then waits for all of them (at most 60 s more); the slice lasts until
     * the last one is answered.
     */
    void openLoop(Workload workload, int ratePerSecond, long millis) throws InterruptedException {
        int total = (int) (ratePerSecond * millis / 1000);
        ConcurrentLinkedQueue<ExtProcExchange.Timing> timings = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(total);
        AtomicInteger issued = new AtomicInteger();
        Measure m = new Measure();
        ScheduledFuture<?> ticks = TICKER.scheduleAtFixedRate(() -> {
            long due = Math.min(total, (System.nanoTime() - m.start) * ratePerSecond / 1_000_000_000L + 1);
            while (issued.get() < due) {
                issued.incrementAndGet();
                record(ExtProcExchange.start(nextStub(), workload), timings, failed, finished::countDown);
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        boolean all = finished.await(millis + 60_000, TimeUnit.MILLISECONDS);
        ticks.cancel(false);
        m.end(timings, failed.get() + (all ? 0 : (int) finished.getCount()));
    }

    /** One closed-loop slice: {@code requests} exchanges with at most {@code concurrency} in flight. */
    void closedLoop(Workload workload, int concurrency, int requests) throws InterruptedException {
        ConcurrentLinkedQueue<ExtProcExchange.Timing> timings = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(requests);
        Semaphore slots = new Semaphore(concurrency);
        Measure m = new Measure();
        for (int i = 0; i < requests; i++) {
            slots.acquire();
            record(ExtProcExchange.start(nextStub(), workload), timings, failed, () -> {
                slots.release();
                finished.countDown();
            });
        }
        boolean all = finished.await(120, TimeUnit.SECONDS);
        m.end(timings, failed.get() + (all ? 0 : (int) finished.getCount()));
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

    /** The clocks of one slice. */
    private final class Measure {
        final long cpu = ThreadCpu.processNanos();
        final long brokerCpu = BrokerProcess.cpuNanos();
        final ThreadCpu threads = ThreadCpu.snapshot();
        final long start = System.nanoTime();

        void end(ConcurrentLinkedQueue<ExtProcExchange.Timing> timings, int failed) {
            result.nanos += System.nanoTime() - start;
            long brokerUsed = BrokerProcess.cpuNanos() - brokerCpu;
            result.cpuNanos += ThreadCpu.processNanos() - cpu + brokerUsed;
            ThreadCpu.snapshot().addSince(threads, result.cpuByThreads);
            if (brokerUsed > 0) {
                result.cpuByThreads.merge("broker JVM (child process)", brokerUsed, Long::sum);
            }
            result.failed += failed;
            for (ExtProcExchange.Timing t : timings) {
                result.decision.add(t.decisionNanos());
                result.requestPhase.add(t.requestPhaseNanos());
                result.total.add(t.totalNanos());
                result.completed++;
            }
        }
    }
}
