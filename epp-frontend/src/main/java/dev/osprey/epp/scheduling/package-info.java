/**
 * The pure-Java scheduler: {@link dev.osprey.epp.scheduling.SchedulerFactory} builds an
 * {@link dev.osprey.epp.scheduling.EndpointPicker} from upstream configuration or a built-in name; the
 * {@link dev.osprey.epp.scheduling.Scheduler} facade is what the ext-proc router calls.
 */
package dev.osprey.epp.scheduling;
