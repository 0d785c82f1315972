/** Deterministic stand-ins for a tokenizer and a language model's output text. */
package dev.osprey.sim.text;
