/** Kafka serdes in the Confluent wire format and immutable topic descriptors. */
package dev.osprey.schemas.kafka;
