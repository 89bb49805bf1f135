package io.workjs.server.config;

/** A bad setting: the message names the value and where it came from (CONF key or option). */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
