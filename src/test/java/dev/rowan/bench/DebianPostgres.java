package dev.rowan.bench;

import dev.rowan.postgres.Identifiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL server from the Debian packages (the binaries in binDir), trusting connections
 * from 127.0.0.1 only, listening on nothing else; as root it runs as the user postgres. The server's log is
 * server.log in its data directory; what initdb and pg_ctl print goes to a file beside it.
 */
final class DebianPostgres implements AutoCloseable {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;
    private final Path data;
    private final Path log;
    final int port;

    private DebianPostgres(Path bin, Path data, int port) {
        this.bin = bin;
        this.data = data;
        this.log = data.resolve("server.log");
        this.port = port;
    }

    /** initdb in a new directory data (whose parent others may enter), start, and create the database name. */
    static DebianPostgres start(Path bin, Path data, String database) throws Exception {
        DebianPostgres pg = new DebianPostgres(bin, data, RowanProcess.freePort());
        Files.createDirectories(data);
        if (ROOT) {
            UserPrincipal postgres = data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(data, postgres);
        }
        pg.run(60, "initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres");
        pg.ctl(60, "start");
        try (Connection c = pg.connect("postgres"); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + Identifiers.quote(database));
        } catch (SQLException | RuntimeException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
    }

    String url(String database) {
        return "postgres://postgres@127.0.0.1:" + port + "/" + database;
    }

    /** pg_ctl restart -m fast: sessions are ended, the server is back when this returns. */
    void restart() throws Exception {
        ctl(60, "restart", "-m", "fast");
    }

    @Override
    public void close() throws Exception {
        ctl(60, "stop", "-m", "fast");
    }

    private void ctl(int timeoutSeconds, String action, String... mode) throws Exception {
        List<String> args = new ArrayList<>(List.of("pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w", "-t", Integer.toString(timeoutSeconds)));
        args.addAll(List.of(mode));
        // the socket in the data directory, not the system's: nothing outside this run can reach the server
        args.addAll(List.of("-o", "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1", action));
        run(timeoutSeconds + 10, args.toArray(String[]::new));
    }

    private void run(int timeoutSeconds, String... command) throws Exception {
        List<String> full = new ArrayList<>();
        if (ROOT) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.add(bin.resolve(command[0]).toString());
        full.addAll(List.of(command).subList(1, command.length));
        Path out = data.resolveSibling(data.getFileName() + "-ctl.log");
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command[0] + " " + command[command.length - 1] + " did not finish in " + timeoutSeconds + " s; see " + out);
        }
        if (p.exitValue() != 0) {
            throw new IOException(command[0] + " " + command[command.length - 1] + " failed (" + p.exitValue() + "): "
                    + Files.readString(out).strip());
        }
    }
}
