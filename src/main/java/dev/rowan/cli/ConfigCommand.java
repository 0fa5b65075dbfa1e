package dev.rowan.cli;

import dev.rowan.config.ConfigReference;
import dev.rowan.config.Setting;
import dev.rowan.config.Settings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Inspect Rowan's configuration.",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Reference.class})
final class ConfigCommand extends CommandGroup {

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print every setting's effective value and where it came from (secrets masked).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Settings settings = ConfigFlags.resolve(spec);
            PrintWriter out = spec.commandLine().getOut();
            int width = settings.all().stream().mapToInt(s -> s.option().key().length()).max().orElse(10);
            for (Setting<?> s : settings.all()) {
                String value = s.isSet() ? s.displayText() : "(not set)";
                String from = s.isSet() ? s.source().describe() : s.option().defaultDescription() != null
                        ? "default: " + s.option().defaultDescription().replace("`", "") : "default";
                out.printf("%-" + width + "s = %s%n%" + width + "s   from %s%n", s.option().key(), value, "", from);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "reference", mixinStandardHelpOptions = true,
            description = "Print the configuration reference (docs/configuration.md) in Markdown.")
    static final class Reference implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(ConfigReference.markdown());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
