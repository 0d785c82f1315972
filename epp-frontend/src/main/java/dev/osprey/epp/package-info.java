/** The Osprey Endpoint Picker: configuration and server lifecycle. */
package dev.osprey.epp;
