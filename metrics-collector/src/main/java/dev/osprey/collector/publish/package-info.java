/** Publishing samples and membership to Kafka through a bounded latest-sample-wins buffer. */
package dev.osprey.collector.publish;
