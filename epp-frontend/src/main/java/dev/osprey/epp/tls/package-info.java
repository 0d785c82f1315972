/** TLS of the ext-proc port: given PEM files, a self-signed certificate generated at start-up, or plaintext. */
package dev.osprey.epp.tls;
