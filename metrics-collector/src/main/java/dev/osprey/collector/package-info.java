/** The metrics collector: scrapes model-server endpoints and publishes their load to Kafka. */
package dev.osprey.collector;
