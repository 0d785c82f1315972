/**
 * An in-process single-node KRaft broker for integration tests and the all-in-one mode. Its classes need
 * {@code kafka_2.13} and {@code kafka-test-common-runtime}, optional dependencies of this module that a user of
 * this package declares itself.
 */
package dev.osprey.schemas.embedded;
