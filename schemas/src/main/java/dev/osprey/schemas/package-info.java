/** Avro record contracts shared by every Osprey module, their Kafka serdes and the schema registry clients. */
package dev.osprey.schemas;
