package dev.rowan.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports through the API into a real PostgreSQL: every odd file with its exact outcome, checked in the database with SQL. */
class ImportApiTest {
    @TempDir
    static Path tmp;
    static DataApi api;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static HttpResponse<String> upload(String path, byte[] file, String... fields) {
        Multipart m = Multipart.of(fields);
        if (file != null) m.file("data.csv", file);
        return api.send(m.post(api.uri(api.path(path))), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Starts an import and waits for it to end; the job's final state. */
    static JsonNode load(byte[] file, String... fields) {
        HttpResponse<String> r = upload("/imports", file, fields);
        assertEquals(202, r.statusCode(), r.body());
        return waitFor(DataApi.parse(r).get("id").asLong());
    }

    static JsonNode waitFor(long id) {
        return waitFor(api, id);
    }

    /** Waits (at most two minutes) for an import of {@code api}'s database to end; its final state. */
    static JsonNode waitFor(DataApi api, long id) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonNode job = DataApi.parse(api.get(api.path("/imports/" + id)));
            if (!job.get("state").asText().equals("running")) return job;
            if (System.currentTimeMillis() > deadline) throw new AssertionError("import still running: " + job);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aFileWithOnlyFileSchemaAndTableBecomesANewTableWithInferredTypes() {
        JsonNode job = load(utf8("name,age,joined,active\nAlice,30,2024-03-05,yes\nBob,41,March 5 2024,no\n"),
                "schema", "public", "table", "people");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals(2, job.get("rowsDone").asLong());
        assertEquals(api.oid("public.people"), job.get("tableOid").asLong());
        assertEquals("Alice|30|2024-03-05|t;Bob|41|2024-03-05|f",
                api.scalar("SELECT string_agg(concat_ws('|', name, age, joined, active), ';' ORDER BY id) FROM people"));
        assertEquals("id bigint,name text,age integer,joined date,active boolean", api.scalar("SELECT string_agg(attname || ' ' || "
                + "format_type(atttypid, atttypmod), ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'people'::regclass AND attnum > 0"));
        assertTrue(job.get("errors").isEmpty());
        api.exec("INSERT INTO people (name) VALUES ('Carol')");
        assertEquals("3", api.scalar("SELECT id FROM people WHERE name = 'Carol'"), "the key's sequence continues after the imported rows");
        assertEquals("id", api.scalar("SELECT a.attname FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid"
                + " AND a.attnum = k.conkey[1] WHERE k.conrelid = 'people'::regclass AND k.contype = 'p'"));
    }
    // ---- helpers ----

    static HttpResponse<String> pasted(String path, String json) {
        return api.post(api.path(path), json);
    }

    /** A table's columns as "name type, ..." in order, from the catalog. */
    static String columns(String qualifiedName) {
        return api.scalar("SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped", qualifiedName);
    }

    static boolean exists(String qualifiedName) {
        return api.scalar("SELECT to_regclass(?)::text", qualifiedName) != null;
    }

    /** Upload files left in the data directory: none once every request and import has ended. */
    static List<String> leftoverUploads() throws IOException {
        Path dir = tmp.resolve("data").resolve("imports");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("upload-")).toList();
        }
    }

    static List<Long> errorLines(JsonNode job) {
        List<Long> lines = new ArrayList<>();
        job.get("errors").forEach(e -> lines.add(e.get("line").asLong()));
        return lines;
    }

    // ---- preview ----

    @Test
    void previewDetectsSemicolonsDecimalCommasAndDottedDates() {
        HttpResponse<String> r = upload("/imports/preview", utf8("name;price;when\nLamp;1,5;05.03.2024\nDesk;12,25;06.03.2024\n"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode p = DataApi.parse(r);
        assertEquals(";", p.at("/settings/delimiter").asText());
        assertEquals("\"", p.at("/settings/quote").asText());
        assertTrue(p.at("/settings/header").asBoolean());
        assertEquals("utf-8", p.at("/settings/encoding").asText());
        assertEquals(List.of("name", "price", "when"), p.get("columns").findValuesAsText("name"));
        assertEquals(List.of("text", "numeric", "date"), p.get("columns").findValuesAsText("type"));
        assertEquals("[\"1,5\",\"12,25\"]", p.at("/columns/1/samples").toString());
        assertEquals("[[\"Lamp\",\"1,5\",\"05.03.2024\"],[\"Desk\",\"12,25\",\"06.03.2024\"]]", p.get("rows").toString());
        assertEquals(2, p.get("rowsSampled").asInt());
        assertTrue(p.get("wholeFileSampled").asBoolean());
        assertTrue(p.get("warnings").isEmpty(), p.toString());
    }

    @Test
    void previewOfPastedTabSeparatedText() throws IOException {
        HttpResponse<String> r = pasted("/imports/preview", "{\"text\": \"qty\\tcolour\\n3\\tred\\n4\\tblue, light\\n\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode p = DataApi.parse(r);
        assertEquals("\t", p.at("/settings/delimiter").asText());
        assertTrue(p.at("/settings/header").asBoolean());
        assertEquals(List.of("integer", "text"), p.get("columns").findValuesAsText("type"));
        assertEquals("[\"integer\",\"bigint\",\"numeric\",\"money\",\"text\"]", p.at("/columns/0/possibleTypes").toString());
        assertEquals("blue, light", p.at("/rows/1/1").asText());
        assertEquals(List.of(), leftoverUploads());
    }

    @Test
    void previewOfAFileWithoutHeaderNamesTheColumnsByPosition() {
        JsonNode p = DataApi.parse(upload("/imports/preview", utf8("1,2024-01-01,Lamp\n2,2024-01-02,Desk\n")));
        assertFalse(p.at("/settings/header").asBoolean(), p.toString());
        assertEquals(List.of("column_1", "column_2", "column_3"), p.get("columns").findValuesAsText("name"));
        assertEquals(List.of("integer", "date", "text"), p.get("columns").findValuesAsText("type"));
        assertEquals(2, p.get("rows").size());
    }

    @Test
    void previewSettingsCanBeChosen() {
        JsonNode p = DataApi.parse(upload("/imports/preview", utf8("a|b\n1|2\n"), "delimiter", ",", "header", "false"));
        assertEquals(",", p.at("/settings/delimiter").asText());
        assertFalse(p.at("/settings/header").asBoolean());
        assertEquals(List.of("column_1"), p.get("columns").findValuesAsText("name"));
        assertEquals("[[\"a|b\"],[\"1|2\"]]", p.get("rows").toString());
    }

    @Test
    void aPreviewStoresOnlyTheStartOfALargeFileAndReadsItWithoutTheCutRecord() throws IOException {
        String row = "é".repeat(1700);
        StringBuilder csv = new StringBuilder("a,b\n");
        for (int i = 0; csv.length() * 2L < ImportJobs.PREVIEW_BYTES + 8_000_000; i++) csv.append(i).append(',').append(row).append('\n');
        byte[] file = utf8(csv.toString());
        int cut = (int) ImportJobs.PREVIEW_BYTES;
        if ((file[cut - 1] & 0xFF) != 0xC3) file = concat(utf8("#"), file); // make the cut fall inside an é
        assertEquals(0xC3, file[cut - 1] & 0xFF);
        HttpResponse<String> r = upload("/imports/preview", file);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode p = DataApi.parse(r);
        assertEquals("utf-8", p.at("/settings/encoding").asText(), "a character cut by the end of the stored part is not an encoding error");
        assertEquals(file.length, p.get("bytes").asLong());
        assertFalse(p.get("wholeFileSampled").asBoolean());
        assertEquals(List.of("types_from_sample"), p.get("warnings").findValuesAsText("code"), p.get("warnings").toString());
        assertTrue(p.get("rowsSampled").asInt() > 9000, p.get("rowsSampled").toString());
        assertEquals(List.of("integer", "text"), p.get("columns").findValuesAsText("type"));
        assertEquals(List.of(), leftoverUploads());
    }

    // ---- types ----

    @Test
    void everyTypeIsInferredAndMixedColumnsFallBackToText() {
        String csv = "i,b,n,yes_no,day,at,at_tz,mail,site,price,mixed,zip,nothing,flag\n"
                + "1,3000000000,1.5,yes,2024-03-05,2024-03-05 10:00,2024-03-05T10:00:00Z,a@example.org,example.org,$1.50,12,01234,,0\n"
                + "-7,1,\"1,234.5\",no,March 5 2024,2024-03-05T11:30:15,2024-03-05 11:00+02:00,B@Example.ORG,https://x.org/a,2 EUR,abc,02345,,1\n"
                + ",,,,,,,,,,,,,\n";
        JsonNode p = DataApi.parse(upload("/imports/preview", utf8(csv)));
        assertEquals(List.of("integer", "bigint", "numeric", "boolean", "date", "timestamp", "timestamptz", "email", "uri", "money",
                "text", "text", "text", "integer"), p.get("columns").findValuesAsText("type"), p.toString());

        JsonNode job = load(utf8(csv), "table", "every_type");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals(3, job.get("rowsDone").asLong());
        assertEquals("id bigint, i integer, b bigint, n numeric, yes_no boolean, day date, at timestamp without time zone,"
                + " at_tz timestamp with time zone, mail rowan_types.email, site rowan_types.uri, price rowan_types.money, mixed text,"
                + " zip text, nothing text, flag integer", columns("public.every_type"));
        String rows = api.scalar("SELECT string_agg(concat_ws('|', i, b, n, yes_no, day, at, to_char(at_tz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),"
                + " mail, site, price, mixed, zip, coalesce(nothing, 'NULL'), flag), E'\\n' ORDER BY id) FROM every_type");
        assertEquals("1|3000000000|1.5|t|2024-03-05|2024-03-05 10:00:00|2024-03-05 10:00|a@example.org|http://example.org|1.50|12|01234|NULL|0\n"
                + "-7|1|1234.5|f|2024-03-05|2024-03-05 11:30:15|2024-03-05 09:00|B@example.org|https://x.org/a|2|abc|02345|NULL|1\n"
                + "NULL", rows);
    }

    @Test
    void chosenNamesAndTypesOverrideTheGuessesAndBadValuesAreSkippedWithColumnAndValueNamed() {
        JsonNode job = load(utf8("code,amount\n007,5\n008,lots\n009, 7 \n"), "table", "chosen",
                "columns", "[{\"name\":\"Code\",\"type\":\"text\"},{\"name\":\"Amount\",\"type\":\"integer\"}]", "onError", "skip");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals(2, job.get("rowsDone").asLong());
        assertEquals(1, job.get("rowsSkipped").asLong());
        assertEquals(3, job.at("/errors/0/line").asLong());
        assertEquals("Amount", job.at("/errors/0/column").asText());
        assertEquals("Column \"Amount\": \"lots\" is not a whole number from -2147483648 to 2147483647.", job.at("/errors/0/message").asText());
        assertEquals("id bigint, Code text, Amount integer", columns("public.chosen"));
        assertEquals("007:5,009:7", api.scalar("SELECT string_agg(\"Code\" || ':' || \"Amount\", ',' ORDER BY id) FROM chosen"));
    }

    @Test
    void aValueThatDoesNotFitItsTypeAbortsTheImportAndNothingIsCreated() {
        JsonNode job = load(utf8("when\n2024-01-01\nsoon\n2024-01-03\nlater\n"), "table", "bad_dates",
                "columns", "[{\"name\":\"when\",\"type\":\"date\"}]");
        assertEquals("failed", job.get("state").asText(), job.toString());
        assertEquals(List.of(3L, 5L), errorLines(job));
        assertEquals("Column \"when\": \"soon\" is not a date.", job.at("/errors/0/message").asText());
        assertEquals("2 records are malformed; nothing was loaded.", job.get("message").asText());
        assertTrue(job.get("tableOid").isNull());
        assertFalse(exists("public.bad_dates"));
    }

    // ---- odd and malformed files ----

    @Test
    void raggedRowsFailTheImportInAbortModeAndNothingIsLoaded() {
        JsonNode job = load(utf8("a,b\n1,2\n3\n4,5\n6,7,8\n"), "table", "ragged_abort");
        assertEquals("failed", job.get("state").asText(), job.toString());
        assertEquals(2, job.get("errorCount").asLong());
        assertEquals(List.of(3L, 5L), errorLines(job));
        assertEquals("This record has 1 field; the file has 2 columns.", job.at("/errors/0/message").asText());
        assertEquals("This record has 3 fields; the file has 2 columns.", job.at("/errors/1/message").asText());
        assertFalse(exists("public.ragged_abort"));
    }

    @Test
    void raggedRowsAreLeftOutAndReportedInSkipMode() throws IOException {
        JsonNode job = load(utf8("a,b\n1,2\n3\n4,5\n6,7,8\n"), "table", "ragged_skip", "onError", "skip");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals(2, job.get("rowsDone").asLong());
        assertEquals(2, job.get("rowsSkipped").asLong());
        assertEquals(List.of(3L, 5L), errorLines(job));
        assertEquals("2 rows loaded into public.ragged_skip; 2 malformed records were left out.", job.get("message").asText());
        assertEquals("1:2,4:5", api.scalar("SELECT string_agg(a || ':' || b, ',' ORDER BY id) FROM ragged_skip"));
        assertEquals(List.of(), leftoverUploads());
    }

    @Test
    void embeddedNewlinesQuotesTabsAndBackslashesArriveIntactAndLaterLinesAreNumberedRight() {
        String csv = "id,note\n1,\"first line\nsecond line\"\n2,\"she said \"\"hi\"\", then left\"\n"
                + "3,\"tab\there, backslash \\ and \\N and \\.\"\n4,\"windows\r\nline\"\n5\n6,\"\"\n";
        JsonNode job = load(utf8(csv), "table", "notes", "onError", "skip");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals(5, job.get("rowsDone").asLong());
        assertEquals(List.of(8L), errorLines(job), "the record \"5\" starts on line 8: two records before it span two lines");
        assertEquals("first line\nsecond line", api.scalar("SELECT note FROM notes WHERE id = 1"));
        assertEquals("she said \"hi\", then left", api.scalar("SELECT note FROM notes WHERE id = 2"));
        assertEquals("tab\there, backslash \\ and \\N and \\.", api.scalar("SELECT note FROM notes WHERE id = 3"));
        assertEquals("windows\r\nline", api.scalar("SELECT note FROM notes WHERE id = 4"));
        assertEquals("true", api.scalar("SELECT (note IS NULL)::text FROM notes WHERE id = 6"), "an empty field is NULL");
    }

    @Test
    void aQuoteThatIsNeverClosedIsReportedOnTheLineItOpens() {
        JsonNode job = load(utf8("a,b\n1,x\n2,\"never closed\n3,y\n"), "table", "unclosed");
        assertEquals("failed", job.get("state").asText(), job.toString());
        assertEquals(List.of(3L), errorLines(job));
        assertEquals("The quote opened on line 3 is never closed.", job.at("/errors/0/message").asText());
        assertFalse(exists("public.unclosed"));
    }

    @Test
    void semicolonFilesWithDecimalCommasAndTabSeparatedFilesLoad() {
        JsonNode semicolons = load(utf8("item;price;sold\nLamp;1,5;05.03.2024\n\"Desk; oak\";1.234,75;06.03.2024\n"), "table", "semicolons");
        assertEquals("done", semicolons.get("state").asText(), semicolons.toString());
        assertEquals(";", semicolons.at("/settings/delimiter").asText());
        assertEquals("id bigint, item text, price numeric, sold date", columns("public.semicolons"));
        assertEquals("Lamp 1.5 2024-03-05;Desk; oak 1234.75 2024-03-06",
                api.scalar("SELECT string_agg(concat_ws(' ', item, price, sold), ';' ORDER BY id) FROM semicolons"));

        JsonNode tabs = load(utf8("item\tqty\tnote\nLamp\t3\tsays \"hi\", twice\nDesk\t\t\n"), "table", "tabs");
        assertEquals("done", tabs.get("state").asText(), tabs.toString());
        assertEquals("\t", tabs.at("/settings/delimiter").asText());
        assertEquals("id bigint, item text, qty integer, note text", columns("public.tabs"));
        assertEquals("Lamp|3|says \"hi\", twice;Desk|NULL|NULL",
                api.scalar("SELECT string_agg(concat_ws('|', item, coalesce(qty::text, 'NULL'), coalesce(note, 'NULL')), ';' ORDER BY id) FROM tabs"));
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnName() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] file = concat(bom, utf8("name,qty\nLamp,1\n"));
        JsonNode p = DataApi.parse(upload("/imports/preview", file));
        assertEquals("utf-8-bom", p.at("/settings/encoding").asText());
        assertEquals("name", p.at("/columns/0/name").asText());
        JsonNode job = load(file, "table", "with_bom");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals("id bigint, name text, qty integer", columns("public.with_bom"));
        assertEquals("Lamp", api.scalar("SELECT name FROM with_bom"));
    }

    @Test
    void latin1FilesAreDetectedAndReadAsLatin1() {
        byte[] file = "name,city\nZoë,Besançon\ncafé,Köln\n".getBytes(StandardCharsets.ISO_8859_1);
        JsonNode p = DataApi.parse(upload("/imports/preview", file));
        assertEquals("latin-1", p.at("/settings/encoding").asText());
        assertEquals("encoding_guessed", p.at("/warnings/0/code").asText());
        JsonNode job = load(file, "table", "latin");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals("Zoë Besançon;café Köln", api.scalar("SELECT string_agg(name || ' ' || city, ';' ORDER BY id) FROM latin"));
    }

    @Test
    void windows1252IsToldFromLatin1ByItsEuroSignsAndCurlyQuotes() {
        byte[] file = "item,price\n\u201cLamp\u201d,\u20ac5\nDesk,\u20ac7,50\n".replace("\u20ac7,50", "\"\u20ac7,50\"").getBytes(java.nio.charset.Charset.forName("windows-1252"));
        JsonNode job = load(file, "table", "cp1252");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals("windows-1252", job.at("/settings/encoding").asText());
        assertEquals("\u201cLamp\u201d 5;Desk 7.50", api.scalar("SELECT string_agg(item || ' ' || price, ';' ORDER BY id) FROM cp1252"));
    }

    @Test
    void aUtf16LeFileWithAByteOrderMarkIsDetectedAndLoadedAsWritten() {
        // As a spreadsheet program saves "Unicode text": UTF-16LE with its byte order mark, tab-separated, CRLF.
        String text = "name\tcity\r\nZoë\tBesançon\r\n東京\tKöln 😀\r\n";
        byte[] file = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE));
        HttpResponse<String> r = upload("/imports/preview", file);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode p = DataApi.parse(r);
        assertEquals("utf-16le", p.at("/settings/encoding").asText());
        assertEquals("\t", p.at("/settings/delimiter").asText());
        assertEquals(List.of("name", "city"), p.get("columns").findValuesAsText("name"), "the byte order mark is not part of the first name");
        assertEquals("[[\"Zoë\",\"Besançon\"],[\"東京\",\"Köln 😀\"]]", p.get("rows").toString());
        assertTrue(p.get("warnings").isEmpty(), p.toString());
        JsonNode job = load(file, "table", "utf16le");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals("utf-16le", job.at("/settings/encoding").asText());
        assertEquals("id bigint, name text, city text", columns("public.utf16le"));
        assertEquals("Zoë Besançon;東京 Köln 😀", api.scalar("SELECT string_agg(name || ' ' || city, ';' ORDER BY id) FROM utf16le"));
    }

    @Test
    void aPreviewOfTheStartOfAUtf16FileCutAsTheWebPageCutsItIsReadUpToItsLastWholeCharacter() {
        StringBuilder csv = new StringBuilder("id\tname\r\n");
        for (int i = 0; csv.length() < 600_000; i++) csv.append(i).append("\tZoë 東京\r\n");
        byte[] whole = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, csv.toString().getBytes(StandardCharsets.UTF_16LE));
        // The page sends the first MiB up to its last 0x0A byte: in UTF-16LE that is the first half of a line end.
        byte[] start = Arrays.copyOf(whole, 1 << 20);
        int lastNewline = start.length - 1;
        while (start[lastNewline] != 0x0A) lastNewline--;
        HttpResponse<String> r = upload("/imports/preview", Arrays.copyOf(start, lastNewline + 1));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode p = DataApi.parse(r);
        assertEquals("utf-16le", p.at("/settings/encoding").asText());
        assertEquals(List.of("integer", "text"), p.get("columns").findValuesAsText("type"));
        assertEquals("[\"0\",\"Zoë 東京\"]", p.at("/rows/0").toString());
        // A client may send a start cut inside a UTF-8 character too.
        byte[] utf8 = utf8("a,b\n1,café\n2,café");
        r = upload("/imports/preview", Arrays.copyOf(utf8, utf8.length - 1));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("utf-8", DataApi.parse(r).at("/settings/encoding").asText());
    }

    @Test
    void aUtf16BeFileWithoutAByteOrderMarkIsToldByItsNulBytes() {
        byte[] file = "id,name,price\n1,Zoë,1.50\n2,東京,2\n3,\"a, b\",3\n".getBytes(StandardCharsets.UTF_16BE);
        JsonNode p = DataApi.parse(upload("/imports/preview", file));
        assertEquals("utf-16be", p.at("/settings/encoding").asText(), p.toString());
        assertEquals("encoding_guessed", p.at("/warnings/0/code").asText(), p.toString());
        assertEquals(List.of("integer", "text", "numeric"), p.get("columns").findValuesAsText("type"));
        JsonNode job = load(file, "table", "utf16be");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals("1 Zoë 1.50;2 東京 2;3 a, b 3", api.scalar("SELECT string_agg(concat_ws(' ', id, name, price), ';' ORDER BY id) FROM utf16be"));
        assertEquals(List.of(), job.get("errors").findValuesAsText("message"));
    }

    @Test
    void utf32FilesAreReadToo() {
        byte[] withBom = concat(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, "a,b\nZoë,😀\n".getBytes(java.nio.charset.Charset.forName("UTF-32LE")));
        JsonNode job = load(withBom, "table", "utf32le");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals("utf-32le", job.at("/settings/encoding").asText());
        assertEquals("Zoë 😀", api.scalar("SELECT a || ' ' || b FROM utf32le"));
        JsonNode p = DataApi.parse(upload("/imports/preview", "a,b\nZoë,1\n".getBytes(java.nio.charset.Charset.forName("UTF-32BE"))));
        assertEquals("utf-32be", p.at("/settings/encoding").asText(), p.toString());
        assertEquals("[[\"Zoë\",\"1\"]]", p.get("rows").toString());
    }

    @Test
    void aUtf16FileIsNotReadInAnEncodingItsNulBytesRuleOut() throws IOException {
        byte[] file = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16LE));
        for (String chosen : List.of("utf-8", "latin-1")) {
            HttpResponse<String> r = upload("/imports", file, "table", "utf16_as_" + chosen, "encoding", chosen);
            assertProblem(r, 422, "encoding_mismatch");
            assertTrue(DataApi.parse(r).get("detail").asText().contains("UTF-16LE"), r.body());
        }
        assertEquals(List.of(), leftoverUploads());
    }

    @Test
    void aFileThatIsNotTextIsRefusedAsSuch() {
        byte[] binary = new byte[20_000];
        new java.util.Random(8).nextBytes(binary);
        binary[0] = 'P';
        binary[1] = 'K';
        HttpResponse<String> r = upload("/imports/preview", binary);
        assertProblem(r, 422, "not_text");
        assertProblem(upload("/imports", binary, "table", "binary"), 422, "not_text");
        assertFalse(exists("public.binary"));
    }

    @Test
    void aCyrillicFileInWindows1251IsRefusedRatherThanReadAsWindows1252Garbage() {
        byte[] file = "имя,город\nИван,Москва\nОльга,Санкт-Петербург\n".getBytes(java.nio.charset.Charset.forName("windows-1251"));
        assertProblem(upload("/imports/preview", file), 422, "unknown_encoding");
        assertProblem(upload("/imports", file, "table", "cyrillic"), 422, "unknown_encoding");
        assertFalse(exists("public.cyrillic"));
    }

    @Test
    void aFileWhoseOnlyRecordIsTooLongSaysSoNotThatItIsEmpty() throws IOException {
        byte[] file = utf8("\"" + "x".repeat(CsvReader.MAX_RECORD_CHARS + 10) + "\n");
        for (String path : List.of("/imports/preview", "/imports")) {
            HttpResponse<String> r = upload(path, file, "table", "too_long");
            assertProblem(r, 422, "record_too_long");
            JsonNode p = DataApi.parse(r);
            assertTrue(p.get("detail").asText().contains("line 1"), r.body());
            assertTrue(p.get("detail").asText().contains("16 Mi characters"), r.body());
            assertTrue(p.get("hint").asText().contains("quote character"), r.body());
        }
        assertFalse(exists("public.too_long"));
        assertEquals(List.of(), leftoverUploads());
    }

    @Test
    void aTooLongRecordAfterGoodOnesIsAWarningInThePreviewAndTheImportsErrorOnItsLine() {
        byte[] file = utf8("a,b\n1,2\n3,\"" + "x".repeat(CsvReader.MAX_RECORD_CHARS + 10) + "\n4,5\n");
        JsonNode p = DataApi.parse(upload("/imports/preview", file));
        assertEquals("record_too_long", p.at("/warnings/0/code").asText(), p.toString());
        assertTrue(p.at("/warnings/0/message").asText().contains("line 3"), p.toString());
        JsonNode job = load(file, "table", "too_long_later");
        assertEquals("failed", job.get("state").asText(), job.toString());
        assertEquals(List.of(3L), errorLines(job));
        String message = job.at("/errors/0/message").asText();
        assertTrue(message.contains("16 Mi characters") && message.contains("quote character") && message.contains("delimiter"), message);
        assertFalse(exists("public.too_long_later"));
    }

    @Test
    void anEmptyFileIsRefusedAtOnceAndNothingIsCreated() throws IOException {
        for (byte[] empty : List.of(new byte[0], utf8("\n\r\n\n"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})) {
            HttpResponse<String> r = upload("/imports", empty, "table", "empty_one");
            assertEquals(422, r.statusCode(), r.body());
            assertEquals("empty_file", DataApi.parse(r).get("code").asText());
            assertEquals(empty.length == 3, DataApi.parse(r).get("detail").asText().contains("only a byte order mark"), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        }
        assertFalse(exists("public.empty_one"));
        assertEquals(List.of(), leftoverUploads());
    }

    @Test
    void aFileWithOnlyAHeaderMakesAnEmptyTable() {
        JsonNode job = load(utf8("name,age\n"), "table", "header_only");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals(0, job.get("rowsDone").asLong());
        assertEquals("id bigint, name text, age text", columns("public.header_only"));
        assertEquals("0", api.scalar("SELECT count(*) FROM header_only"));
    }

    @Test
    void aOneMegabyteFieldIsStoredWhole() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; big.length() < 1024 * 1024; i++) big.append("chunk ").append(i).append(", \"quoted\"\n");
        big.setLength(1024 * 1024);
        String field = big.toString();
        JsonNode job = load(utf8("id,blob\n1,\"" + field.replace("\"", "\"\"") + "\"\n2,small\n"), "table", "big_field");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals("1048576", api.scalar("SELECT length(blob) FROM big_field WHERE id = 1"));
        assertEquals(md5(field), api.scalar("SELECT md5(blob) FROM big_field WHERE id = 1"));
        assertEquals("small", api.scalar("SELECT blob FROM big_field WHERE id = 2"));
    }

    @Test
    void aNulCharacterMakesItsRecordMalformed() {
        JsonNode job = load(utf8("a,b\n1,x\u0000y\n2,z\n"), "table", "nul_values", "onError", "skip");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals(List.of(2L), errorLines(job));
        assertEquals("b", job.at("/errors/0/column").asText());
        assertEquals("2:z", api.scalar("SELECT string_agg(a || ':' || b, ',') FROM nul_values"));
    }

    @Test
    void errorsAreListedUpToAThousandAndAllCounted() {
        StringBuilder csv = new StringBuilder("n\n");
        for (int i = 0; i < 1500; i++) csv.append(i).append("\nnot a number\n");
        JsonNode job = load(utf8(csv.toString()), "table", "many_errors", "columns", "[{\"name\":\"n\",\"type\":\"integer\"}]");
        assertEquals("failed", job.get("state").asText());
        assertEquals(1000, job.get("errors").size());
        assertEquals(1500, job.get("errorCount").asLong());
        assertEquals(500, job.get("moreErrors").asLong());
        assertEquals(3, job.at("/errors/0/line").asLong());
        assertFalse(exists("public.many_errors"));
    }

    // ---- existing tables ----

    @Test
    void anExistingTableTakesTheFileColumnsMatchedByHeaderAndItsSequenceMovesOn() {
        api.exec("CREATE TABLE items (id serial PRIMARY KEY, title text NOT NULL, price numeric(8,2), added date DEFAULT '2020-01-01')",
                "INSERT INTO items (title) VALUES ('Old')");
        JsonNode job = load(utf8("Price,TITLE,id\n\"1,234.50\",Lamp,10\n9.99,Chair,11\n"), "mode", "existing",
                "tableOid", Long.toString(api.oid("public.items")));
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals(api.oid("public.items"), job.get("tableOid").asLong());
        assertEquals("1:Old:2020-01-01,10:Lamp:1234.50:2020-01-01,11:Chair:9.99:2020-01-01",
                api.scalar("SELECT string_agg(concat_ws(':', id, title, price, added), ',' ORDER BY id) FROM items"));
        api.exec("INSERT INTO items (title) VALUES ('Next')");
        assertEquals("12", api.scalar("SELECT id FROM items WHERE title = 'Next'"), "the sequence moved past the loaded ids");
    }

    @Test
    void aHeaderlessFileFillsAnExistingTableByPositionLeavingTheKeyToTheDatabase() {
        api.exec("CREATE TABLE stock_by_position (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text, qty int)");
        JsonNode job = load(utf8("Lamp,3\nDesk,1\n"), "mode", "existing", "tableOid", Long.toString(api.oid("public.stock_by_position")));
        assertEquals("done", job.get("state").asText(), job.toString());
        assertFalse(job.at("/settings/header").asBoolean(), "no cell of the first record names a column");
        assertEquals("[{\"name\":\"name\",\"type\":\"text\"},{\"name\":\"qty\",\"type\":\"integer\"}]", job.get("columns").toString());
        assertEquals("1:Lamp:3,2:Desk:1", api.scalar("SELECT string_agg(concat_ws(':', id, name, qty), ',' ORDER BY id) FROM stock_by_position"));
    }

    @Test
    void intoAnExistingTableTheFirstRecordIsAHeaderWhenItNamesTheTablesColumns() {
        api.exec("CREATE TABLE people_text (name text, city text)");
        String oid = Long.toString(api.oid("public.people_text"));
        JsonNode named = load(utf8("City,NAME\nParis,Alice\n"), "mode", "existing", "tableOid", oid);
        JsonNode unnamed = load(utf8("Bob,Rome\nCarol,Oslo\n"), "mode", "existing", "tableOid", oid);
        assertEquals("done", named.get("state").asText(), named.toString());
        assertEquals("done", unnamed.get("state").asText(), unnamed.toString());
        assertTrue(named.at("/settings/header").asBoolean());
        assertFalse(unnamed.at("/settings/header").asBoolean());
        assertEquals("Alice Paris;Bob Rome;Carol Oslo", api.scalar("SELECT string_agg(name || ' ' || city, ';' ORDER BY name) FROM people_text"));
    }

    @Test
    void anExistingTableWhoseConstraintRefusesARowIsLeftUnchanged() {
        api.exec("CREATE TABLE stock (sku text PRIMARY KEY, qty int CHECK (qty >= 0))", "INSERT INTO stock VALUES ('A', 1)");
        JsonNode job = load(utf8("sku,qty\nB,2\n\"C\nc\",3\nD,-1\nE,4\n"), "mode", "existing", "tableOid", Long.toString(api.oid("public.stock")),
                "onError", "skip");
        assertEquals("failed", job.get("state").asText(), job.toString());
        assertEquals(List.of(5L), errorLines(job), "D is on line 5: the record before it spans lines 3 and 4");
        assertEquals("qty", job.at("/errors/0/column").asText());
        assertTrue(job.at("/errors/0/message").asText().contains("stock_qty_check"), job.toString());
        assertTrue(job.get("message").asText().startsWith("Line 5 was refused by the database: "), job.toString());
        assertEquals("A:1", api.scalar("SELECT string_agg(sku || ':' || qty, ',') FROM stock"));
    }

    @Test
    void aDuplicateKeyInAnExistingTableIsReportedOnItsLine() {
        api.exec("CREATE TABLE codes (code text PRIMARY KEY)", "INSERT INTO codes VALUES ('x')");
        JsonNode job = load(utf8("code\na\nb\nx\nc\n"), "mode", "existing", "tableOid", Long.toString(api.oid("public.codes")));
        assertEquals("failed", job.get("state").asText(), job.toString());
        assertEquals(List.of(4L), errorLines(job));
        assertEquals("code", job.at("/errors/0/column").asText());
        assertEquals("x", api.scalar("SELECT string_agg(code, ',') FROM codes"));
    }

    @Test
    void aRowRefusedFarIntoALargeFileIsReportedOnItsOwnLine() {
        api.exec("CREATE TABLE wide (n int CHECK (n <> 340000), pad text)");
        String pad = "p".repeat(200); // the refused row comes after the first COPY batch of 64 MiB
        StringBuilder csv = new StringBuilder("n,pad\n1,\"two\nlines\"\n");
        for (int n = 2; n <= 350_000; n++) {
            csv.append(n == 10 ? "10\n" : n + "," + pad + "\n");
        }
        JsonNode job = load(utf8(csv.toString()), "mode", "existing", "tableOid", Long.toString(api.oid("public.wide")), "onError", "skip");
        assertEquals("failed", job.get("state").asText(), job.toString());
        assertTrue(csv.length() > CopyStream.BATCH_BYTES);
        assertEquals(List.of(12L, 340_002L), errorLines(job), "record n lies on line n + 2: a header and a record of two lines come first");
        assertEquals("n", job.at("/errors/1/column").asText());
        assertEquals("0", api.scalar("SELECT count(*) FROM wide"));
    }

    // ---- names ----

    @Test
    void aTakenTableNameIs409AndNothingChanges() throws IOException {
        api.exec("CREATE TABLE taken (x int)", "INSERT INTO taken VALUES (1)");
        HttpResponse<String> r = upload("/imports", utf8("a\n1\n"), "schema", "public", "table", "taken");
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("name_taken", DataApi.parse(r).get("code").asText());
        assertEquals("x integer", columns("public.taken"));
        assertEquals("1", api.scalar("SELECT string_agg(x::text, ',') FROM taken"));
        assertEquals(List.of(), leftoverUploads());
    }

    @Test
    void oddHeaderNamesBecomeColumnNamesAsWrittenShortenedOnlyWhenTooLong() {
        String n63 = "x".repeat(63);
        String n70 = "y".repeat(70);
        String accents = "é".repeat(35);
        String header = "\"first name\",\"say \"\"hi\"\"\",Ünïcödé 列,select," + n63 + "," + n70 + "," + accents + ",,dup,dup";
        JsonNode job = load(utf8(header + "\n1,2,3,4,5,6,7,8,9,10\n"), "table", "odd names ü \"q\" " + "z".repeat(40));
        assertEquals("done", job.get("state").asText(), job.toString());
        String table = "public.\"odd names ü \"\"q\"\" " + "z".repeat(40) + "\"";
        assertEquals(job.get("tableOid").asLong(), api.oid(table));
        assertEquals(List.of("id", "first name", "say \"hi\"", "Ünïcödé 列", "select", n63, "y".repeat(63), "é".repeat(31), "column_8", "dup", "dup_2"),
                List.of(api.scalar("SELECT string_agg(attname, '\u0001' ORDER BY attnum) FROM pg_attribute WHERE attrelid = to_regclass(?)"
                        + " AND attnum > 0", table).split("\u0001")));
        assertEquals("10", api.scalar("SELECT dup_2 FROM " + table));
    }

    @Test
    void injectionAttemptsInTheTableNameHeaderAndValuesAreStoredLiterally() {
        api.exec("CREATE TABLE canary (x int)", "INSERT INTO canary VALUES (42)");
        String table = "t\"; DROP TABLE canary; --";
        String csv = "\"a\"\"); DROP TABLE canary; --\",b\n\"'); DROP TABLE canary; --\",\"\\.\"\n";
        JsonNode job = load(utf8(csv), "table", table);
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals("42", api.scalar("SELECT x FROM canary"));
        String quoted = "public.\"t\"\"; DROP TABLE canary; --\"";
        assertEquals("id bigint, a\"); DROP TABLE canary; -- text, b text", columns(quoted));
        assertEquals("'); DROP TABLE canary; --|\\.", api.scalar("SELECT concat_ws('|', \"a\"\"); DROP TABLE canary; --\", b) FROM " + quoted));
        assertEquals(table, job.get("table").asText());
    }

    // ---- progress and listing ----

    @Test
    void progressIsReportedInBytesAndRowsWhileRunningAndAtTheEnd() {
        StringBuilder csv = new StringBuilder("n,label,day\n");
        for (int i = 0; i < 400_000; i++) csv.append(i).append(",item ").append(i).append(",2024-01-").append(10 + i % 20).append('\n');
        byte[] file = utf8(csv.toString());
        HttpResponse<String> r = upload("/imports", file, "table", "progress");
        assertEquals(202, r.statusCode(), r.body());
        long id = DataApi.parse(r).get("id").asLong();
        assertEquals(api.path("/imports/" + id), r.headers().firstValue("Location").orElse(""));
        JsonNode first = DataApi.parse(api.get(api.path("/imports/" + id)));
        assertEquals("running", first.get("state").asText(), first.toString());
        assertTrue(List.of("queued", "loading", "finishing").contains(first.get("phase").asText()), first.toString());
        assertEquals(file.length, first.get("bytesTotal").asLong());
        assertTrue(first.get("rowsDone").asLong() >= 0 && first.get("bytesDone").asLong() >= 0);
        JsonNode done = waitFor(id);
        assertEquals("done", done.get("state").asText(), done.toString());
        assertEquals(400_000, done.get("rowsDone").asLong());
        assertEquals(file.length, done.get("bytesDone").asLong());
        assertEquals(file.length, done.get("bytesTotal").asLong());
        assertTrue(done.get("phase").isNull());
        assertEquals("400000", api.scalar("SELECT count(*) FROM progress"));
        assertEquals("400000", api.scalar("SELECT reltuples::bigint FROM pg_class WHERE oid = 'progress'::regclass"), "analyzed");
        assertEquals("true", api.scalar("SELECT bool_and(contype = 'p')::text FROM pg_constraint WHERE conrelid = 'progress'::regclass"));
    }

    @Test
    void theImportsOfADatabaseAreListedNewestFirst() {
        long a = DataApi.parse(upload("/imports", utf8("x\n1\n"), "table", "listed_a")).get("id").asLong();
        long b = DataApi.parse(upload("/imports", utf8("x\n1\n"), "table", "listed_b")).get("id").asLong();
        waitFor(a);
        waitFor(b);
        JsonNode list = DataApi.parse(api.get(api.path("/imports")));
        List<Long> ids = new ArrayList<>();
        list.forEach(j -> ids.add(j.get("id").asLong()));
        assertTrue(ids.indexOf(b) >= 0 && ids.indexOf(b) < ids.indexOf(a), ids.toString());
        assertEquals("listed_b", list.get(ids.indexOf(b)).get("table").asText());
        assertEquals("1", api.scalar("SELECT string_agg(x::text, ',') FROM listed_a"));
        assertEquals("1", api.scalar("SELECT string_agg(x::text, ',') FROM listed_b"));
    }

    // ---- bad requests ----

    @Test
    void badRequestsAreClearProblemsAndChangeNothing() throws IOException {
        long tables = Long.parseLong(api.scalar("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"));
        assertProblem(upload("/imports", null, "table", "nofile"), 400, "file_missing");
        assertProblem(upload("/imports", utf8("a\n1\n"), "schema", "nope", "table", "t1"), 404, "schema_not_found");
        assertProblem(upload("/imports", utf8("a\n1\n"), "schema", "rowan", "table", "t1"), 404, "schema_not_found");
        assertProblem(upload("/imports", utf8("a\n1\n"), "table", "n".repeat(64)), 422, "invalid_name");
        assertProblem(upload("/imports", utf8("a\n1\n"), "table", ""), 422, "invalid_name");
        assertProblem(upload("/imports", utf8("a\n1\n"), "table", "t1", "mode", "sideways"), 400, "invalid_parameter");
        assertProblem(upload("/imports", utf8("a\n1\n"), "table", "t1", "onError", "ignore"), 400, "invalid_parameter");
        assertProblem(upload("/imports", utf8("a\n1\n"), "table", "t1", "delimiter", "ab"), 422, "invalid_settings");
        assertProblem(upload("/imports", utf8("a\n1\n"), "table", "t1", "encoding", "ebcdic"), 422, "invalid_settings");
        assertProblem(upload("/imports", "a\né\n".getBytes(StandardCharsets.ISO_8859_1), "table", "t1", "encoding", "utf-8"), 422, "encoding_mismatch");
        assertProblem(upload("/imports", utf8("a,b\n1,2\n"), "table", "t1", "columns", "[{\"name\":\"a\",\"type\":\"text\"}]"), 422, "columns_mismatch");
        assertProblem(upload("/imports", utf8("a\n1\n"), "table", "t1", "columns", "[{\"name\":\"a\",\"type\":\"blob\"}]"), 400, "unknown_type");
        assertProblem(upload("/imports", utf8("a\n1\n"), "table", "t1", "columns", "not json"), 400, "invalid_parameter");
        assertProblem(upload("/imports", utf8("a,b\n1,2\n"), "table", "t1", "columns",
                "[{\"name\":\"a\",\"type\":\"text\"},{\"name\":\"a\",\"type\":\"text\"}]"), 422, "invalid_name");
        api.exec("CREATE TABLE target_table (a int)");
        String target = Long.toString(api.oid("public.target_table"));
        HttpResponse<String> unmatched = upload("/imports", utf8("a,zz\n1,2\n"), "mode", "existing", "tableOid", target);
        assertProblem(unmatched, 422, "columns_unmatched");
        assertEquals("[\"zz\"]", DataApi.parse(unmatched).get("columns").toString());
        assertProblem(upload("/imports", utf8("a\n1\n"), "mode", "existing", "tableOid", "abc"), 400, "invalid_parameter");
        assertProblem(upload("/imports", utf8("a\n1\n"), "mode", "existing", "tableOid", "999999999"), 404, "table_not_found");
        assertProblem(api.send(Multipart.of("table", "t1").file("x.csv", utf8("a\n1\n")).post(api.uri("/api/v1/databases/987654/imports")),
                HttpResponse.BodyHandlers.ofString()), 404, "database_not_found");
        assertProblem(api.send(java.net.http.HttpRequest.newBuilder(api.uri(api.path("/imports"))).header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("a\n1\n")), HttpResponse.BodyHandlers.ofString()), 415, "unsupported_media_type");
        assertProblem(api.send(java.net.http.HttpRequest.newBuilder(api.uri(api.path("/imports"))).header("Content-Type", "multipart/form-data; boundary=zz")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("--zz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc")),
                HttpResponse.BodyHandlers.ofString()), 400, "malformed_upload");
        assertProblem(api.get(api.path("/imports/123456")), 404, "import_not_found");
        assertProblem(api.get(api.path("/imports/abc")), 404, "import_not_found");
        assertProblem(api.rowan().get(api.path("/imports")), 401, "not_signed_in");
        assertEquals(tables + 1, Long.parseLong(api.scalar("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")),
                "only target_table was created");
        assertFalse(exists("public.t1"));
        assertEquals(List.of(), leftoverUploads());
    }

    static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode p = DataApi.parse(r);
        assertEquals(code, p.get("code").asText(), r.body());
        assertFalse(p.get("detail").asText().isBlank(), r.body());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(utf8(s)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
