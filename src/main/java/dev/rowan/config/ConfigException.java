package dev.rowan.config;

import dev.rowan.UserFacingException;

/** Configuration that Rowan cannot start with. The message is one paragraph meant for a person. */
public class ConfigException extends UserFacingException {
    public ConfigException(String message) {
        super(message);
    }

    /** "http.port from environment variable ROWAN_HTTP_PORT has the value "x", which is not valid: …" */
    public static ConfigException invalid(Option<?> option, Source source, String text, String why) {
        return new ConfigException("Configuration error: " + option.key() + " (from " + source.describe() + ") is \""
                + option.display(text) + "\", which is not valid: " + why + ". Change it where it is set, or remove it to use the default"
                + (option.defaultDescription() != null ? " (" + option.defaultDescription() + ")" : "") + ".");
    }
}
