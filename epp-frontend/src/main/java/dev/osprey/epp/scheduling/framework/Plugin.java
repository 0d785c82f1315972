package dev.osprey.epp.scheduling.framework;

/** A configured plugin instance: its upstream type name and its instance name (defaults to the type). */
public interface Plugin {

    String type();

    String name();
}
