package dev.rowan.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file stored under the data directory's imports folder, with what was learnt about its bytes; {@code name} as the browser sent it. */
record UploadedFile(Path path, String name, FileFacts facts) {

    long size() {
        return facts.size();
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
