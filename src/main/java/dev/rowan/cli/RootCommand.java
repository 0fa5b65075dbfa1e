package dev.rowan.cli;

import dev.rowan.UserFacingException;
import dev.rowan.Version;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "rowan", mixinStandardHelpOptions = true, versionProvider = RootCommand.VersionProvider.class,
        description = {"Rowan: a spreadsheet-like interface for PostgreSQL.", "Without a command, Rowan serves (same as `rowan serve`)."},
        subcommands = {ServeCommand.class, CheckCommand.class, ConfigCommand.class, AdminCommand.class, SecretCommand.class,
                VersionCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Every setting can also be given as an environment variable (ROWAN_HTTP_PORT for --http-port) "
                + "or in a config file (http.port = 8000). See docs/configuration.md."})
public final class RootCommand implements Callable<Integer> {
    /** Exit status when configuration or the environment stops a command. */
    static final int EXIT_PROBLEM = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return ServeCommand.serve(spec);
    }

    public static int run(String... args) {
        CommandLine cmd = new CommandLine(new RootCommand());
        ConfigFlags.addToAll(cmd);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserFacingException) {
                PrintWriter err = commandLine.getErr();
                err.println(e.getMessage());
                err.flush();
                return EXIT_PROBLEM;
            }
            throw e;
        });
        return cmd.execute(args);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Rowan " + Version.current(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
