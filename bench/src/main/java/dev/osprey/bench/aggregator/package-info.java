/**
 * Throughput and latency benchmark of the state aggregator on an embedded broker:
 * {@link dev.osprey.bench.aggregator.AggregatorBenchmark}. Figures and commands: docs/benchmarks/aggregator.md.
 */
package dev.osprey.bench.aggregator;
