package dev.rowan.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.packaging.ProcessOutput.Result;
import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the install-channel tests share: their install pages' commands, unit files, sample settings, and a running Rowan's first steps. */
final class Channels {
    private static final String PASSWORD = "correct horse battery";
    private static final Pattern SETUP_TOKEN = Pattern.compile("setup\\?token=([A-Za-z0-9_-]+)");
    private static final Pattern EXAMPLE = Pattern.compile("# ([a-z][a-z.-]*) = (.*)");

    private Channels() {
    }

    /** The version an update installs: the next minor one after {@code version} (0.1.0-SNAPSHOT: 0.2.0). */
    static String nextMinor(String version) {
        String[] parts = version.split("[.-]");
        return parts[0] + "." + (Integer.parseInt(parts[1]) + 1) + ".0";
    }

    /**
     * Asserts that the install page shows exactly the commands a test runs, plus those it stands in for:
     * the lines of its ```sh blocks (also those inside a > quote), continued lines joined, comments left out.
     */
    static void assertPageShowsExactly(Path page, Collection<String> run, Collection<String> notRun) throws IOException {
        TreeSet<String> onPage = new TreeSet<>();
        boolean inShell = false;
        StringBuilder continued = new StringBuilder();
        for (String raw : Files.readAllLines(page)) {
            String line = raw.replaceFirst("^>\\s?", "");
            if (line.startsWith("```")) {
                inShell = !inShell && line.equals("```sh");
            } else if (inShell && !line.isBlank() && !line.startsWith("#")) {
                continued.append(continued.length() == 0 ? "" : " ").append(line.strip());
                if (line.endsWith("\\")) {
                    continued.setLength(continued.length() - 1);
                    continued.setLength(continued.toString().stripTrailing().length());
                } else {
                    onPage.add(continued.toString());
                    continued.setLength(0);
                }
            }
        }
        TreeSet<String> here = new TreeSet<>(run);
        here.addAll(notRun);
        assertEquals(String.join("\n", here), String.join("\n", onPage), page + " and this test disagree");
    }

    /** The values of an uncommented {@code key=} line in a systemd unit's [Service] section. */
    static List<String> unitSetting(Path unit, String key) throws IOException {
        List<String> values = new ArrayList<>();
        String section = "";
        for (String line : Files.readAllLines(unit)) {
            if (line.startsWith("[")) {
                section = line;
            } else if (section.equals("[Service]") && line.startsWith(key + "=")) {
                values.add(line.substring(key.length() + 1));
            }
        }
        return values;
    }

    /**
     * Every `# key = value` line of a sample settings file, uncommented into {@code dir}/rowan.conf, is a
     * valid setting read from that file, as `rowan config show` (run by {@code rowan} with these arguments)
     * says; data.dir excepted, which the --data-dir flag given wins over.
     */
    static void assertExamplesAreValidSettings(Path sample, Path dir, Function<List<String>, Result> rowan) throws IOException {
        List<String> uncommented = new ArrayList<>();
        Map<String, Integer> lineOfKey = new LinkedHashMap<>();
        for (String line : Files.readAllLines(sample)) {
            Matcher m = EXAMPLE.matcher(line);
            if (m.matches()) {
                lineOfKey.put(m.group(1), uncommented.size() + 1);
                uncommented.add(m.group(1) + " = " + m.group(2));
            } else {
                uncommented.add(line);
            }
        }
        assertTrue(lineOfKey.keySet().containsAll(List.of("database.url", "http.host", "http.port", "public.url", "trusted.proxies")), lineOfKey.toString());
        Path conf = Files.write(dir.resolve("rowan.conf"), uncommented);
        Result r = rowan.apply(List.of("config", "show", "--config-file", conf.toString(), "--data-dir", dir.resolve("data").toString()));
        assertEquals(0, r.exit(), r.output());
        lineOfKey.forEach((key, line) -> {
            if (!key.equals("data.dir")) {
                assertTrue(r.output().matches("(?s).*\\n" + Pattern.quote(key) + " +=[^\\n]*\\n +from config file "
                        + Pattern.quote(conf + ", line " + line) + "\\n.*"), key + " from line " + line + ":\n" + r.output());
            }
        });
    }

    /** A running process's command line, as /proc shows it. */
    static List<String> commandLine(ProcessHandle process) {
        try {
            return List.of(Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the administrator with the token of the setup link in the console output of the Rowan on {@code port}. */
    static void setUpAdmin(int port, String console) {
        Matcher link = SETUP_TOKEN.matcher(console);
        assertTrue(link.find(), console);
        assertEquals(201, post(port, "/api/v1/setup", "{\"token\":\"" + link.group(1) + "\",\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}"));
    }

    /** The administrator {@link #setUpAdmin} created signs in. */
    static void assertAdminSignsIn(int port) {
        assertEquals(200, post(port, "/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}"));
    }

    private static int post(int port, String path, String json) {
        return TestRowan.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))).statusCode();
    }
}
