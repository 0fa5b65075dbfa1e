package dev.rowan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingSetupTest {
    @Test
    void anOutOfMemoryErrorThatEndsAThreadIsLogged() throws InterruptedException {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Logger logger = (Logger) LoggerFactory.getLogger(LoggingSetup.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            LoggingSetup.logUncaughtErrors();
            Thread t = new Thread(() -> {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            }, "rowan-test-worker");
            t.start();
            t.join(10_000);
            assertEquals(1, events.list.size(), events.list.toString());
            ILoggingEvent event = events.list.get(0);
            assertEquals(Level.ERROR, event.getLevel());
            assertTrue(event.getFormattedMessage().contains("Thread rowan-test-worker stopped by an unexpected OutOfMemoryError"),
                    event.getFormattedMessage());
            assertTrue(event.getFormattedMessage().contains("-Xmx"), event.getFormattedMessage());
            assertEquals("Java heap space (thrown by the test)", event.getThrowableProxy().getMessage());
        } finally {
            logger.detachAppender(events);
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }
}
