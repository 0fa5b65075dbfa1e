package dev.rowan.userdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rowan.testing.PostgresVersions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;

/**
 * The cast functions of the Rowan schemas, case by case, on the default PostgreSQL. Each row is a
 * function, what a person typed, and either the exact result (as PostgreSQL prints it; empty for
 * NULL) or, after "!", what the error says the input is not.
 */
class CastFunctionsTest {
    private static Connection c;

    @BeforeAll
    static void install() throws SQLException {
        c = PostgresVersions.connect(PostgresVersions.DEFAULT, PostgresVersions.newDatabase(PostgresVersions.DEFAULT));
        new RowanSchema().install(c, "test");
    }

    @AfterAll
    static void close() throws SQLException {
        c.close();
    }

    @ParameterizedTest(name = "{0}({1}) = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # email: trimmed, "Name <address>" and mailto: accepted, the domain lower-cased
            email   | alice@example.org                 | alice@example.org
            email   | "  bob@example.org  "             | bob@example.org
            email   | Alice.Smith+tag@Example.CO.uk     | Alice.Smith+tag@example.co.uk
            email   | mailto:carol@example.org          | carol@example.org
            email   | Dave Jones <dave@example.org>     | dave@example.org
            email   | o'brien@example.ie                | o'brien@example.ie
            email   | 用户@例子.广告                     | 用户@例子.广告
            email   | "   "                             |
            email   | abc                               | !an email address
            email   | a@b                               | !an email address
            email   | a@@example.org                    | !an email address
            email   | john doe@example.org              | !an email address
            email   | @example.org                      | !an email address
            email   | a@example.                        | !an email address
            email   | a@-example.org                    | !an email address
            email   | .a@example.org                    | !an email address
            email   | a..b@example.org                  | !an email address
            email   | a@example.123                     | !an email address
            # uri: a scheme is kept (lower-cased), a bare host gets http://
            uri     | https://example.org/a?b=c#d       | https://example.org/a?b=c#d
            uri     | example.org                       | http://example.org
            uri     | www.example.org/path?q=1          | http://www.example.org/path?q=1
            uri     | example.org:8080/x                | http://example.org:8080/x
            uri     | HTTPS://Example.org/Path          | https://Example.org/Path
            uri     | mailto:alice@example.org          | mailto:alice@example.org
            uri     | urn:isbn:0451450523               | urn:isbn:0451450523
            uri     | tel:5551234                       | tel:5551234
            uri     | file:///etc/hosts                 | file:///etc/hosts
            uri     | 192.168.1.10/admin                | http://192.168.1.10/admin
            uri     | https://de.wikipedia.org/wiki/Köln | https://de.wikipedia.org/wiki/Köln
            uri     | https://example.org/a%20b         | https://example.org/a%20b
            uri     | localhost                         | !a URI
            uri     | /path                             | !a URI
            uri     | localhost:8080                    | !a URI
            uri     | http://                           | !a URI
            uri     | https://exa mple.org              | !a URI
            uri     | https://example.org/100%          | !a URI
            uri     | example                           | !a URI
            # money: symbol or code on either side, sign or parentheses, any grouping
            money   | $1,234.50                         | 1234.50
            money   | 1234 USD                          | 1234
            money   | (12.00)                           | -12.00
            money   | 1.234,50 €                        | 1234.50
            money   | -€5                               | -5
            money   | €-5                               | -5
            money   | US$ 3.99                          | 3.99
            money   | 1 234,50 €                        | 1234.50
            money   | ¥1000                             | 1000
            money   | ($1,000)                          | -1000
            money   | 12                                | 12
            money   | abc                               | !an amount of money
            money   | $5 USD                            | !an amount of money
            money   | (-5)                              | !an amount of money
            money   | 12 kg                             | !an amount of money
            money   | $                                 | !an amount of money
            money   | --5                               | !an amount of money
            # numeric: grouping separators; "1,234" is grouped, "1.234" and "1,5" are decimal
            numeric | 1,234,567.89                      | 1234567.89
            numeric | 1 234,5                           | 1234.5
            numeric | 1.234.567,89                      | 1234567.89
            numeric | 1'234.50                          | 1234.50
            numeric | -1,5                              | -1.5
            numeric | 0,125                             | 0.125
            numeric | 1,234                             | 1234
            numeric | 1.234                             | 1.234
            numeric | .5                                | 0.5
            numeric | 1e3                               | 1000
            numeric | +42                               | 42
            numeric | −7                                | -7
            numeric | "  "                              |
            numeric | 1,23,456                          | !a number
            numeric | 1.2.3                             | !a number
            numeric | 12abc                             | !a number
            numeric | NaN                               | !a number
            numeric | 1 234'567                         | !a number
            # integer and bigint: numbers as people write them, when whole and in range
            integer | 1,234                             | 1234
            integer | 1 234                             | 1234
            integer | 3.0                               | 3
            integer | -42                               | -42
            integer | 1e3                               | 1000
            integer | 2147483647                        | 2147483647
            integer | "  "                              |
            integer | 1.5                               | !a whole number
            integer | 1.234                             | !a whole number
            integer | 2147483648                        | !a whole number
            integer | abc                               | !a whole number
            bigint  | 9,223,372,036,854,775,807         | 9223372036854775807
            bigint  | -9223372036854775808              | -9223372036854775808
            bigint  | 2147483648                        | 2147483648
            bigint  | 9223372036854775808               | !a whole number
            bigint  | 12abc                             | !a whole number
            # double: numbers as people write them, and PostgreSQL's special values
            double  | 1,234.5                           | 1234.5
            double  | 1.5e-7                            | 1.5e-07
            double  | NaN                               | NaN
            double  | -Infinity                         | -Infinity
            double  | inf                               | Infinity
            double  | 1e400                             | !a number
            double  | 1e-400                            | !a number
            double  | abc                               | !a number
            # boolean: the usual words, any case
            boolean | yes                               | true
            boolean | NO                                | false
            boolean | On                                | true
            boolean | off                               | false
            boolean | T                                 | true
            boolean | f                                 | false
            boolean | TRUE                              | true
            boolean | false                             | false
            boolean | 1                                 | true
            boolean | 0                                 | false
            boolean | Y                                 | true
            boolean | n                                 | false
            boolean | maybe                             | !a yes/no value
            boolean | 2                                 | !a yes/no value
            boolean | ye                                | !a yes/no value
            # date: ISO, month names, slashes month first, dots day first
            date    | 2024-03-05                        | 2024-03-05
            date    | 2024/03/05                        | 2024-03-05
            date    | 2024-3-5                          | 2024-03-05
            date    | March 5, 2024                     | 2024-03-05
            date    | Mar 5 2024                        | 2024-03-05
            date    | 5 Mar 2024                        | 2024-03-05
            date    | 5 March, 2024                     | 2024-03-05
            date    | 05-Mar-2024                       | 2024-03-05
            date    | 03/05/2024                        | 2024-03-05
            date    | 12/31/2024                        | 2024-12-31
            date    | 05.03.2024                        | 2024-03-05
            date    | Sept 30 2024                      | 2024-09-30
            date    | 2024-02-29                        | 2024-02-29
            date    | 2023-02-29                        | !a date
            date    | 31/12/2024                        | !a date
            date    | 3/5/24                            | !a date
            date    | 2024-13-01                        | !a date
            date    | Foo 5, 2024                       | !a date
            date    | 2024-03/05                        | !a date
            date    | 0000-01-01                        | !a date
            date    | yesterday                         | !a date
            """)
    void castsReadWhatPeopleType(String type, String input, String expected) throws SQLException {
        String sql = "SELECT rowan.cast_to_" + type + "(?)::text";
        if (expected != null && expected.startsWith("!")) {
            PSQLException e = assertThrows(PSQLException.class, () -> cast(sql, input));
            assertEquals("22P02", e.getSQLState(), "invalid_text_representation");
            assertEquals("\"" + input + "\" is not " + expected.substring(1), e.getServerErrorMessage().getMessage());
            assertFalse(e.getServerErrorMessage().getHint().isBlank(), "the error says what would be read");
        } else {
            assertEquals(expected, cast(sql, input));
        }
    }

    @Test
    void nullStaysNull() throws SQLException {
        for (String type : List.of("email", "uri", "money", "numeric", "boolean", "date", "integer", "bigint", "double")) {
            assertNull(cast("SELECT rowan.cast_to_" + type + "(?)::text", null), type);
        }
    }

    @Test
    void everyCastIsImmutableStrictAndParallelSafe() throws SQLException {
        assertEquals(List.of("cast_to_bigint", "cast_to_boolean", "cast_to_date", "cast_to_double", "cast_to_email", "cast_to_integer",
                        "cast_to_money", "cast_to_numeric", "cast_to_uri"),
                Sql.column(c, "SELECT proname FROM pg_proc WHERE pronamespace = 'rowan'::regnamespace AND proname LIKE 'cast\\_to\\_%' "
                        + "AND provolatile = 'i' AND proisstrict AND proparallel = 's' ORDER BY 1"));
    }

    @Test
    void datesDoNotDependOnTheSessionsDateStyle() throws SQLException {
        Sql.run(c, "SET DateStyle = 'ISO, DMY'");
        try {
            assertEquals("2024-05-03", Sql.one(c, "SELECT '03/05/2024'::date::text"), "PostgreSQL's own input follows DateStyle");
            assertEquals("2024-03-05", Sql.one(c, "SELECT rowan.cast_to_date('03/05/2024')::text"));
        } finally {
            Sql.run(c, "RESET DateStyle");
        }
    }

    @Test
    void aLongInputIsShortenedInTheMessage() {
        String input = "x".repeat(500);
        PSQLException e = assertThrows(PSQLException.class, () -> cast("SELECT rowan.cast_to_email(?)", input));
        assertEquals("\"" + "x".repeat(57) + "...\" is not an email address", e.getServerErrorMessage().getMessage());
    }

    private static String cast(String sql, String input) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, input);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
