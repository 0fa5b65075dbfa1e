package dev.rowan;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rowan's logging, set up in code: one console appender on standard error, quiet libraries.
 * (Found by Logback through META-INF/services; it spares start-up Logback's XML configuration.)
 */
public final class LoggingSetup extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("com.password4j").setLevel(Level.WARN);
        context.getLogger("io.zonky").setLevel(Level.WARN);
        // Javalin reports start-up failures that Rowan explains itself in plain words.
        context.getLogger("io.javalin").setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Logs what ends a thread unexpectedly (an OutOfMemoryError in a background thread, say), which
     * Java would otherwise print only to standard error, unformatted and easy to miss. The process
     * keeps running: requests and background work fail on their own and are retried or reported;
     * a supervisor that prefers a restart can add -XX:+ExitOnOutOfMemoryError to JAVA_OPTS.
     */
    public static void logUncaughtErrors() {
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> LoggerFactory.getLogger(LoggingSetup.class).error(
                "Thread {} stopped by an unexpected {}{}", thread.getName(), error.getClass().getSimpleName(),
                error instanceof OutOfMemoryError ? " (Rowan is short of memory: JAVA_OPTS -Xmx sets the heap size)" : "", error));
    }
}
