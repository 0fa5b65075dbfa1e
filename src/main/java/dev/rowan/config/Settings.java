package dev.rowan.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The effective configuration: every option of {@link Options#ALL}, with its value and source. Immutable. */
public final class Settings {
    /** Rowan's own config file inside the data directory. */
    public static final String OWN_CONFIG_FILE = "rowan.conf";

    private final Map<Option<?>, Setting<?>> settings;

    Settings(Map<Option<?>, Setting<?>> settings) {
        this.settings = Map.copyOf(settings);
    }

    @SuppressWarnings("unchecked")
    public <T> Setting<T> setting(Option<T> option) {
        return (Setting<T>) settings.get(option);
    }

    public <T> Optional<T> find(Option<T> option) {
        return Optional.ofNullable(setting(option).value());
    }

    /** The value of an option that has a default (or is otherwise always set). */
    public <T> T get(Option<T> option) {
        return find(option).orElseThrow(() -> new IllegalStateException(option.key() + " has no value"));
    }

    public Source source(Option<?> option) {
        return setting(option).source();
    }

    public List<Setting<?>> all() {
        List<Setting<?>> list = new ArrayList<>();
        for (Option<?> o : Options.ALL) {
            list.add(settings.get(o));
        }
        return list;
    }

    public Path dataDir() {
        return get(Options.DATA_DIR);
    }

    public Path ownConfigFile() {
        return dataDir().resolve(OWN_CONFIG_FILE);
    }

    /** A copy with one option replaced, e.g. after the secret key was generated. */
    public <T> Settings with(Option<T> option, T value, String text, Source source) {
        Map<Option<?>, Setting<?>> copy = new LinkedHashMap<>(settings);
        copy.put(option, new Setting<>(option, value, text, source));
        return new Settings(copy);
    }
}
