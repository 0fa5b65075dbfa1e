package dev.rowan.cli;

import dev.rowan.UserFacingException;
import dev.rowan.Version;
import java.io.PrintWriter;
import java.util.Map;
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

    /** The environment variables settings are read from: the process's own, or a test's. */
    final Map<String, String> env;

    private RootCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        return ServeCommand.serve(spec);
    }

    public static int run(String... args) {
        return run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(new RootCommand(env));
        cmd.setOut(out);
        cmd.setErr(err);
        ConfigFlags.addToAll(cmd);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserFacingException) {
                commandLine.getErr().println(e.getMessage());
                commandLine.getErr().flush();
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
