package dev.rowan.config;

/** Where a setting's value came from, said the way a person would look for it. */
public record Source(Kind kind, String where) {
    public enum Kind { FLAG, ENV, ENV_FILE, PLATFORM_ENV, CONFIG_FILE, DEFAULT, GENERATED }

    public static final Source DEFAULT = new Source(Kind.DEFAULT, "default");

    public String describe() {
        return switch (kind) {
            case FLAG -> "command-line flag " + where;
            case ENV, PLATFORM_ENV -> "environment variable " + where;
            case ENV_FILE -> "the file named by " + where;
            case CONFIG_FILE -> "config file " + where;
            case DEFAULT -> "default";
            case GENERATED -> "generated, stored in " + where;
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
