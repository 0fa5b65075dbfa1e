package dev.rowan;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Rowan's own version, written into the jar by the build. */
public final class Version {
    private static final String CURRENT = load();

    private Version() {
    }

    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/rowan-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isEmpty() || v.startsWith("$") ? "development" : v;
        } catch (IOException e) {
            return "development";
        }
    }
}
