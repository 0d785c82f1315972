/** The Osprey state aggregator: configuration and lifecycle of the Kafka Streams application. */
package dev.osprey.aggregator;
