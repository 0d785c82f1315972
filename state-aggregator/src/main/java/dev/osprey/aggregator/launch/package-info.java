/** The aggregator as a process of its own: command line, configuration sources, operations HTTP endpoint. */
package dev.osprey.aggregator.launch;
