package dev.rowan.app;

import dev.rowan.UserFacingException;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Makes sure the data directory exists (owner-only when Rowan creates it) and can be written. */
public final class DataDirectory {
    private DataDirectory() {
    }

    public static void prepare(Settings settings) {
        Path dir = settings.dataDir();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (FileAlreadyExistsException e) {
            throw fail(settings, "a file, not a directory, is in the way at " + e.getFile());
        } catch (AccessDeniedException e) {
            throw fail(settings, "permission denied");
        } catch (FileSystemException e) {
            throw fail(settings, e.getReason() != null ? e.getReason().toLowerCase() : "the file system refused");
        } catch (IOException e) {
            throw fail(settings, e.getMessage());
        }
    }

    /** Checks, without creating anything: for `rowan check`. Returns the problem in words, or null. */
    public static String problem(Settings settings) {
        Path dir = settings.dataDir();
        if (!Files.exists(dir)) {
            Path parent = dir.getParent();
            while (parent != null && !Files.exists(parent)) parent = parent.getParent();
            return parent != null && Files.isWritable(parent) ? null : "it does not exist and cannot be created (" + parent + " is not writable)";
        }
        if (!Files.isDirectory(dir)) return "it is not a directory";
        if (!Files.isWritable(dir)) return "it is not writable by this user";
        return null;
    }

    private static UserFacingException fail(Settings settings, String why) {
        return new UserFacingException("Rowan cannot use the data directory " + settings.dataDir() + " (from "
                + settings.source(Options.DATA_DIR).describe() + "): " + why + ". Choose another directory with "
                + Options.DATA_DIR.flagName() + " or " + Options.DATA_DIR.envName()
                + ", or give the user running Rowan (" + System.getProperty("user.name") + ") write access to it.");
    }
}
