package dev.rowan.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes docs/configuration.md from the registry, so the page cannot drift from the code. */
public final class ConfigReference {
    private ConfigReference() {
    }

    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
          .append("<!-- Generated from the option registry (src/main/java/dev/rowan/config/Options.java) by\n")
          .append("     `rowan config reference > docs/configuration.md`. Do not edit by hand: a test fails when it drifts. -->\n\n")
          .append("Every setting can be given in four ways. The first one found wins:\n\n")
          .append("1. a command-line flag, e.g. `--http-port 9000`;\n")
          .append("2. an environment variable, e.g. `ROWAN_HTTP_PORT=9000`. Secret settings can instead be read from a file: ")
          .append("`ROWAN_SECRET_KEY_FILE=/run/secrets/rowan_key` (Docker and Kubernetes secrets). Hosting platforms' own ")
          .append("variables `PORT` and `DATABASE_URL` are honoured too, below Rowan's own names;\n")
          .append("3. a config file: the file named by `--config-file` / `ROWAN_CONFIG_FILE` first, then `rowan.conf` in the ")
          .append("data directory. One `key = value` per line, `#` starts a comment, e.g. `http.port = 9000`;\n")
          .append("4. the default.\n\n")
          .append("`rowan config show` prints the value in effect for each setting and where it came from (secrets masked). ")
          .append("A bad value stops Rowan at start with a message naming the setting, where it was set and what would be valid.\n\n")
          .append("All of these settings are read at start: change them, then restart Rowan.\n\n");
        Map<String, List<Option<?>>> byCategory = new LinkedHashMap<>();
        for (Option<?> o : Options.ALL) {
            byCategory.computeIfAbsent(o.category(), k -> new java.util.ArrayList<>()).add(o);
        }
        byCategory.forEach((category, options) -> {
            md.append("## ").append(category).append("\n\n");
            for (Option<?> o : options) {
                md.append("### `").append(o.key()).append("`\n\n");
                md.append(o.description()).append("\n\n");
                md.append("| | |\n|---|---|\n");
                md.append("| Flag | `").append(o.flagName()).append("` |\n");
                md.append("| Environment | `").append(o.envName()).append('`');
                if (o.secret()) md.append(", or `").append(o.envFileName()).append("` naming a file");
                for (String p : o.platformEnv()) md.append(", or `").append(p).append('`');
                md.append(" |\n");
                md.append("| Config file | ").append(switch (o.scope()) {
                    case EVERYWHERE -> "`" + o.key() + " = …`";
                    case NOT_IN_DATA_DIR_FILE -> "`" + o.key() + " = …` (only in the file named by `config.file`)";
                    case FLAG_AND_ENV_ONLY -> "not allowed";
                }).append(" |\n");
                md.append("| Default | ").append(o.defaultDescription() == null ? "unset"
                        : o.defaultText() != null ? (o.defaultText().isEmpty() ? "empty" : "`" + o.defaultText() + "`") : o.defaultDescription()).append(" |\n");
                md.append("| Valid values | ").append(o.type().validValues().replace("|", "\\|")).append(" |\n");
                md.append("| Secret | ").append(o.secret() ? "yes: masked in `rowan config show` and never logged" : "no").append(" |\n");
                md.append("| Takes effect | ").append(o.restartRequired() ? "after a restart" : "immediately").append(" |\n\n");
            }
        });
        return md.toString();
    }
}
