/** A local HTTP gateway that calls the EPP over the real ext-proc gRPC protocol, as Envoy does, and proxies. */
package dev.osprey.allinone.gateway;
