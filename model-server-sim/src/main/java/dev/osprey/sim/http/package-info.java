/** HTTP handlers for the OpenAI-compatible API, metrics, health, models and LoRA administration. */
package dev.osprey.sim.http;
