/** Ext-proc latency benchmarks: the EPP next to a no-op ext-proc server, driven like the gateway. */
package dev.osprey.bench.extproc;
