package dev.rowan.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a browser test script of e2e/ (node + playwright-core) and answers its checkpoints: when the
 * script prints {@code @@check <name>} (harness.mjs {@code checkpoint(name)}), the check of that name
 * runs here — typically SQL against the database the browser just changed — and the script goes on
 * only if it passed. A failed check fails the script's step and the test, with the check's message.
 */
public final class BrowserScript {
    /** A check between browser steps; throws (e.g. an assertion error) when the state is wrong. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private static final Path E2E = Path.of(System.getProperty("rowan.projectDir", ".")).resolve("e2e");

    private BrowserScript() {
    }

    /**
     * Runs {@code node <script> <args…>} in e2e/, answering checkpoints from {@code checks}, and
     * asserts it ended with exit code 0 within the time limit and that every check ran. Returns the output.
     */
    public static String run(String script, List<String> args, Map<String, Check> checks, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        Process node = new ProcessBuilder(command).directory(E2E.toFile()).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        Set<String> ran = new HashSet<>();
        Thread reader = new Thread(() -> answer(node, checks, output, ran), "browser-script-" + script);
        reader.setDaemon(true);
        reader.start();
        boolean finished = node.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String text;
        synchronized (output) {
            text = output.toString();
        }
        assertTrue(finished, "the browser test " + script + " did not finish in " + timeoutSeconds + " s:\n" + text);
        assertEquals(0, node.exitValue(), "the browser test " + script + " failed:\n" + text);
        assertEquals(checks.keySet(), ran, "checkpoints the script reached:\n" + text);
        return text;
    }

    private static void answer(Process node, Map<String, Check> checks, StringBuilder output, Set<String> ran) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                if (!line.startsWith("@@check ")) continue;
                String name = line.substring("@@check ".length()).trim();
                String reply;
                Check check = checks.get(name);
                if (check == null) {
                    reply = "fail no check named \"" + name + "\" in the Java test";
                } else {
                    try {
                        check.run();
                        ran.add(name);
                        reply = "ok";
                    } catch (Throwable e) {
                        reply = "fail " + String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
                    }
                }
                synchronized (output) {
                    output.append("# check ").append(name).append(": ").append(reply).append('\n');
                }
                out.write(reply + "\n");
                out.flush();
            }
        } catch (IOException e) {
            synchronized (output) {
                output.append("# reading the browser test's output failed: ").append(e.getMessage()).append('\n');
            }
        }
    }
}
