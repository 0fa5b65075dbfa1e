package dev.rowan.cli;

import dev.rowan.app.RowanServer;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start Rowan's web server (the default command).")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return serve(spec);
    }

    static int serve(CommandSpec spec) {
        Settings settings = ConfigFlags.resolve(spec);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(settings.get(Options.LOG_LEVEL)));
        RowanServer server = RowanServer.start(settings, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "rowan-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
