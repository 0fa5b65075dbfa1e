package dev.rowan.http;

import dev.rowan.Version;
import dev.rowan.config.Option;
import dev.rowan.config.Setting;
import dev.rowan.config.Settings;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rowan's own configuration as this server was started with it, for the administrators' settings
 * page: every option with its value, where it came from (in the words of {@code rowan config show})
 * and how to change it. Read-only: every option is read at start. Secret values never leave the
 * server, not even masked: a secret says only whether it is set.
 */
final class SettingsRoutes {
    static final String SECRET_SET = "(set)";

    private final Settings settings;
    private final HttpSecurity security;

    SettingsRoutes(Settings settings, HttpSecurity security) {
        this.settings = settings;
        this.security = security;
    }

    void register(Javalin app) {
        app.get("/api/v1/settings", ctx -> {
            security.requireAdmin(ctx, "Rowan's settings are shown to administrators only.");
            List<Map<String, Object>> list = new ArrayList<>();
            for (Setting<?> s : settings.all()) {
                list.add(describe(s));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("version", Version.current());
            answer.put("configFile", settings.ownConfigFile().toString());
            answer.put("settings", list);
            Json.write(ctx, 200, answer);
        });
    }

    private static Map<String, Object> describe(Setting<?> s) {
        Option<?> o = s.option();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", o.key());
        m.put("value", !s.isSet() ? null : o.secret() ? SECRET_SET : s.text());
        m.put("source", s.source().describe());
        m.put("default", o.defaultDescription());
        m.put("restartRequired", o.restartRequired());
        m.put("secret", o.secret());
        m.put("description", o.description());
        m.put("category", o.category());
        m.put("flag", o.flagName());
        m.put("env", o.envName());
        m.put("docs", "docs/configuration.md#" + anchor(o.key()));
        return m;
    }

    /** The heading anchor docs/configuration.md gets for an option's "### `key`" (lower case, only letters, digits, - and _). */
    private static String anchor(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
    }
}
