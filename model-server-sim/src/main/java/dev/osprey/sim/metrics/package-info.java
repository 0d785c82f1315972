/** Prometheus text exposition of the engine's state under vLLM, SGLang or TensorRT-LLM names. */
package dev.osprey.sim.metrics;
