/** Approximate prefix-cache tracking: chained block hashes of prompts and a per-server LRU index of them. */
package dev.osprey.epp.scheduling.prefix;
