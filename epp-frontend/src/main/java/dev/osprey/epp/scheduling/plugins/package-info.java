/** Built-in scheduling plugins with upstream's type names and semantics, plus Osprey's own. */
package dev.osprey.epp.scheduling.plugins;
