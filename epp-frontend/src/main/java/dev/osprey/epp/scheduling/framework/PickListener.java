package dev.osprey.epp.scheduling.framework;

import dev.osprey.epp.state.EndpointSnapshot;

/** A plugin that learns from each final pick (upstream's PreRequest), e.g. to remember a session. Thread-safe. */
public interface PickListener extends Plugin {

    void picked(CycleState cycle, EndpointSnapshot primary);
}
