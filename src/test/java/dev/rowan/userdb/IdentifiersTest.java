package dev.rowan.userdb;

import dev.rowan.postgres.Identifiers;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rowan.testing.PostgresVersions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentifiersTest {
    @Test
    void quotesAreDoubledAndTheNameWrappedInQuotes() {
        assertEquals("\"people\"", Identifiers.quote("people"));
        assertEquals("\"my \"\"table\"\"\"", Identifiers.quote("my \"table\""));
        assertEquals("\"select\"", Identifiers.quote("select"));
    }

    @Test
    void anEmptyNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Identifiers.quote(""));
        assertThrows(IllegalArgumentException.class, () -> Identifiers.quote(null));
    }

    @Test
    void postgresqlReadsEveryQuotedNameBackAsItself() throws SQLException {
        List<String> names = List.of("Mixed Case", "a\"b", "\"", "x'); DROP TABLE t; --", "ünïcødé 名前", "select", "ä".repeat(31) + "x");
        try (Connection c = PostgresVersions.connect(PostgresVersions.DEFAULT, PostgresVersions.newDatabase(PostgresVersions.DEFAULT))) {
            for (String name : names) {
                Sql.run(c, "CREATE TABLE " + Identifiers.quote(name) + " (" + Identifiers.quote(name) + " int)");
            }
            assertEquals(names.stream().sorted().toList(),
                    Sql.column(c, "SELECT attname FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid "
                            + "WHERE t.relnamespace = 'public'::regnamespace AND t.relname = a.attname ORDER BY attname COLLATE \"C\""));
        }
    }
}
