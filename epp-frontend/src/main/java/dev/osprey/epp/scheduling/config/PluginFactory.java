package dev.osprey.epp.scheduling.config;

import dev.osprey.epp.scheduling.framework.Plugin;

/** Creates a plugin instance from its name and parameters; reads every parameter it understands. */
@FunctionalInterface
public interface PluginFactory {

    /** @throws SchedulerConfigException or IllegalArgumentException on a bad parameter */
    Plugin create(String name, Parameters parameters, BuildContext context);
}
