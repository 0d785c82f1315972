/** Routing decisions and request outcomes: building the Avro records and publishing them off the request path. */
package dev.osprey.epp.events;
