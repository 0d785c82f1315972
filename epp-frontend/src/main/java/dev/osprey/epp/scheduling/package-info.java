/** The pure-Java scheduler core: candidate selection, load scoring and local in-flight correction. */
package dev.osprey.epp.scheduling;
