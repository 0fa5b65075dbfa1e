package dev.rowan.config;

/** One option's effective value, its text as given, and where it came from. Value and text are null when unset. */
public record Setting<T>(Option<T> option, T value, String text, Source source) {
    /** The text safe to print: secrets masked. */
    public String displayText() {
        return text == null ? "" : option.display(text);
    }

    public boolean isSet() {
        return value != null;
    }
}
