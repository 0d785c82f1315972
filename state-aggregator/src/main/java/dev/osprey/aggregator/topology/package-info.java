/** The Kafka Streams topology that folds endpoint metrics into per-pool state, and its processors. */
package dev.osprey.aggregator.topology;
