package dev.rowan.userdb;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Terse SQL for test assertions: run a statement, read one value, read a column of rows. */
final class Sql {
    private Sql() {
    }

    static void run(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** The first column of the first row, as text; null when there is no row. */
    static String one(Connection c, String query) throws SQLException {
        List<String> rows = column(c, query);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The first column of every row, as text. */
    static List<String> column(Connection c, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
