package dev.rowan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
    private static final Path DOC = Path.of(System.getProperty("rowan.projectDir", "."), "docs", "configuration.md");

    @Test
    void theDocsPageIsExactlyWhatTheRegistryGenerates() throws IOException {
        assertTrue(Files.exists(DOC), DOC + " is missing: run `java -jar target/rowan.jar config reference > docs/configuration.md`");
        assertEquals(ConfigReference.markdown(), Files.readString(DOC, StandardCharsets.UTF_8),
                "docs/configuration.md drifted from the option registry: regenerate it with "
                        + "`java -jar target/rowan.jar config reference > docs/configuration.md`");
    }

    @Test
    void everyOptionAppearsWithItsFlagAndVariable() {
        String md = ConfigReference.markdown();
        for (Option<?> o : Options.ALL) {
            assertTrue(md.contains("### `" + o.key() + "`"), o.key());
            assertTrue(md.contains("`" + o.flagName() + "`"), o.flagName());
            assertTrue(md.contains("`" + o.envName() + "`"), o.envName());
        }
    }
}
