/** Schema registry clients speaking the Confluent REST API, an in-memory registry and a small HTTP server for it. */
package dev.osprey.schemas.registry;
