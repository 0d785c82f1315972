/** A selective, allocation-light Prometheus text parser with the engine metric mappings of DESIGN.md section 4. */
package dev.osprey.collector.parse;
