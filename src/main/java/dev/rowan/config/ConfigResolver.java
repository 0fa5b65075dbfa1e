package dev.rowan.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out every option's value. Precedence, strongest first: command-line flag, environment
 * variable ({@code ROWAN_X}, then {@code ROWAN_X_FILE} for secrets, then platform variables such as
 * {@code PORT}), the file named by {@code config.file}, the data directory's {@code rowan.conf},
 * the default.
 */
public final class ConfigResolver {
    private final Map<String, String> env;
    private final Map<Option<?>, String> flags;

    public ConfigResolver(Map<String, String> env, Map<Option<?>, String> flags) {
        this.env = env;
        this.flags = flags;
    }

    public Settings resolve() {
        Map<Option<?>, Setting<?>> result = new LinkedHashMap<>();
        Optional<Raw> configFileRaw = fromFlagOrEnv(Options.CONFIG_FILE);
        List<ConfigFile.Entry> extraEntries = List.of();
        Path extraFile = null;
        if (configFileRaw.isPresent()) {
            extraFile = parse(Options.CONFIG_FILE, configFileRaw.get());
            if (!Files.isRegularFile(extraFile)) {
                throw new ConfigException("Configuration error: config.file (from " + configFileRaw.get().source.describe()
                        + ") names " + extraFile + ", which does not exist or is not a file. Create it, or unset config.file.");
            }
            extraEntries = ConfigFile.read(extraFile);
            checkEntries(extraFile, extraEntries, Option.Scope.FLAG_AND_ENV_ONLY);
            result.put(Options.CONFIG_FILE, setting(Options.CONFIG_FILE, configFileRaw.get()));
        } else {
            result.put(Options.CONFIG_FILE, new Setting<>(Options.CONFIG_FILE, null, null, Source.DEFAULT));
        }

        Path extra = extraFile;
        List<ConfigFile.Entry> extraList = extraEntries;
        Raw dataDirRaw = fromFlagOrEnv(Options.DATA_DIR)
                .or(() -> fromFile(Options.DATA_DIR, extra, extraList))
                .orElseGet(() -> new Raw(defaultDataDir(), Source.DEFAULT));
        Setting<Path> dataDir = setting(Options.DATA_DIR, dataDirRaw);
        result.put(Options.DATA_DIR, dataDir);

        Path ownFile = dataDir.value().resolve(Settings.OWN_CONFIG_FILE);
        // A data directory that is not a directory yet holds no config; starting up explains the path's problem.
        List<ConfigFile.Entry> ownEntries = Files.isDirectory(dataDir.value()) ? ConfigFile.read(ownFile) : List.of();
        checkEntries(ownFile, ownEntries, Option.Scope.NOT_IN_DATA_DIR_FILE);

        for (Option<?> option : Options.ALL) {
            if (result.containsKey(option)) {
                continue;
            }
            Optional<Raw> raw = fromFlagOrEnv(option)
                    .or(() -> fromFile(option, extra, extraList))
                    .or(() -> fromFile(option, ownFile, ownEntries));
            if (raw.isEmpty() && option.defaultText() != null) {
                raw = Optional.of(new Raw(option.defaultText(), Source.DEFAULT));
            }
            result.put(option, raw.isPresent() ? setting(option, raw.get()) : unset(option));
        }
        checkTogether(result);
        return new Settings(result);
    }

    private void checkTogether(Map<Option<?>, Setting<?>> result) {
        Setting<?> user = result.get(Options.ADMIN_USERNAME);
        Setting<?> password = result.get(Options.ADMIN_PASSWORD);
        if (user.isSet() != password.isSet()) {
            Setting<?> given = user.isSet() ? user : password;
            Option<?> missing = user.isSet() ? Options.ADMIN_PASSWORD : Options.ADMIN_USERNAME;
            throw new ConfigException("Configuration error: " + given.option().key() + " is set (from " + given.source().describe()
                    + ") but " + missing.key() + " is not. Set both " + Options.ADMIN_USERNAME.envName() + " and "
                    + Options.ADMIN_PASSWORD.envName() + " (or " + Options.ADMIN_PASSWORD.envFileName()
                    + ") to create the administrator at start, or neither to use the setup link.");
        }
    }

    private static <T> Setting<T> unset(Option<T> option) {
        return new Setting<>(option, null, null, Source.DEFAULT);
    }

    private record Raw(String text, Source source) {
    }

    private <T> Setting<T> setting(Option<T> option, Raw raw) {
        return new Setting<>(option, parse(option, raw), raw.text, raw.source);
    }

    private static <T> T parse(Option<T> option, Raw raw) {
        try {
            return option.type().parse(raw.text);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(option, raw.source, raw.text, e.getMessage());
        }
    }

    private Optional<Raw> fromFlagOrEnv(Option<?> option) {
        String flag = flags.get(option);
        if (flag != null) {
            return Optional.of(new Raw(flag, new Source(Source.Kind.FLAG, option.flagName())));
        }
        String direct = env.get(option.envName());
        String fileVar = option.secret() ? env.get(option.envFileName()) : null;
        if (direct != null && fileVar != null) {
            throw new ConfigException("Configuration error: both " + option.envName() + " and " + option.envFileName()
                    + " are set for " + option.key() + ". Set only one of them.");
        }
        if (direct != null) {
            return Optional.of(new Raw(direct, new Source(Source.Kind.ENV, option.envName())));
        }
        if (!option.secret() && env.get(option.envFileName()) != null) {
            throw new ConfigException("Configuration error: " + option.envFileName() + " is set, but only secret settings can be read from a file. "
                    + "Set " + option.envName() + " instead.");
        }
        if (fileVar != null) {
            return Optional.of(new Raw(readSecretFile(option, fileVar), new Source(Source.Kind.ENV_FILE, option.envFileName() + " (" + fileVar + ")")));
        }
        for (String platform : option.platformEnv()) {
            String value = env.get(platform);
            if (value != null && !value.isEmpty()) {
                return Optional.of(new Raw(value, new Source(Source.Kind.PLATFORM_ENV, platform)));
            }
        }
        return Optional.empty();
    }

    private static String readSecretFile(Option<?> option, String path) {
        try {
            String text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
            return text.strip();
        } catch (IOException | RuntimeException e) {
            String why = e instanceof IOException io ? ConfigFile.describe(io) : e.getMessage();
            throw new ConfigException("Configuration error: " + option.key() + " is to be read from the file named by "
                    + option.envFileName() + " (" + path + "), but that file cannot be read (" + why
                    + "). Check the path and that the user running Rowan may read it.");
        }
    }

    private static Optional<Raw> fromFile(Option<?> option, Path file, List<ConfigFile.Entry> entries) {
        if (file == null) {
            return Optional.empty();
        }
        return entries.stream().filter(e -> e.key().equals(option.key())).reduce((a, b) -> b)
                .map(e -> new Raw(e.value(), new Source(Source.Kind.CONFIG_FILE, file + ", line " + e.line())));
    }

    private static void checkEntries(Path file, List<ConfigFile.Entry> entries, Option.Scope forbidden) {
        for (ConfigFile.Entry e : entries) {
            Optional<Option<?>> option = Options.byKey(e.key());
            if (option.isEmpty()) {
                String suggestion = closestKey(e.key());
                throw new ConfigException("Configuration error: the config file " + file + " sets \"" + e.key()
                        + "\" on line " + e.line() + ", which is not a Rowan setting."
                        + (suggestion != null ? " Did you mean \"" + suggestion + "\"?" : "")
                        + " Known settings: " + String.join(", ", Options.ALL.stream().map(Option::key).toList()) + ".");
            }
            Option.Scope scope = option.get().scope();
            if (scope == Option.Scope.FLAG_AND_ENV_ONLY || scope == forbidden) {
                throw new ConfigException("Configuration error: the config file " + file + " sets " + e.key() + " on line "
                        + e.line() + ", but " + e.key() + " cannot be set in this file because it says where "
                        + (scope == Option.Scope.FLAG_AND_ENV_ONLY ? "the config file is" : "this file is")
                        + ". Use " + option.get().flagName() + " or " + option.get().envName() + " instead.");
            }
        }
    }

    private static String closestKey(String key) {
        return Options.ALL.stream().map(Option::key)
                .min(Comparator.comparingInt(k -> distance(k, key)))
                .filter(k -> distance(k, key) <= 3)
                .orElse(null);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    private String defaultDataDir() {
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "rowan").toString();
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "rowan").toString();
    }
}
