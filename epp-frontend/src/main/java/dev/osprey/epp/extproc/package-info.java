/** The Envoy ext-proc gRPC service: one state object per stream, serialized writes, immediate responses. */
package dev.osprey.epp.extproc;
