package dev.rowan.cli;

import dev.rowan.UserFacingException;
import dev.rowan.auth.AuthService;
import dev.rowan.config.Settings;
import dev.rowan.internal.InternalDatabase;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "admin", mixinStandardHelpOptions = true, description = "Manage user accounts from the command line.",
        subcommands = {AdminCommand.ResetPassword.class})
final class AdminCommand extends CommandGroup {

    @Command(name = "reset-password", mixinStandardHelpOptions = true,
            description = {"Set a new password for a user and sign them out everywhere.",
                    "The password is asked for twice on a terminal, or read from the first line of standard input, "
                            + "or from --password-file."})
    static final class ResetPassword implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--username", required = true, description = "The user whose password to reset.")
        String username;

        @Option(names = "--password-file", paramLabel = "<file>", description = "Read the new password from the first line of this file.")
        Path passwordFile;

        @Override
        public Integer call() throws IOException {
            Settings settings = ConfigFlags.resolve(spec);
            String password = readPassword();
            try (InternalDatabase db = ExistingInstallation.open(settings)) {
                new AuthService(db, settings, Clock.systemUTC()).resetPassword(username, password);
            }
            spec.commandLine().getOut().println("The password of \"" + username + "\" was changed; their sessions were signed out.");
            spec.commandLine().getOut().flush();
            return 0;
        }

        private String readPassword() throws IOException {
            if (passwordFile != null) {
                try {
                    return firstLine(Files.readString(passwordFile, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UserFacingException("Cannot read the password file " + passwordFile + " (" + e.getClass().getSimpleName() + ").");
                }
            }
            Console console = System.console();
            if (console != null) {
                char[] first = console.readPassword("New password for %s: ", username);
                char[] again = console.readPassword("The same password again: ");
                if (first == null || again == null || !Arrays.equals(first, again)) {
                    throw new UserFacingException("The two passwords differ; nothing was changed.");
                }
                return new String(first);
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new UserFacingException("No password was given on standard input; nothing was changed.");
            }
            return line;
        }

        private static String firstLine(String text) {
            int nl = text.indexOf('\n');
            return (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
        }
    }
}
