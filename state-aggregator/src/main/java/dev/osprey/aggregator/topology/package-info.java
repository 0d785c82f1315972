/**
 * The Kafka Streams topology that folds endpoint metrics, routing decisions and request outcomes into per-pool
 * state (PoolState), the shared prefix index and one-minute pool statistics, and its processors.
 */
package dev.osprey.aggregator.topology;
