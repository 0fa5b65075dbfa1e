package dev.rowan.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading delimited text record by record: quoting, line ends, line numbers, and records that cannot be read as written. */
class CsvReaderTest {
    /** Each record as "line: field|field|..." plus " !problem" when it has one. */
    private static List<String> read(String text, char delimiter, char quote) throws IOException {
        List<String> out = new ArrayList<>();
        try (CsvReader r = new CsvReader(new StringReader(text), delimiter, quote)) {
            while (r.next()) {
                out.add(r.line() + ": " + String.join("|", r.toArray()) + (r.problem() == null ? "" : " !" + r.problem()));
            }
        }
        return out;
    }

    private static List<String> read(String text) throws IOException {
        return read(text, ',', '"');
    }

    @Test
    void plainRecordsSplitAtTheDelimiterAndEndAtAnyLineEnd() throws IOException {
        assertEquals(List.of("1: a|b|c", "2: 1|2|3", "3: x|y|z", "4: p|q|r"), read("a,b,c\n1,2,3\r\nx,y,z\rp,q,r"));
    }

    @Test
    void emptyFieldsAreEmptyStringsAndTheLastLineNeedsNoLineEnd() throws IOException {
        assertEquals(List.of("1: ||", "2: a||"), read(",,\na,,"));
    }

    @Test
    void quotedFieldsHoldDelimitersLineBreaksAndDoubledQuotes() throws IOException {
        List<String> records = read("id,text\n1,\"a, b\"\n2,\"line one\nline two\"\n3,\"say \"\"hi\"\"\"\n4,\"\"\n");
        assertEquals(List.of("1: id|text", "2: 1|a, b", "3: 2|line one\nline two", "5: 3|say \"hi\"", "6: 4|"), records);
    }

    @Test
    void lineNumbersCountTheLinesInsideQuotedFieldsAndBlankLines() throws IOException {
        assertEquals(List.of("1: a", "2: x\r\ny\rz", "6: b"), read("a\n\"x\r\ny\rz\"\n\nb\n"));
    }

    @Test
    void blankLinesAreSkipped() throws IOException {
        assertEquals(List.of("2: a|b", "5: c|d"), read("\na,b\n\n\r\nc,d\n\n"));
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsText() throws IOException {
        assertEquals(List.of("1: 5\" screen|O'Brien"), read("5\" screen,O'Brien"));
    }

    @Test
    void aQuoteThatIsNeverClosedMakesTheRestOneMalformedRecord() throws IOException {
        assertEquals(List.of("1: a|b", "2: 1|oops\n3,4\n !the quote opened on line 2 is never closed"), read("a,b\n1,\"oops\n3,4\n"));
    }

    @Test
    void textAfterAClosingQuoteIsMalformedButTheNextRecordsAreRead() throws IOException {
        assertEquals(List.of("1: x|ab c|y !there is text after the closing quote of field 2", "2: 1|2|3"),
                read("x,\"ab\" c,y\n1,2,3\n"));
    }

    @Test
    void otherDelimitersAndQuotes() throws IOException {
        assertEquals(List.of("1: a|b;c", "2: 1|2"), read("a\t'b;c'\n1\t2\n", '\t', '\''));
        assertEquals(List.of("1: \"a\"|b"), read("\"a\";b", ';', (char) 0));
    }

    @Test
    void fieldsLongerThanTheBufferAreWhole() throws IOException {
        String big = "x".repeat(200_000);
        String quoted = "q\"".repeat(70_000);
        List<String> records = read(big + ",\"" + quoted.replace("\"", "\"\"") + "\"\nend\n");
        assertEquals(2, records.size());
        assertEquals("1: " + big + "|" + quoted, records.get(0));
        assertEquals("2: end", records.get(1));
    }

    @Test
    void aRecordOverTheLimitStopsTheReadingAndNamesItsLine() throws IOException {
        try (CsvReader r = new CsvReader(new StringReader("ok\n\"never closed\n" + "y".repeat(5000)), ',', '"', 1000)) {
            r.next();
            assertNull(r.problem());
            CsvReader.RecordTooLong e = assertThrows(CsvReader.RecordTooLong.class, r::next);
            assertEquals(2, e.line);
            assertEquals("record_too_long", e.problem().code());
            assertTrue(e.problem().getMessage().startsWith("The record starting on line 2 is longer than "), e.problem().getMessage());
        }
    }

    @Test
    void aRecordOverTheLimitSaysWhatToCheck() throws IOException {
        try (CsvReader r = new CsvReader(new StringReader("a;\"b\n" + "y".repeat(5000)), ';', '"', 1000)) {
            CsvReader.RecordTooLong e = assertThrows(CsvReader.RecordTooLong.class, r::next);
            assertEquals("A quote that is never closed usually causes this, swallowing the rest of the file: check the quote character (now the double quote)"
                    + " and the delimiter (now \";\"); choose quote \"none\" if quotes in this file are only text.", e.problem().hint());
            assertTrue(e.getMessage().startsWith("The record starting on line 1 is longer than") && e.getMessage().endsWith(e.problem().hint()));
        }
        try (CsvReader r = new CsvReader(new StringReader("y".repeat(5000)), '\t', (char) 0, 1000)) {
            CsvReader.RecordTooLong e = assertThrows(CsvReader.RecordTooLong.class, r::next);
            assertEquals("Records end at line breaks; unless the file really holds such a long value, check the quote character (now none)"
                    + " and the delimiter (now a tab).", e.problem().hint());
        }
    }

    @Test
    void anEmptyInputHasNoRecords() throws IOException {
        try (CsvReader r = new CsvReader(new StringReader("\n\r\n"), ',', '"')) {
            assertFalse(r.next());
        }
        assertEquals(List.of(), read(""));
        assertEquals(Arrays.asList("1: a"), read("a"));
    }
}
