/** Osprey in one JVM: embedded broker, schema registry, simulators, collector, aggregator, EPP and a local gateway. */
package dev.osprey.allinone;
