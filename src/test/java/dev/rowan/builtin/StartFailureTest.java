package dev.rowan.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the built-in server printed while failing to start decides what Rowan blames: the disk, root, the port, or nothing in particular. */
class StartFailureTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIsBlamedOnTheDiskNotOnRoot() {
        String initdb = """
                The files belonging to this database system will be owned by user "root".
                creating directory /data/postgres ... ok
                creating subdirectories ... ok
                initdb: error: could not write to file "/data/postgres/pg_wal/xlogtemp.123": No space left on device
                initdb: removing contents of data directory "/data/postgres"
                """;
        assertEquals(StartFailure.Cause.DISK_FULL, StartFailure.classify(initdb, dir));
        assertEquals("could not write to file \"/data/postgres/pg_wal/xlogtemp.123\": No space left on device", StartFailure.lastError(initdb));
        String server = "2026-12-07 10:00:00 UTC [77] PANIC:  could not write to file \"pg_wal/xlogtemp.77\": No space left on device\n";
        assertEquals(StartFailure.Cause.DISK_FULL, StartFailure.classify(server, dir));
    }

    @Test
    void rootIsBlamedOnlyWhenPostgresqlRefusedRootOrTheUserNamespaceFailed() {
        assertEquals(StartFailure.Cause.ROOT, StartFailure.classify("initdb: error: cannot be run as root\n", dir));
        assertEquals(StartFailure.Cause.ROOT, StartFailure.classify("unshare: unshare failed: Operation not permitted\n", dir));
        assertEquals("unshare: unshare failed: Operation not permitted", StartFailure.lastError("unshare: unshare failed: Operation not permitted\n"));
    }

    @Test
    void aTakenPortIsNamed() {
        String server = """
                LOG:  could not bind IPv4 address "127.0.0.1": Address already in use
                WARNING:  could not create listen socket for "localhost"
                FATAL:  could not create any TCP/IP sockets
                """;
        assertEquals(StartFailure.Cause.PORT_TAKEN, StartFailure.classify(server, dir));
        assertEquals("could not create any TCP/IP sockets", StartFailure.lastError(server));
    }

    @Test
    void anythingElseIsNotGuessedAt() {
        assertEquals(StartFailure.Cause.OTHER, StartFailure.classify("FATAL:  data directory \"/x\" has invalid permissions\n", dir));
        assertNull(StartFailure.lastError("waiting for server to start.... stopped waiting\n"));
    }
}
