package dev.rowan.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A Rowan config file: one {@code key = value} per line, {@code #} starts a comment, values may be
 * wrapped in double quotes. Keys are the option keys of {@link Options}.
 */
public final class ConfigFile {
    public record Entry(String key, String value, int line) {
    }

    private ConfigFile() {
    }

    /** The file's entries; an empty list when the file does not exist. */
    public static List<Entry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ConfigException("Configuration error: the config file " + file + " cannot be read ("
                    + describe(e) + "). Check that it exists and that the user running Rowan may read it.");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("Configuration error: line " + (i + 1) + " of the config file " + file
                        + " is not of the form `key = value` (for example `http.port = 8000`).");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            entries.add(new Entry(key, value, i + 1));
        }
        return entries;
    }

    /**
     * Adds one setting at the end of the file, creating it owner-only (0600) when missing. Existing
     * lines are never rewritten.
     */
    public static void append(Path file, String comment, String key, String value) throws IOException {
        String text = "# " + comment + "\n" + key + " = " + value + "\n";
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            text = "# Rowan's own configuration. Settings here are overridden by environment variables and flags.\n"
                    + "# Reference: docs/configuration.md\n\n" + text;
        } catch (FileAlreadyExistsException e) {
            String existing = Files.readString(file, StandardCharsets.UTF_8);
            if (!existing.isEmpty() && !existing.endsWith("\n")) {
                text = "\n" + text;
            }
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /**
     * Replaces the value of one setting in place (atomically: a new file moved over the old one, same
     * owner-only mode), keeping every other line. For explicit commands such as key rotation only.
     */
    public static void replace(Path file, String key, String value) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0 && line.substring(0, eq).strip().equals(key)) {
                lines.set(i, key + " = " + value);
                found = true;
            }
        }
        if (!found) {
            lines.add(key + " = " + value);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        return switch (name) {
            case "AccessDeniedException" -> "permission denied";
            case "NoSuchFileException" -> "no such file";
            case "NotDirectoryException" -> "a part of the path is not a directory";
            default -> e.getMessage() == null ? name : e.getMessage();
        };
    }
}
