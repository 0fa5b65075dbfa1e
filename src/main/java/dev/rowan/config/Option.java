package dev.rowan.config;

import java.util.List;
import java.util.Locale;

/**
 * One configuration option, declared once in {@link Options}. Its environment variable, command-line
 * flag and config-file key are all derived from {@link #key()}: {@code http.port} is
 * {@code ROWAN_HTTP_PORT}, {@code --http-port} and {@code http.port}.
 */
public final class Option<T> {
    /** Where an option may be set. Some options locate the config file, so they cannot live in it. */
    public enum Scope { EVERYWHERE, NOT_IN_DATA_DIR_FILE, FLAG_AND_ENV_ONLY }

    private final String key;
    private final ValueType<T> type;
    private final String defaultText;
    private final String description;
    private final String category;
    private final boolean restartRequired;
    private final boolean secret;
    private final Scope scope;
    private final List<String> platformEnv;
    private final String computedDefault;

    private Option(Builder<T> b) {
        this.key = b.key;
        this.type = b.type;
        this.defaultText = b.defaultText;
        this.description = b.description;
        this.category = b.category;
        this.restartRequired = b.restartRequired;
        this.secret = b.secret;
        this.scope = b.scope;
        this.platformEnv = List.copyOf(b.platformEnv);
        this.computedDefault = b.computedDefault;
    }

    public static <T> Builder<T> builder(String key, ValueType<T> type) {
        return new Builder<>(key, type);
    }

    public String key() { return key; }
    public ValueType<T> type() { return type; }
    /** The default as text, or null when there is none (or it is computed, see {@link #defaultDescription()}). */
    public String defaultText() { return defaultText; }
    public String description() { return description; }
    public String category() { return category; }
    public boolean restartRequired() { return restartRequired; }
    public boolean secret() { return secret; }
    public Scope scope() { return scope; }
    /** Variables set by hosting platforms that also set this option, weaker than ROWAN_…, e.g. PORT. */
    public List<String> platformEnv() { return platformEnv; }

    public String envName() {
        return "ROWAN_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The variable naming a file that holds the value (Docker and Kubernetes secrets). Secrets only. */
    public String envFileName() {
        return envName() + "_FILE";
    }

    public String flagName() {
        return "--" + key.replace('.', '-');
    }

    /** Text of a value safe to show: masked when the option is secret. */
    public String display(String text) {
        return secret ? type.mask(text) : text;
    }

    /** How the default reads in docs: a literal default, or a sentence for a computed one. */
    public String defaultDescription() {
        return defaultText != null ? defaultText : computedDefault;
    }

    public static final class Builder<T> {
        private final String key;
        private final ValueType<T> type;
        private String defaultText;
        private String computedDefault;
        private String description = "";
        private String category = "General";
        private boolean restartRequired = true;
        private boolean secret;
        private Scope scope = Scope.EVERYWHERE;
        private List<String> platformEnv = List.of();

        private Builder(String key, ValueType<T> type) {
            this.key = key;
            this.type = type;
        }

        public Builder<T> defaultValue(String text) { this.defaultText = text; return this; }
        public Builder<T> computedDefault(String sentence) { this.computedDefault = sentence; return this; }
        public Builder<T> description(String d) { this.description = d; return this; }
        public Builder<T> category(String c) { this.category = c; return this; }
        public Builder<T> restartRequired(boolean r) { this.restartRequired = r; return this; }
        public Builder<T> secret() { this.secret = true; return this; }
        public Builder<T> scope(Scope s) { this.scope = s; return this; }
        public Builder<T> platformEnv(String... names) { this.platformEnv = List.of(names); return this; }

        public Option<T> build() {
            return new Option<>(this);
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
