/**
 * Routing-quality simulation: a pool of virtual-time model-server engines, an arrival process and the real
 * scheduler code in the loop, with metrics delivered through a simulated scrape pipeline. Entry point
 * {@link dev.osprey.bench.sim.SimulateCommand}; scenario format in docs/benchmarks/routing.md.
 */
package dev.osprey.bench.sim;
