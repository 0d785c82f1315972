/** Runs simulated engines in virtual time: an event queue, no threads, deterministic for a seed. */
package dev.osprey.sim.virtual;
