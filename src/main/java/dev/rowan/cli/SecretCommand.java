package dev.rowan.cli;

import dev.rowan.app.Installation;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.secret.SecretKeys;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "secret", mixinStandardHelpOptions = true, description = "Manage the secret key.",
        subcommands = {SecretCommand.Adopt.class})
final class SecretCommand extends CommandGroup {

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
                throw new dev.rowan.UserFacingException("No secret key is configured; set " + Options.SECRET_KEY.envName()
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
