/** Osprey's benchmarks: routing-quality simulation and live runs, load drivers, JMH micro-benchmarks. */
package dev.osprey.bench;
