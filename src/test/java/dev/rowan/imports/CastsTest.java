package dev.rowan.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rowan.testing.PostgresVersions;
import dev.rowan.userdb.RowanSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;

/**
 * The Java readers agree with the SQL casts they mirror: for each input, either both refuse it, or
 * the value Java hands to COPY is, once PostgreSQL reads it, exactly what the cast returns.
 */
class CastsTest {
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

    private static final List<String> NUMBERS = List.of("1,234,567.89", "1 234,5", "1.234.567,89", "1'234.50", "1’234.50", "-1,5", "0,125",
            "1,234", "1.234", ".5", "1.", "1e3", "1E-3", "+42", "−7", "  12  ", "\u00A012\u202F", "1\u00A0234,5", "1\u202F234", "1\u2009234",
            "12,34,567", "1,23,456", "1.2.3", "12abc", "NaN", "Infinity", "1 234'567", "--5", "+-5", "-", "", "   ", "1e12345", "0x1F", "1_000",
            "١٢٣", "12 345 678,9", "123,", "0,", ",5", "1,2345", "1234,567", "1.234,", "12.345,67.8", "- 5", "5-");
    private static final List<String> WHOLE_NUMBERS = List.of("1234", "-1,234", "1 234", "1.234.567", "3.0", "1.5", "1.234", "1e3", "1e-1",
            "+42", "−7", " 12 ", "007", "-0", "1,5", "0,0", "12,34,567", "abc", "", "   ", "2147483647", "2147483648", "-2147483648",
            "-2147483649", "2,147,483,648", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "9,223,372,036,854,775,808",
            "1e30", "99999999999999999999");
    private static final List<String> MONEY = List.of("$1,234.50", "1234 USD", "(12.00)", "1.234,50 €", "-€5", "€-5", "US$ 3.99", "1 234,50 €",
            "¥1000", "($1,000)", "12", "abc", "$5 USD", "(-5)", "12 kg", "$", "--5", "( 12.00 )", "-$5", "$-5", "USD 5", "5 EUR", "eur 5",
            "R$ 10,50", "€ 1.234,50", "1.234,50€", "()", "12..5", "£ 3", "+$5", "$+5", "₹1,00,000", "CHF 1'234.50", "(€5)", "5$", "$ 5 $",
            " (7) ", "(\u00A07)");
    private static final List<String> BOOLEANS = List.of("yes", "NO", "On", "off", "T", "f", "TRUE", "false", "1", "0", "Y", "n", " yes ",
            "maybe", "2", "ye", "tru", "ｙｅｓ", "");
    private static final List<String> DATES = List.of("2024-03-05", "2024/03/05", "2024-3-5", "2024.03.05", "2024.3.5", "March 5, 2024",
            "Mar 5 2024", "5 Mar 2024", "5 March, 2024", "05-Mar-2024", "03/05/2024", "12/31/2024", "05.03.2024", "Sept 30 2024",
            "2024-02-29", "2023-02-29", "31/12/2024", "3/5/24", "2024-13-01", "Foo 5, 2024", "2024-03/05", "0000-01-01", "yesterday",
            "Mar. 5, 2024", "March 1st, 2024", "1st March 2024", "29th Feb 2024", "5-mar-2024", "5 ma 2024", " 2024-03-05 ",
            "2024-03-05T10:00", "1/2/2024", "13/1/2024", "31.12.2024", "Feb 29 2024", "Feb 29 2023", "29 February 2024", "0001-01-01",
            "9999-12-31", "2024-04-31", "MARCH 5 2024", "Ma 5 2024", "Jun 31 2024", "5th-Mar-2024", "5 Mar. 2024", "March   5,   2024");
    private static final List<String> EMAILS = List.of("alice@example.org", "  bob@example.org  ", "Alice.Smith+tag@Example.CO.uk",
            "mailto:carol@example.org", "MAILTO:x@Y.org", "Dave Jones <dave@example.org>", "o'brien@example.ie", "用户@例子.广告", "abc",
            "a@b", "a@@example.org", "john doe@example.org", "@example.org", "a@example.", "a@-example.org", ".a@example.org",
            "a..b@example.org", "a@example.123", "A@B.CO", " <a@b.co> ", "<>", "a@b.c", "a@b_c.com", "a@b-.com", "\"a\"@b.com",
            "x".repeat(65) + "@example.org", "x".repeat(64) + "@example.org", "a@" + "b".repeat(64) + ".org", "a@b.com.", "a@xn--kln-sna.de",
            "<a@b.co", "Name <a@b.co> extra", "a@b.co\n");
    private static final List<String> URIS = List.of("https://example.org/a?b=c#d", "example.org", "www.example.org/path?q=1",
            "example.org:8080/x", "HTTPS://Example.org/Path", "mailto:alice@example.org", "urn:isbn:0451450523", "tel:5551234",
            "file:///etc/hosts", "192.168.1.10/admin", "https://de.wikipedia.org/wiki/Köln", "https://example.org/a%20b", "localhost",
            "/path", "localhost:8080", "http://", "https://exa mple.org", "https://example.org/100%", "example", "EXAMPLE.ORG",
            "ftp://x.org", "mailto:", "javascript:alert(1)", "x:1", "a.b:8080", "http://a%zz", "http://a#b#c", "1.2.3.4", "1.2.3.4.5",
            "Köln.de", "-a.org", "a-.org", "a.org:123456", "http:///x", "HTTP://", "http://x.org?", "news:comp.lang", "a.1",
            "x.y/" + "p".repeat(10), "  example.org  ", "http://x.org/\u0001");

    /** A Java reader, the SQL cast it mirrors, the type the cast returns, and the inputs both are given. */
    record Twin(String cast, String type, Function<String, String> java, List<String> inputs) {
        @Override
        public String toString() {
            return cast;
        }
    }

    static List<Twin> twins() {
        return List.of(
                new Twin("rowan.cast_to_numeric", "numeric", Casts::parseNumber, NUMBERS),
                new Twin("rowan.cast_to_integer", "integer", ValueFormat.INTEGER::read, WHOLE_NUMBERS),
                new Twin("rowan.cast_to_bigint", "bigint", ValueFormat.BIGINT::read, WHOLE_NUMBERS),
                new Twin("rowan.cast_to_money", "numeric", Casts::parseMoney, MONEY),
                new Twin("rowan.cast_to_boolean", "boolean", Casts::parseBoolean, BOOLEANS),
                new Twin("rowan.cast_to_date", "date", Casts::parseDate, DATES),
                new Twin("rowan.cast_to_email", "text", Casts::parseEmail, EMAILS),
                new Twin("rowan.cast_to_uri", "text", Casts::parseUri, URIS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twins")
    void eachReaderReadsValuesAsItsCastReadsThem(Twin twin) throws SQLException {
        agree(twin.inputs(), twin.cast(), twin.type(), twin.java());
    }

    @Test
    void theHandWrittenEmailCheckAgreesWithThePatternsOnRandomText() {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "aZ9.-@_+' \"!#(<>:x";
        for (int i = 0; i < 300_000; i++) {
            StringBuilder s = new StringBuilder(random.nextBoolean() ? "ab" : "");
            int length = random.nextInt(random.nextInt(10) == 0 ? 90 : 14);
            for (int j = 0; j < length; j++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            if (random.nextBoolean()) s.append(random.nextBoolean() ? "@example.org" : ".co");
            String v = s.toString();
            assertEquals(Casts.isEmailByPatterns(v), Casts.isAsciiEmail(v), "\"" + v + "\"");
        }
        for (String v : List.of("a@" + "b".repeat(63) + ".org", "a@" + "b".repeat(64) + ".org", "x".repeat(64) + "@a.org",
                "x".repeat(65) + "@a.org", "a@b.c-", "a@-b.co", "a@b-.co", "a@b.12", "a@b.1a", "a@b..co", "a.@b.co", ".a@b.co", "a@b.co.")) {
            assertEquals(Casts.isEmailByPatterns(v), Casts.isAsciiEmail(v), v);
        }
    }

    /** For every input: the cast's result (null when blank), or its refusal, and the same from Java's reading of it. */
    private static void agree(List<String> inputs, String cast, String type, Function<String, String> java) throws SQLException {
        for (String input : inputs) {
            String expected;
            boolean refused = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + cast + "(?)::" + type + "::text")) {
                ps.setString(1, input);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    expected = rs.getString(1);
                }
            } catch (PSQLException e) {
                assertEquals("22P02", e.getSQLState(), input + ": " + e.getMessage());
                expected = null;
                refused = true;
            }
            String read = java.apply(input);
            if (refused || expected == null) {
                assertNull(read, "\"" + input + "\": the cast " + (refused ? "refuses it" : "reads it as NULL") + ", Java reads " + read);
                continue;
            }
            assertNotNull(read, "\"" + input + "\": the cast reads " + expected + ", Java refuses it");
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::" + type + "::text")) {
                ps.setString(1, read);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(expected, rs.getString(1), "\"" + input + "\" read by Java as \"" + read + "\"");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2024-03-05 10:04:05          | 2024-03-05 10:04:05
            2024-03-05T10:04             | 2024-03-05 10:04:00
            2024-03-05T10:04:05.123456   | 2024-03-05 10:04:05.123456
            2024-03-05                   | 2024-03-05 00:00:00
            March 5, 2024 3:04 PM        | 2024-03-05 15:04:00
            03/05/2024 12:00 AM          | 2024-03-05 00:00:00
            05.03.2024 23:59:59          | 2024-03-05 23:59:59
            2024-03-05 24:00             |
            2024-03-05 10:60             |
            2024-02-30 10:00             |
            2024-03-05 13:00 PM          |
            2024-03-05 10:00Z            |
            today                        |
            """)
    void timestampsWithoutZoneReadInEveryDateFormWithAnOptionalTime(String input, String expected) throws SQLException {
        String read = Casts.parseTimestamp(input, false);
        assertEquals(expected, read);
        if (read != null) assertEquals(expected, one("SELECT ?::timestamp::text", read));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2024-03-05T10:04:05Z         | 2024-03-05 10:04:05+00
            2024-03-05 10:04:05+02:00    | 2024-03-05 08:04:05+00
            2024-03-05 10:04:05 +0530    | 2024-03-05 04:34:05+00
            2024-03-05 10:04 -07         | 2024-03-05 17:04:00+00
            2024-03-05 10:04:05 UTC      | 2024-03-05 10:04:05+00
            2024-03-05 10:04:05          | 2024-03-05 10:04:05+00
            """)
    void timestampsWithZoneKeepTheirOffset(String input, String expected) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SET TIME ZONE 'UTC'")) {
            ps.execute();
        }
        assertEquals(expected, one("SELECT ?::timestamptz::text", Casts.parseTimestamp(input, true)));
    }

    @Test
    void uuidsAndTimesOfDay() throws SQLException {
        String uuid = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
        for (String form : List.of(uuid, uuid.toUpperCase(), "{" + uuid + "}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
                "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11")) {
            assertEquals(uuid, Casts.parseUuid(form), form);
            assertEquals(uuid, one("SELECT ?::uuid::text", form), form);
        }
        for (String bad : List.of("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "-a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc99--9c0b4ef8bb6d6bb9bd380a11",
                "g0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc999c0b4ef8bb6d6bb9bd380a11-")) {
            assertNull(Casts.parseUuid(bad), bad);
        }
        assertEquals("15:04:00", Casts.parseTime("3:04 pm"));
        assertEquals("00:30:00", Casts.parseTime("12:30 AM"));
        assertEquals("23:59:59.5", Casts.parseTime("23:59:59.5"));
        assertNull(Casts.parseTime("24:00"));
        assertNull(Casts.parseTime("0:30 PM"));
    }

    private static String one(String sql, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
