package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.Plugin;
import java.util.Objects;

/** Base of the built-ins: holds the type and the instance name. */
abstract class Named implements Plugin {

    private final String type;
    private final String name;

    Named(String type, String name) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + " (" + type + ")";
    }
}
