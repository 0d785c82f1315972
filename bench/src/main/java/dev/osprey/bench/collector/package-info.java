/**
 * Collector benchmarks: JMH parser throughput on a realistic vLLM page ({@link dev.osprey.bench.collector.ParserBenchmark})
 * and a bounded loopback load run of the scrape pipeline against many endpoints
 * ({@link dev.osprey.bench.collector.CollectorLoadRun}).
 */
package dev.osprey.bench.collector;
