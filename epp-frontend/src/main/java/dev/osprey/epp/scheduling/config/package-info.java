/** Loading upstream {@code EndpointPickerConfig} YAML and the plugin registry by type name. */
package dev.osprey.epp.scheduling.config;
