/** The scheduler framework: profiles of filters, weighted scorers and one picker, a profile handler, cycle state. */
package dev.osprey.epp.scheduling.framework;
