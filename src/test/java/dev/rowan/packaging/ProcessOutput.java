package dev.rowan.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;

/**
 * A started process's combined output, collected as it comes, for the install-channel tests; and
 * {@link #run}, which runs a command to its end.
 */
final class ProcessOutput {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A finished command: its exit status and its output and errors together. */
    record Result(int exit, String output) {
        /** The output's lines, once the command is seen to have succeeded. */
        List<String> lines() {
            assertEquals(0, exit, output);
            return output.lines().collect(Collectors.toList());
        }
    }

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

    /**
     * Runs the command of {@code pb} (its directory and environment as set there) with no input and its
     * errors merged into its output; fails when it does not finish within {@code timeout}.
     */
    static Result run(ProcessBuilder pb, Duration timeout) {
        try {
            Process p = pb.redirectErrorStream(true).start();
            p.getOutputStream().close();
            ProcessOutput out = new ProcessOutput(p.getInputStream());
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", pb.command()) + " did not finish in " + timeout.toSeconds() + " s:\n" + out);
            }
            out.join();
            return new Result(p.exitValue(), out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
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
