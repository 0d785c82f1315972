/**
 * OpenTelemetry tracing of routing: a span per request from its headers to the routing decision, continuing the
 * gateway's trace and handed on to the model server through the request headers the EPP sets.
 */
package dev.osprey.epp.tracing;
