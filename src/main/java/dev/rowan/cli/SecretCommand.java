package dev.rowan.cli;

import dev.rowan.UserFacingException;
import dev.rowan.app.Installation;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.secret.KeyRotation;
import dev.rowan.secret.SecretKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "secret", mixinStandardHelpOptions = true, description = "Manage the secret key.",
        subcommands = {SecretCommand.Rotate.class, SecretCommand.Adopt.class})
final class SecretCommand extends CommandGroup {

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Replace the secret key: every stored password is re-encrypted under the new key in one transaction.",
                    "Without --new-key-file a new key is generated and written to the data directory's rowan.conf "
                            + "(only when the key lives there). Stop Rowan first; start it again afterwards."})
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--new-key-file", paramLabel = "<file>",
                description = "Take the new key from the first line of this file (then set it wherever the key is configured).")
        Path newKeyFile;

        @Override
        public Integer call() {
            Settings settings = ConfigFlags.resolve(spec);
            String newKey = null;
            if (newKeyFile != null) {
                try {
                    newKey = Files.readString(newKeyFile).lines().findFirst().orElse("").strip();
                } catch (IOException e) {
                    throw new UserFacingException("Cannot read " + newKeyFile + " (" + e.getClass().getSimpleName() + ").");
                }
            }
            String fingerprint;
            try (InternalDatabase db = ExistingInstallation.open(settings)) {
                fingerprint = KeyRotation.rotate(settings, db, newKey);
            }
            spec.commandLine().getOut().println("Rotated: the secret key now has fingerprint " + fingerprint + "."
                    + (newKey != null ? " Set " + Options.SECRET_KEY.envName() + " (or wherever the key is configured) to the new key before starting Rowan." : ""));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "adopt", mixinStandardHelpOptions = true,
            description = {"Make the configured secret key this installation's key, after the original key was lost for good.",
                    "Anything encrypted with the lost key (passwords of connected databases) must be entered again."})
    static final class Adopt implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Settings settings = ConfigFlags.resolve(spec);
            if (settings.find(Options.SECRET_KEY).isEmpty()) {
                throw new UserFacingException("No secret key is configured; set " + Options.SECRET_KEY.envName()
                        + " or secret.key in " + settings.ownConfigFile() + " first.");
            }
            try (InternalDatabase db = ExistingInstallation.open(settings)) {
                Installation.adoptSecretKey(settings, db);
            }
            spec.commandLine().getOut().println("The secret key with fingerprint " + SecretKeys.fingerprint(settings.get(Options.SECRET_KEY))
                    + " is now this installation's key.");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
