package dev.rowan.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.Problem;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** The mapping of every SQLSTATE class to a problem, for the states a test cannot provoke (a full disk, a standby, a broken server). */
class SqlProblemsTest {
    /** Every error class of PostgreSQL's SQLSTATE table (appendix A of its manual). */
    static final List<String> CLASSES = List.of("03", "08", "09", "0A", "0B", "0F", "0L", "0P", "0Z", "20", "21", "22", "23", "24", "25",
            "26", "27", "28", "2B", "2D", "2F", "34", "38", "39", "3B", "3D", "3F", "40", "42", "44", "53", "54", "55", "57", "58", "72",
            "F0", "HV", "P0", "XX");

    /** An error as the server sends it: severity, SQLSTATE, message and maybe a hint. */
    static PSQLException server(String state, String message, String hint) {
        return new PSQLException(new ServerErrorMessage("SERROR\0VERROR\0C" + state + "\0M" + message + "\0" + (hint == null ? "" : "H" + hint + "\0")));
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "53100|503|database_out_of_resources", "53200|503|database_out_of_resources", "53300|503|database_out_of_resources",
            "53400|503|database_out_of_resources", "54000|422|too_complex", "54011|422|too_complex", "54023|422|too_complex",
            "55P03|409|conflict", "55006|409|conflict", "55000|409|wrong_state", "55P04|409|wrong_state",
            "57014|503|query_canceled", "57P01|503|database_unavailable", "57P02|503|database_unavailable", "57P03|503|database_unavailable",
            "57P05|503|database_unavailable", "08006|503|database_unavailable", "28P01|503|database_unavailable", "3D000|503|database_unavailable",
            "40001|409|conflict", "40P01|409|conflict", "40003|409|conflict", "72000|409|conflict",
            "42501|403|permission_denied", "0P000|403|permission_denied", "0L000|403|permission_denied",
            "22003|422|invalid_value", "22P02|422|invalid_value", "2202E|422|invalid_value",
            "23001|409|still_referenced", "44000|422|check_failed", "2BP01|409|has_dependents",
            "25006|409|read_only_database", "25P02|503|transaction_failed", "25P03|503|transaction_failed",
            "0A000|422|not_supported", "HV00N|502|foreign_data_error",
            "P0001|422|routine_failed", "P0004|422|routine_failed", "2F005|422|routine_failed", "38001|422|routine_failed",
            "39P01|422|routine_failed", "21000|422|routine_failed", "09000|422|routine_failed", "20000|422|routine_failed",
            "AB123|422|routine_failed",
            "24000|500|statement_failed", "26000|500|statement_failed", "34000|500|statement_failed",
            "58030|503|database_system_error", "F0000|503|database_system_error", "XX000|500|database_internal_error",
            "XX001|500|database_internal_error"})
    void eachStateHasAStatusACodeASentenceAndAHint(String state, int status, String code) {
        Problem p = SqlProblems.of(server(state, "something happened", null));
        assertEquals(status, p.status(), state);
        assertEquals(code, p.code(), state);
        assertFalse(p.title().isBlank(), state);
        assertFalse(p.detail().isBlank(), state);
        assertTrue(p.hint() != null && !p.hint().isBlank(), state + " has a hint");
    }

    @Test
    void noErrorOfAnyClassIsLeftUnexplained() {
        for (String cls : CLASSES) {
            for (String state : List.of(cls + "000", cls + "P01", cls + "001")) {
                Problem p = SqlProblems.of(server(state, "something happened", null));
                assertNotEquals("database_error", p.code(), state);
                assertTrue(p.hint() != null && !p.hint().isBlank(), state + " has a hint");
            }
        }
    }

    @Test
    void theServersOwnHintIsKeptWhereItSaysWhatToDo() {
        assertEquals("Set REPLICA IDENTITY.", SqlProblems.of(server("55000", "cannot update table", "Set REPLICA IDENTITY.")).hint());
        Problem raised = SqlProblems.of(server("P0001", "prices are set by finance", "Ask finance."));
        assertEquals("Prices are set by finance.", raised.detail());
        assertEquals("Ask finance.", raised.hint());
    }

    @Test
    void anInternalErrorOfTheServerKeepsItsMessageOutOfTheAnswer() {
        Problem p = SqlProblems.of(server("XX000", "could not read block 7 in file base/16384/2619", null));
        assertFalse(p.detail().contains("base/16384"), p.detail());
        assertTrue(p.detail().contains("XX000"), p.detail());
        assertFalse(SqlProblems.of(server("58030", "could not write to file pg_wal/xlogtemp.99", null)).detail().contains("pg_wal"));
    }

    @Test
    void aDriverErrorWithoutAStateStaysAPlain500() {
        Problem p = SqlProblems.of(new SQLException("the driver gave up"));
        assertEquals(500, p.status());
        assertEquals("database_error", p.code());
        assertEquals("The driver gave up.", p.detail());
    }
}
