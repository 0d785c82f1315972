/** A vLLM-compatible model-server simulator: configuration, server lifecycle and command line. */
package dev.osprey.sim;
