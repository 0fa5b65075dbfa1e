package dev.rowan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real web interface in headless Chromium (e2e/setup-signin.mjs, playwright-core): open the
 * printed setup link, create the administrator, sign out, sign in. Screenshots go to target/screenshots/.
 */
class BrowserSetupSignInTest {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));

    @TempDir
    Path tmp;

    @Test
    void aPersonSetsUpRowanSignsOutAndSignsInAgainInABrowser() throws IOException, InterruptedException {
        Path shots = PROJECT.resolve("target/screenshots/setup-signin");
        Files.createDirectories(shots);
        try (TestRowan rowan = TestRowan.start(tmp.resolve("data"))) {
            Process node = new ProcessBuilder("node", "setup-signin.mjs", rowan.setupLink(), shots.toString())
                    .directory(PROJECT.resolve("e2e").toFile())
                    .redirectErrorStream(true)
                    .start();
            boolean finished = node.waitFor(120, TimeUnit.SECONDS);
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!finished) {
                node.destroyForcibly();
            }
            assertTrue(finished, "the browser test did not finish in 120 s:\n" + output);
            assertEquals(0, node.exitValue(), "the browser test failed:\n" + output);
            assertTrue(output.contains("ok - "), output);
            assertTrue(Files.exists(shots.resolve("03-home.png")), "screenshots are saved under " + shots);
            String session = rowan.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"correct horse battery\"}").body();
            assertTrue(session.contains("\"username\":\"admin\""), "the account the browser created exists: " + session);
        }
    }
}
