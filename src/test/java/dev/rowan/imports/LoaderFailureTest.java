package dev.rowan.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.rowan.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load that must end while its COPY is still open (anything failing in the middle of the file)
 * ends at once: the COPY is cancelled before the rollback, so the driver does not wait for ever,
 * the new table and every lock of the load are gone, and the connection can be used again.
 */
class LoaderFailureTest {
    @TempDir
    Path tmp;

    @Test
    void aFailureWhileCopyIsOpenCancelsItRollsBackAndReleasesEverything() throws Exception {
        StringBuilder csv = new StringBuilder("n,v\n");
        for (int i = 1; i <= 5000; i++) csv.append(i).append(",value ").append(i).append('\n');
        Path path = tmp.resolve("upload.csv");
        Files.writeString(path, csv, StandardCharsets.UTF_8);
        byte[] content = Files.readAllBytes(path);
        FileFacts.Scanner scanner = new FileFacts.Scanner();
        scanner.update(content, 0, content.length);
        UploadedFile file = new UploadedFile(path, "upload.csv", scanner.facts(false), -1);
        String database = TestPostgres.databaseName(TestPostgres.newDatabase());
        RuntimeException blip = new IllegalStateException("progress cannot be written");
        try (Connection c = TestPostgres.connect(database); Connection look = TestPostgres.connect(database)) {
            ImportRequest request = new ImportRequest(ImportRequest.Mode.NEW, "public", "half", null, ImportRequest.OnError.ABORT,
                    CsvSettings.Choice.of(null, null, null, null), null, true);
            ImportPlan plan = ImportPlan.of(c, Sniffer.detect(file, request.settings()), request);
            Loader loader = new Loader(plan, file, (phase, bytes, rows, skipped, errors) -> {
                if (phase.equals("loading")) throw blip;
            });
            RuntimeException thrown = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(RuntimeException.class, () -> loader.run(c)));
            assertSame(blip, thrown);
            assertEquals(List.of("null", "0"), List.of(scalar(look, "SELECT to_regclass('public.half')"),
                    scalar(look, "SELECT count(*) FROM pg_locks WHERE pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database"
                            + " WHERE datname = current_database())")), "the new table and the load's locks are gone");
            assertEquals("1", scalar(c, "SELECT 1"), "the connection is usable again");
        }
    }

    private static String scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }
}
