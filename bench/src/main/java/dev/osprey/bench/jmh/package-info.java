/**
 * JMH micro-benchmarks of the scheduler's pick path: {@link dev.osprey.bench.jmh.SchedulerPickBenchmark}.
 * Figures and commands: docs/benchmarks/scheduler.md.
 */
package dev.osprey.bench.jmh;
