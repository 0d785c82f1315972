/** The simulated inference engine: step-level batching, KV blocks, prefix cache, LoRA slots, step cost. */
package dev.osprey.sim.engine;
