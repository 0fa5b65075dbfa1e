package dev.rowan.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A started Rowan's combined output, collected as it comes, for the install-channel tests. */
final class ProcessOutput {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread reader;

    ProcessOutput(InputStream in) {
        reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (bytes) {
                        bytes.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process ended and closed its output
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    void join() throws InterruptedException {
        reader.join(10_000);
    }

    @Override
    public String toString() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits until the Rowan that {@code process} is (or starts) answers /health/ready on the port and
     * has printed its start-up report; fails with the output when it stops or takes over 60 s.
     */
    void awaitReady(Process process, int port) throws InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("Rowan stopped (status " + process.exitValue() + "):\n" + this);
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    awaitReport(deadline);
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Rowan was not ready on port " + port + " within 60 s:\n" + this);
    }

    /**
     * Rowan answers ready a moment before its start-up report reaches the pipe: wait for the report
     * to begin, then for the output to stay unchanged for 300 ms (the report is printed in one go).
     */
    private void awaitReport(long deadline) throws InterruptedException {
        String seen = toString();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(50);
            String now = toString();
            if (!now.equals(seen)) {
                seen = now;
                quietSince = System.nanoTime();
            } else if (now.contains("Data directory:") && System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(300)) {
                return;
            }
        }
        throw new AssertionError("Rowan answered ready but printed no start-up report:\n" + this);
    }
}
