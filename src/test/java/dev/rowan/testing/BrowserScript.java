package dev.rowan.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a browser test script of e2e/ (node + playwright-core) and answers its requests, one line each
 * (harness.mjs): {@code @@check <name> <details…>} ({@code checkpoint(name, …details)}) runs the check of
 * that name here — typically SQL against the database the browser just changed — and the script goes on
 * only if it passed; {@code @@sql ["<query>", <param>…]} ({@code sqlValue}) is answered with the first
 * column of the first row, and {@code @@exec "<statement>"} ({@code sqlExec}) runs a statement, both in
 * the test's database. A failed check or statement fails the script's step and the test, with its message.
 */
public final class BrowserScript {
    /** A check between browser steps, given the details the script sent; throws (e.g. an assertion error) when the state is wrong. */
    @FunctionalInterface
    public interface Check {
        void run(List<String> details) throws Exception;
    }

    /** Opens a connection to the database the script's SQL requests run in (closed after each request). */
    @FunctionalInterface
    public interface Database {
        Connection connect() throws SQLException;
    }

    private static final Path E2E = Path.of(System.getProperty("rowan.projectDir", ".")).resolve("e2e");
    private static final ObjectMapper JSON = new ObjectMapper();

    private BrowserScript() {
    }

    /** Runs a script that asks nothing of the test. */
    public static String run(String script, List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        return run(script, args, Map.of(), null, timeoutSeconds);
    }

    /** Runs a script whose checkpoints are answered from {@code checks}; it may send no SQL. */
    public static String run(String script, List<String> args, Map<String, Check> checks, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(script, args, checks, null, timeoutSeconds);
    }

    /**
     * Runs {@code node <script> <args…>} in e2e/, answering checkpoints from {@code checks} and SQL
     * requests in {@code database} (null: none allowed), and asserts it ended with exit code 0 within the
     * time limit and that every check ran. Returns the output, with the answers as {@code #} lines.
     */
    public static String run(String script, List<String> args, Map<String, Check> checks, Database database, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        Process node = new ProcessBuilder(command).directory(E2E.toFile()).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        Set<String> ran = new HashSet<>();
        Thread reader = new Thread(() -> answer(node, checks, database, output, ran), "browser-script-" + script);
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

    private static void answer(Process node, Map<String, Check> checks, Database database, StringBuilder output, Set<String> ran) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                if (!line.startsWith("@@")) continue;
                String reply;
                try {
                    reply = "ok" + reply(line, checks, database, ran);
                } catch (Throwable e) {
                    reply = "fail " + String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
                }
                synchronized (output) {
                    output.append("# ").append(reply).append('\n');
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

    /** Handles one request; returns what follows "ok" in the answer, throws when it failed. */
    private static String reply(String line, Map<String, Check> checks, Database database, Set<String> ran) throws Exception {
        int space = line.indexOf(' ');
        String kind = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1).trim();
        if (kind.equals("@@check")) {
            List<String> words = Arrays.asList(rest.split("\\s+"));
            String name = words.get(0);
            Check check = checks.get(name);
            if (check == null) throw new AssertionError("no check named \"" + name + "\" in the Java test");
            check.run(words.subList(1, words.size()));
            ran.add(name);
            return "";
        }
        if (!kind.equals("@@sql") && !kind.equals("@@exec")) throw new IllegalArgumentException("unknown request " + kind);
        if (database == null) throw new IllegalStateException("this test answers no SQL requests");
        try (Connection c = database.connect()) {
            if (kind.equals("@@exec")) {
                try (Statement s = c.createStatement()) {
                    s.execute(JSON.readValue(rest, String.class));
                }
                return "";
            }
            JsonNode request = JSON.readTree(rest);
            try (PreparedStatement s = c.prepareStatement(request.get(0).asText())) {
                for (int i = 1; i < request.size(); i++) {
                    s.setString(i, request.get(i).isNull() ? null : request.get(i).asText());
                }
                try (ResultSet rs = s.executeQuery()) {
                    return " " + JSON.writeValueAsString(rs.next() ? rs.getString(1) : null);
                }
            }
        }
    }
}
