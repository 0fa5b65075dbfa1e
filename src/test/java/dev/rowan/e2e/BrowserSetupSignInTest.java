package dev.rowan.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.testing.BrowserScript;
import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            String output = BrowserScript.run("setup-signin.mjs", List.of(rowan.setupLink(), shots.toString()), 120);
            assertTrue(output.contains("ok - "), output);
            assertTrue(Files.exists(shots.resolve("03-home.png")), "screenshots are saved under " + shots);
            String session = rowan.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"correct horse battery\"}").body();
            assertTrue(session.contains("\"username\":\"admin\""), "the account the browser created exists: " + session);
        }
    }
}
