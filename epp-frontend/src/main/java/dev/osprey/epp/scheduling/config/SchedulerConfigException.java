package dev.osprey.epp.scheduling.config;

/**
 * A scheduler configuration is invalid (unknown plugin type, unknown field or parameter, bad value, dangling
 * reference). The message names the offending item. Retrying with the same configuration cannot help.
 */
public final class SchedulerConfigException extends RuntimeException {

    public SchedulerConfigException(String message) {
        super(message);
    }

    public SchedulerConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
