package dev.rowan.cli;

import dev.rowan.config.ConfigResolver;
import dev.rowan.config.Option;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Adds one flag per registry option to every command, and resolves the settings from them. */
final class ConfigFlags {
    private ConfigFlags() {
    }

    static void addToAll(CommandLine cmd) {
        CommandSpec spec = cmd.getCommandSpec();
        for (Option<?> o : Options.ALL) {
            String env = o.envName() + (o.secret() ? " or " + o.envFileName() : "")
                    + (o.platformEnv().isEmpty() ? "" : " or " + String.join(", ", o.platformEnv()));
            String def = o.defaultDescription() == null ? "" : " Default: " + (o.defaultDescription().isEmpty() ? "none" : o.defaultDescription().replace("`", "")) + ".";
            spec.addOption(OptionSpec.builder(o.flagName())
                    .paramLabel("<" + o.key().substring(o.key().lastIndexOf('.') + 1) + ">")
                    .type(String.class)
                    .description(o.description().replace("`", "") + def + " Env: " + env + ".")
                    .build());
        }
        for (CommandLine sub : cmd.getSubcommands().values()) {
            addToAll(sub);
        }
    }

    /**
     * The settings, with flags given to this command or to any command above it: {@code rowan
     * --http-port 9000 check} means the same as {@code rowan check --http-port 9000}. Where both
     * give one, the flag nearer the command wins.
     */
    static Settings resolve(CommandSpec spec) {
        Map<Option<?>, String> given = new HashMap<>();
        for (CommandSpec at = spec; at != null; at = at.parent()) {
            for (Option<?> o : Options.ALL) {
                OptionSpec flag = at.findOption(o.flagName());
                if (flag != null && flag.getValue() != null) {
                    given.putIfAbsent(o, flag.getValue());
                }
            }
        }
        return new ConfigResolver(((RootCommand) spec.root().userObject()).env, given).resolve();
    }
}
