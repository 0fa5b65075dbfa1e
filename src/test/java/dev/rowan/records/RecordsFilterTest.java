package dev.rowan.records;

import static dev.rowan.records.Answers.ids;
import static dev.rowan.records.Answers.ok;
import static dev.rowan.records.Answers.problem;
import static dev.rowan.records.Answers.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Filtering records: every operator on every kind of column it applies to, groups, quick search, and bad or hostile filters. */
class RecordsFilterTest {
    @TempDir
    static Path tmp;
    static DataApi api;
    static String things;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        api.exec("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE things (id int PRIMARY KEY, label text, qty int, price numeric(8,2), cost rowan_types.money, done boolean,"
                        + " due date, at_time time, stamp timestamp, stamptz timestamptz, span interval, uid uuid, doc jsonb,"
                        + " mail rowan_types.email, site rowan_types.uri, mood mood, tags text[], nums int[], spot point)",
                "INSERT INTO things VALUES (1, 'Apple pie', 5, 10.50, 12.00, true, '2024-03-05', '08:30', '2024-03-05 08:30',"
                        + " '2024-03-05 08:30+00', '1 day', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\": 1}', 'Ann@example.org',"
                        + " 'https://www.example.org/x', 'happy', '{red,green}', '{1,2}', '(1,2)')",
                "INSERT INTO things VALUES (2, 'banana_split 100%', 10, 3.25, 1234.50, false, '2024-12-25', '17:00', '2024-12-25 17:00',"
                        + " '2024-12-25 17:00+00', '2 hours', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '{\"b\": 2}', 'bob@test.net',"
                        + " 'http://test.net:8080/', 'sad', '{blue}', '{3}', '(3,4)')",
                "INSERT INTO things (id) VALUES (3)",
                "CREATE TABLE canary (id int PRIMARY KEY)", "INSERT INTO canary VALUES (1), (2), (3)");
        things = api.path("/tables/" + api.oid("things") + "/records");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void canaryStillHasItsRows() {
        assertEquals("3", api.scalar("SELECT count(*) FROM canary"));
        assertEquals("3", api.scalar("SELECT count(*) FROM things"));
    }

    static List<Integer> filtered(String filterJson) {
        return ids(ok(api.get(things + "?filter=" + q(filterJson))));
    }

    static String leaf(String column, String op, String valueJson) {
        return "{\"column\":\"" + column + "\",\"op\":\"" + op + "\"" + (valueJson == null ? "" : ",\"value\":" + valueJson) + "}";
    }

    static Arguments c(String column, String op, String value, Integer... expected) {
        return Arguments.of(column, op, value, List.of(expected));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // text
                c("label", "eq", "\"Apple pie\"", 1), c("label", "ne", "\"Apple pie\"", 2, 3),
                c("label", "lt", "\"B\"", 1), c("label", "le", "\"Apple pie\"", 1),
                c("label", "gt", "\"Apple pie\"", 2), c("label", "ge", "\"banana_split 100%\"", 2),
                c("label", "is_null", null, 3), c("label", "is_not_null", null, 1, 2),
                c("label", "contains", "\"pie\"", 1), c("label", "not_contains", "\"pie\"", 2, 3),
                c("label", "contains", "\"_\"", 2), c("label", "contains", "\"%\"", 2), c("label", "contains", "\"PIE\""),
                c("label", "starts_with", "\"App\"", 1), c("label", "starts_with", "\"pie\""),
                c("label", "ends_with", "\"100%\"", 2), c("label", "ends_with", "\"App\""),
                c("label", "eq_ci", "\"apple PIE\"", 1), c("label", "eq_ci", "\"apple\""),
                c("label", "contains_ci", "\"BANANA\"", 2), c("label", "contains_ci", "\"cherry\""),
                c("label", "starts_with_ci", "\"apple\"", 1), c("label", "starts_with_ci", "\"pie\""),
                c("label", "ends_with_ci", "\"PIE\"", 1), c("label", "ends_with_ci", "\"apple\""),
                // integer
                c("qty", "eq", "5", 1), c("qty", "ne", "5", 2, 3), c("qty", "lt", "10", 1), c("qty", "le", "10", 1, 2),
                c("qty", "gt", "5", 2), c("qty", "ge", "\"5\"", 1, 2), c("qty", "is_null", null, 3), c("qty", "is_not_null", null, 1, 2),
                // numbers as people type them
                c("price", "eq", "10.5", 1), c("price", "gt", "5", 1), c("price", "lt", "\"3,5\"", 2), c("price", "le", "3.25", 2),
                c("price", "ge", "\"1,000\""), c("price", "ne", "3.25", 1, 3),
                c("cost", "eq", "\"$1,234.50\"", 2), c("cost", "lt", "100", 1), c("cost", "gt", "\"€12\"", 2), c("cost", "ge", "12", 1, 2),
                c("cost", "le", "\"(5)\""), c("cost", "ne", "12", 2, 3), c("cost", "is_null", null, 3),
                // boolean
                c("done", "eq", "true", 1), c("done", "eq", "\"no\"", 2), c("done", "ne", "true", 2, 3),
                c("done", "is_true", null, 1), c("done", "is_false", null, 2), c("done", "is_null", null, 3),
                // dates and times
                c("due", "eq", "\"March 5, 2024\"", 1), c("due", "gt", "\"2024-06-01\"", 2), c("due", "lt", "\"05.06.2024\"", 1),
                c("due", "le", "\"2024-03-05\"", 1), c("due", "ge", "\"2025-01-01\""), c("due", "ne", "\"2024-03-05\"", 2, 3),
                c("at_time", "lt", "\"12:00\"", 1), c("at_time", "gt", "\"12:00\"", 2), c("at_time", "eq", "\"08:30\"", 1),
                c("at_time", "ne", "\"08:30\"", 2, 3), c("at_time", "le", "\"08:29\""), c("at_time", "ge", "\"17:00\"", 2),
                c("stamp", "ge", "\"2024-06-01\"", 2), c("stamp", "lt", "\"2024-03-05 08:31\"", 1), c("stamp", "eq", "\"2024-12-25 17:00\"", 2),
                c("stamp", "gt", "\"2030-01-01\""), c("stamp", "le", "\"2024-03-05 08:30\"", 1), c("stamp", "ne", "\"2024-03-05 08:30\"", 2, 3),
                c("stamptz", "lt", "\"2024-06-01T00:00:00Z\"", 1), c("stamptz", "gt", "\"2024-06-01T00:00:00Z\"", 2),
                c("stamptz", "eq", "\"2024-12-25 18:00+01\"", 2), c("stamptz", "ge", "\"2030-01-01Z\""),
                c("stamptz", "le", "\"2024-03-05 08:30Z\"", 1), c("stamptz", "ne", "\"2024-03-05 08:30Z\"", 2, 3),
                c("span", "gt", "\"3 hours\"", 1), c("span", "lt", "\"3 hours\"", 2), c("span", "eq", "\"24 hours\"", 1),
                c("span", "ne", "\"1 day\"", 2, 3), c("span", "le", "\"1 hour\""), c("span", "ge", "\"2 hours\"", 1, 2),
                // uuid
                c("uid", "eq", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", 1), c("uid", "ne", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", 2, 3),
                c("uid", "gt", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", 2), c("uid", "lt", "\"b0000000-0000-0000-0000-000000000000\"", 1),
                c("uid", "starts_with", "\"b0ee\"", 2), c("uid", "contains_ci", "\"A0EE\"", 1), c("uid", "ends_with", "\"a12\"", 2),
                // json
                c("doc", "has_key", "\"a\"", 1), c("doc", "has_key", "\"z\""), c("doc", "contains", "\"\\\"b\\\"\"", 2),
                c("doc", "not_contains", "\"\\\"b\\\"\"", 1, 3), c("doc", "contains_ci", "\"B\"", 2), c("doc", "is_null", null, 3),
                // email and uri
                c("mail", "email_domain", "\"example.org\"", 1), c("mail", "email_domain", "\"@TEST.net\"", 2), c("mail", "email_domain", "\"test\""),
                c("mail", "eq", "\"Ann@example.org\"", 1), c("mail", "eq", "\"Ann@EXAMPLE.org\""), c("mail", "eq_ci", "\"ANN@example.ORG\"", 1), c("mail", "contains", "\"bob\"", 2),
                c("mail", "ne", "\"bob@test.net\"", 1, 3), c("mail", "lt", "\"B\"", 1), c("mail", "gt", "\"B\"", 2),
                c("site", "uri_host", "\"www.example.org\"", 1), c("site", "uri_host", "\"TEST.NET\"", 2), c("site", "uri_host", "\"example.org\""),
                c("site", "uri_scheme", "\"https\"", 1), c("site", "uri_scheme", "\"http:\"", 2), c("site", "uri_scheme", "\"ftp\""),
                c("site", "eq", "\"test.net:8080/\""), c("site", "eq", "\"http://test.net:8080/\"", 2), c("site", "starts_with", "\"https\"", 1),
                // enum: compared in the enum's own order (sad < ok < happy)
                c("mood", "eq", "\"happy\"", 1), c("mood", "lt", "\"happy\"", 2), c("mood", "ge", "\"ok\"", 1), c("mood", "le", "\"ok\"", 2),
                c("mood", "gt", "\"sad\"", 1), c("mood", "ne", "\"sad\"", 1, 3), c("mood", "contains", "\"app\"", 1),
                c("mood", "starts_with_ci", "\"S\"", 2),
                // arrays
                c("tags", "has", "\"red\"", 1), c("tags", "has", "\"blue\"", 2), c("tags", "has", "\"re\""),
                c("tags", "contains", "\"gre\"", 1), c("tags", "not_contains", "\"gre\"", 2, 3), c("tags", "contains_ci", "\"BLUE\"", 2),
                c("nums", "has", "3", 2), c("nums", "has", "\"2\"", 1), c("nums", "has", "7"), c("nums", "is_not_null", null, 1, 2),
                // a type Rowan knows nothing about: its text form
                c("spot", "eq", "\"(1,2)\"", 1), c("spot", "ne", "\"(1,2)\"", 2, 3), c("spot", "contains", "\"3\"", 2),
                c("spot", "starts_with", "\"(1\"", 1), c("spot", "ends_with", "\",4)\"", 2), c("spot", "eq_ci", "\"(3,4)\"", 2),
                c("spot", "not_contains", "\"1\"", 2, 3), c("spot", "contains_ci", "\",2\"", 1), c("spot", "starts_with_ci", "\"(3\"", 2),
                c("spot", "ends_with_ci", "\"2)\"", 1), c("spot", "is_null", null, 3));
    }

    @ParameterizedTest(name = "{0} {1} {2} → {3}")
    @MethodSource("cases")
    void eachOperatorMatchesExactlyTheRowsItShould(String column, String op, String value, List<Integer> expected) {
        assertEquals(expected, filtered(leaf(column, op, value)));
    }

    @Test
    void everyOperatorHasCases() {
        Set<String> exercised = new HashSet<>();
        cases().forEach(a -> exercised.add((String) a.get()[1]));
        for (Operator op : EnumSet.allOf(Operator.class)) {
            assertTrue(exercised.contains(op.id()), op.id() + " is not tested");
        }
    }

    @Test
    void groupsCombineConditionsAndNotIsTheComplementIncludingEmptyCells() {
        assertEquals(List.of(1, 2), filtered("{\"or\":[" + leaf("qty", "eq", "5") + "," + leaf("mood", "eq", "\"sad\"") + "]}"));
        assertEquals(List.of(2), filtered("{\"and\":[" + leaf("qty", "ge", "5") + "," + leaf("done", "is_false", null) + "]}"));
        assertEquals(List.of(2, 3), filtered("{\"not\":" + leaf("qty", "eq", "5") + "}"));
        assertEquals(List.of(1, 3), filtered("{\"not\":{\"and\":[" + leaf("qty", "ge", "5") + "," + leaf("done", "is_false", null) + "]}}"));
        assertEquals(List.of(1, 2, 3), filtered("{\"and\":[]}"));
        assertEquals(List.of(), filtered("{\"or\":[]}"));
        assertEquals(List.of(1), filtered("{\"and\":[{\"or\":[" + leaf("label", "contains", "\"pie\"") + "," + leaf("qty", "gt", "100") + "]},"
                + "{\"not\":" + leaf("done", "is_false", null) + "}]}"));
    }

    @Test
    void quickSearchLooksInTextLikeColumnsCaseInsensitively() {
        assertEquals(List.of(1), ids(ok(api.get(things + "?search=APPLE"))));
        assertEquals(List.of(2), ids(ok(api.get(things + "?search=test.net"))));
        assertEquals(List.of(1), ids(ok(api.get(things + "?search=happy"))));
        assertEquals(List.of(2), ids(ok(api.get(things + "?search=" + q("%")))));
        assertEquals(List.of(1), ids(ok(api.get(things + "?search=a0eebc"))));
        assertEquals(List.of(), ids(ok(api.get(things + "?search=zzz"))));
        assertEquals(List.of(1), ids(ok(api.get(things + "?search=e&filter=" + q(leaf("qty", "lt", "10"))))));
    }

    @Test
    void theOperatorsOfEachColumnAreListed() {
        JsonNode columns = ok(api.get(api.path("/tables/" + api.oid("things") + "/filter-operators")));
        assertEquals(19, columns.size());
        assertEquals(List.of("eq", "ne", "lt", "le", "gt", "ge", "is_null", "is_not_null", "contains", "not_contains", "starts_with",
                "ends_with", "eq_ci", "contains_ci", "starts_with_ci", "ends_with_ci"), texts(columns.get(1).get("operators")));
        assertEquals("qty", columns.get(2).get("column").asText());
        assertEquals("integer", columns.get(2).get("kind").asText());
        assertFalse(texts(columns.get(2).get("operators")).contains("contains"));
        assertTrue(texts(columns.get(13).get("operators")).contains("email_domain"));
        assertTrue(texts(columns.get(17).get("operators")).contains("has"));
        assertEquals(List.of("eq", "ne", "is_null", "is_not_null", "contains", "not_contains", "starts_with", "ends_with", "eq_ci",
                "contains_ci", "starts_with_ci", "ends_with_ci"), texts(columns.get(18).get("operators")));
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void aValueTheColumnCannotHoldIsA400NamingColumnAndValue() {
        JsonNode p = problem(api.get(things + "?filter=" + q(leaf("qty", "eq", "\"abc\""))), 400, "invalid_filter_value");
        assertEquals("qty", p.get("column").asText());
        assertEquals("abc", p.get("value").asText());
        assertEquals("due", problem(api.get(things + "?filter=" + q(leaf("due", "gt", "\"someday\""))), 400, "invalid_filter_value")
                .get("column").asText());
        assertEquals("mood", problem(api.get(things + "?filter=" + q("{\"or\":[" + leaf("qty", "eq", "1") + "," + leaf("mood", "eq", "\"angry\"") + "]}")),
                400, "invalid_filter_value").get("column").asText());
        problem(api.get(things + "?filter=" + q(leaf("uid", "eq", "\"xyz\""))), 400, "invalid_filter_value");
        problem(api.get(things + "?filter=" + q(leaf("nums", "has", "\"x\""))), 400, "invalid_filter_value");
        problem(api.get(things + "?filter=" + q(leaf("qty", "eq", "\"1 OR 1=1\""))), 400, "invalid_filter_value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"column\":\"label\",\"op\":\"eq\"}", "{\"column\":\"label\",\"op\":\"eq\",\"value\":null}",
            "{\"column\":\"label\",\"op\":\"eq\",\"value\":{\"a\":1}}", "{\"column\":\"label\",\"op\":\"is_null\",\"value\":\"x\"}",
            "{\"column\":\"label\"}", "[1,2]", "{\"and\":{}}", "{\"column\":\"label\",\"op\":\"eq\",\"value\":\"x\",\"extra\":1}",
            "{\"and\":[1]}", "not json", "{\"column\":1,\"op\":\"eq\",\"value\":1}"})
    void aMalformedFilterIsA400(String filter) {
        problem(api.get(things + "?filter=" + q(filter)), 400, "invalid_filter");
    }

    @Test
    void unknownColumnsAndOperatorsAndOperatorsOfOtherKindsAreRefused() {
        assertTrue(problem(api.get(things + "?filter=" + q(leaf("nope", "eq", "1"))), 400, "unknown_column").get("detail").asText().contains("nope"));
        JsonNode p = problem(api.get(things + "?filter=" + q(leaf("label", "like", "\"x\""))), 400, "unknown_operator");
        assertTrue(p.get("hint").asText().contains("contains"), p.toString());
        problem(api.get(things + "?filter=" + q(leaf("qty", "contains", "\"1\""))), 400, "operator_not_applicable");
        problem(api.get(things + "?filter=" + q(leaf("label", "has", "\"1\""))), 400, "operator_not_applicable");
        problem(api.get(things + "?filter=" + q(leaf("spot", "lt", "\"1\""))), 400, "operator_not_applicable");
    }

    @Test
    void aHugeFilterIsRefused() {
        List<String> leaves = new ArrayList<>();
        for (int i = 0; i < 100; i++) leaves.add(leaf("qty", "eq", Integer.toString(i)));
        problem(api.get(things + "?filter=" + q("{\"or\":[" + String.join(",", leaves) + "]}")), 400, "filter_too_complex");
        assertEquals(List.of(1, 2), filtered("{\"or\":[" + String.join(",", leaves.subList(0, 99)) + "]}"));
    }

    @Test
    void injectionAttemptsAreValuesOrUnknownNamesNeverSql() {
        String drop = "'; DROP TABLE canary; --";
        assertEquals(List.of(), filtered(leaf("label", "eq", "\"" + drop + "\"")));
        assertEquals(List.of(), filtered(leaf("label", "contains", "\"\\\" OR 1=1 --\"")));
        assertEquals(List.of(), ids(ok(api.get(things + "?search=" + q("') OR 1=1; DROP TABLE canary; --")))));
        problem(api.get(things + "?filter=" + q(leaf("label\\\"; DROP TABLE canary; --", "eq", "1"))), 400, "unknown_column");
        problem(api.get(things + "?filter=" + q(leaf("label", "eq; DROP TABLE canary", "1"))), 400, "unknown_operator");
        problem(api.get(things + "?order=" + q("id; DROP TABLE canary; --")), 400, "unknown_column");
        problem(api.get(things + "?order=" + q("id:desc; DROP TABLE canary")), 400, "unknown_column");
        problem(api.get(things + "?limit=" + q("1; DROP TABLE canary")), 400, "invalid_parameter");
        problem(api.get(things + "/" + q("1; DROP TABLE canary")), 404, "record_not_found");
    }

    @Test
    void aNulCharacterInASearchOrAFilterValueIsA400SayingSo() {
        JsonNode p = problem(api.get(things + "?search=" + q("app\u0000le")), 400, "invalid_parameter");
        assertTrue(p.get("detail").asText().contains("cannot contain the NUL character"), p.toString());
        p = problem(api.get(things + "?filter=" + q(leaf("label", "contains", "\"a\\u0000b\""))), 400, "invalid_filter_value");
        assertTrue(p.get("detail").asText().contains("cannot contain the NUL character"), p.toString());
        assertEquals("label", p.get("column").asText());
        p = problem(api.get(things + "?filter=" + q(leaf("qty", "eq", "\"1\\u0000\""))), 400, "invalid_filter_value");
        assertEquals("qty", p.get("column").asText());
    }

    @Test
    void numbersInExponentFormFilterNumberAndMoneyColumns() {
        assertEquals(List.of(2), filtered(leaf("qty", "eq", "1E+1")));
        assertEquals(List.of(2), filtered(leaf("cost", "gt", "1E+2")));
        assertEquals(List.of(1), filtered(leaf("price", "eq", "1.05e1")));
    }
}
