package dev.rowan.imports;

import dev.rowan.Problem;
import dev.rowan.catalog.ColumnType;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Works out how to read a file from its beginning: encoding (from all of its bytes, see
 * {@link FileFacts}), quote character, delimiter, whether the first record is a header, the number
 * of columns, their names and their likely types. What a person chose instead is taken as given.
 */
final class Sniffer {
    /** Records the types are guessed from. */
    static final int SAMPLE_ROWS = 10_000;
    /** ... unless they are this many bytes first (a file of huge fields). */
    static final long SAMPLE_BYTES = 32L * 1024 * 1024;
    /** Characters the delimiter and quote are judged on. */
    private static final int HEAD_CHARS = 256 * 1024;
    private static final int HEAD_RECORDS = 200;
    private static final char[] DELIMITERS = {',', ';', '\t', '|'};
    private static final Pattern SINGLE_QUOTED_FIELD = Pattern.compile("(?m)(^|[,;\\t|])'[^'\\r\\n]*'([,;\\t|]|$)");

    record Row(long line, String[] fields, String problem) {
    }

    record Warning(String code, String message) {
    }

    /**
     * What was found: the settings, the header's text (null without one), the data records read for
     * the sample (header excluded), the column names (with why they differ from the header) and types.
     */
    record Detection(CsvSettings settings, List<String> header, List<Row> rows, int columnCount, List<ColumnNames.Name> names,
                     TypeInference inference, List<Warning> warnings, boolean wholeFileSampled) {
    }

    private Sniffer() {
    }

    static Detection detect(UploadedFile file, CsvSettings.Choice choice) {
        return detect(file, choice, null);
    }

    /**
     * For a file going into an existing table, whose column names are {@code tableColumns}: there
     * the first record is a header when one of its cells names a column of the table (ignoring
     * case), which says more than any guess; its other cells must then name columns too.
     */
    static Detection detect(UploadedFile file, CsvSettings.Choice choice, List<String> tableColumns) {
        try {
            Encoding encoding = encoding(file, choice.encoding());
            String head = head(file, encoding);
            boolean headIsAll = head.length() < HEAD_CHARS;
            char quote = choice.quote() != null ? choice.quote() : quote(head);
            char delimiter = choice.delimiter() != null ? choice.delimiter() : delimiter(head, quote, headIsAll);
            List<Warning> warnings = new ArrayList<>();
            if (choice.encoding() == null && encoding.isWide() && !file.facts().wideBom()) {
                warnings.add(new Warning("encoding_guessed", "The file has no byte order mark; from where its NUL bytes fall it is read as "
                        + encoding.label + "."));
            } else if (choice.encoding() == null && !encoding.isStrict()) {
                warnings.add(new Warning("encoding_guessed", "The file is not UTF-8 (at byte offset " + file.facts().firstInvalidByte()
                        + "); it is read as " + encoding.label + "."));
            }
            List<Row> records = new ArrayList<>();
            boolean all = sample(file, encoding, delimiter, quote, records, warnings);
            if (records.isEmpty()) {
                int bom = file.facts().bomLength();
                String what = file.size() == 0 ? "." : bom == 0 ? " (only blank lines)."
                        : file.size() == bom ? " (only a byte order mark)." : " (only a byte order mark and blank lines).";
                throw new Problem(422, "empty_file", "The file is empty", "The file holds no records" + what,
                        "Choose a file with a header line, data, or both.");
            }
            // Guessing the header needs the types of the records below the first; with a header those are the columns' types.
            TypeInference below = choice.header() == Boolean.FALSE ? null : infer(records.subList(1, records.size()), records.get(0).fields().length);
            boolean header = choice.header() != null ? choice.header()
                    : tableColumns != null ? namesColumns(records.get(0), tableColumns) : header(records, below);
            int columns = header ? records.get(0).fields().length : modalCount(records);
            List<String> headerText = header ? List.of(records.get(0).fields()) : null;
            List<Row> rows = header ? records.subList(1, records.size()) : records;
            List<ColumnNames.Name> names = header ? ColumnNames.of(headerText) : ColumnNames.numbered(columns);
            for (ColumnNames.Name n : names) {
                if (n.change() != null) warnings.add(new Warning("column_renamed", n.change()));
            }
            TypeInference inference = header ? below : infer(rows, columns);
            List<Long> ragged = new ArrayList<>();
            List<Long> malformed = new ArrayList<>();
            for (Row r : rows) {
                if (r.problem() != null) {
                    malformed.add(r.line());
                } else if (r.fields().length != columns) {
                    ragged.add(r.line());
                }
            }
            if (!ragged.isEmpty()) {
                warnings.add(new Warning("ragged_rows", ragged.size() + " of the " + rows.size() + " records read do not have "
                        + columns + " fields (" + lines(ragged) + "); an import reports them as malformed."));
            }
            if (!malformed.isEmpty()) {
                warnings.add(new Warning("malformed_rows", malformed.size() + " of the " + rows.size() + " records read are not well formed ("
                        + lines(malformed) + "), e.g. a quote that is never closed; an import reports them as malformed."));
            }
            if (!all) {
                warnings.add(new Warning("types_from_sample", "Types are guessed from the first " + rows.size()
                        + " records; a later value that does not fit its column's type is reported as malformed."));
            }
            return new Detection(new CsvSettings(delimiter, quote, header, encoding), headerText, rows, columns, names, inference,
                    warnings, all);
        } catch (IOException e) {
            throw new Problem(500, "upload_unreadable", "The stored upload cannot be read", "Reading it failed: " + e.getMessage(),
                    "See Rowan's log.");
        }
    }

    /**
     * The encoding to read the file in: the one chosen, when the file can be read in it, else the
     * detected one. A Unicode encoding is only used for a file that is valid in it, and neither the
     * detected Latin-1 of a file that is not text nor a chosen single-byte one for UTF-16 or UTF-32 is
     * used at all: each would read garbage.
     */
    private static Encoding encoding(UploadedFile file, Encoding chosen) throws IOException {
        FileFacts facts = file.facts();
        if (chosen == null) {
            Encoding detected = Encoding.detect(facts);
            if (detected.isWide() && facts.wideInvalidByte() >= 0) {
                throw encodingMismatch(detected, facts.wideInvalidByte(), "The file looks like " + detected.label + " ("
                        + toldBy(facts) + "), but",
                        "Save the file again as UTF-8 or UTF-16, or choose the encoding it was saved in.");
            }
            if (facts.looksBinary()) throw notText(facts);
            if (!detected.isStrict() && facts.highByteRuns()) throw unknownEncoding(facts);
            return detected;
        }
        if (facts.wide() != null && facts.wideInvalidByte() < 0 && !chosen.isWide()) {
            throw new Problem(422, "encoding_mismatch", "The file is not " + chosen.label, "The file is " + facts.wide().label + " ("
                    + toldBy(facts) + "); read as "
                    + chosen.label + ", each of its characters would be followed or preceded by NUL characters.",
                    "Leave the encoding to be detected, or choose " + facts.wide().id + ".");
        }
        long invalid = chosen.isUtf8() ? facts.firstInvalidByte()
                : chosen == facts.wide() ? facts.wideInvalidByte()
                : chosen.isWide() ? FileFacts.firstInvalid(file.path(), chosen, facts.startOnly()) : -1;
        if (invalid >= 0) {
            throw encodingMismatch(chosen, invalid, "", "Choose the encoding the file was saved in (for a file that is not Unicode,"
                    + " latin-1 or windows-1252), or leave it to be detected.");
        }
        return chosen;
    }

    /** How the file's UTF-16 or UTF-32 was told. */
    private static String toldBy(FileFacts facts) {
        return facts.wideBom() ? "it starts with its byte order mark" : "from where its NUL bytes fall";
    }

    /** {@code lead}: what is known before the offset, ending so that " at byte offset N the file holds..." follows. */
    private static Problem encodingMismatch(Encoding encoding, long offset, String lead, String hint) {
        String where = (lead.isEmpty() ? "At" : lead + " at") + " byte offset " + offset;
        return new Problem(422, "encoding_mismatch", "The file is not " + encoding.label,
                where + " the file holds bytes that are not a " + encoding.label + " character.", hint);
    }

    private static Problem notText(FileFacts facts) {
        return new Problem(422, "not_text", "The file is not text", facts.headControls() + " of the first " + Sizes.bytes(facts.headBytes())
                + " of the file are control characters (such as NUL) that text does not hold: it is not UTF-8, UTF-16, UTF-32,"
                + " Latin-1 or Windows-1252 text.", "If it is a spreadsheet (.xlsx, .xls, .ods), save it from the spreadsheet program as CSV;"
                + " if it is compressed (.zip, .gz), extract the CSV file from it first.");
    }

    private static Problem unknownEncoding(FileFacts facts) {
        return new Problem(422, "unknown_encoding", "The file's encoding is not one Rowan reads", "The file is not UTF-8 (at byte offset "
                + facts.firstInvalidByte() + "), and it does not read as Latin-1 or Windows-1252 either: most of its bytes over 0x7F come in"
                + " runs, as the letters of another script (Cyrillic, Greek, Chinese, Japanese, Korean...) do in that script's own encoding"
                + " (Windows-1251, Shift-JIS, GBK, EUC-KR...).", "Save the file as UTF-8 (in a spreadsheet program: \"CSV UTF-8\"), then import"
                + " it again; if it really is Latin-1 or Windows-1252, choose that encoding.");
    }

    private static String head(UploadedFile file, Encoding encoding) throws IOException {
        try (Reader r = FileText.open(file, encoding).reader()) {
            char[] chars = new char[HEAD_CHARS];
            int n = 0;
            int read;
            while (n < chars.length && (read = r.read(chars, n, chars.length - n)) > 0) n += read;
            return new String(chars, 0, n);
        }
    }

    /** {@code "} unless fields are clearly wrapped in single quotes and no double quote appears. */
    private static char quote(String head) {
        if (head.indexOf('"') < 0 && SINGLE_QUOTED_FIELD.matcher(head).find()) return '\'';
        return '"';
    }

    /**
     * The candidate that splits the first records into the same number (two or more) of fields most
     * consistently; on a tie, the one giving more fields, then the more common character.
     */
    private static char delimiter(String head, char quote, boolean headIsAll) {
        char best = ',';
        double bestShare = 0;
        int bestFields = 1;
        for (char d : DELIMITERS) {
            List<Integer> counts = new ArrayList<>();
            try (CsvReader r = new CsvReader(new StringReader(head), d, quote)) {
                while (counts.size() < HEAD_RECORDS && r.next()) counts.add(r.size());
            } catch (IOException e) {
                continue;
            }
            if (!headIsAll && counts.size() > 1 && counts.size() < HEAD_RECORDS) {
                counts.remove(counts.size() - 1); // cut off by the end of the head
            }
            if (counts.isEmpty()) continue;
            Map<Integer, Integer> frequency = new HashMap<>();
            for (int c : counts) frequency.merge(c, 1, Integer::sum);
            int mode = 1;
            int modeCount = 0;
            for (Map.Entry<Integer, Integer> e : frequency.entrySet()) {
                if (e.getValue() > modeCount || e.getValue() == modeCount && e.getKey() > mode) {
                    mode = e.getKey();
                    modeCount = e.getValue();
                }
            }
            if (mode < 2) continue;
            double share = (double) modeCount / counts.size();
            if (share > bestShare || share == bestShare && mode > bestFields) {
                best = d;
                bestShare = share;
                bestFields = mode;
            }
        }
        return best;
    }

    /** Reads up to {@link #SAMPLE_ROWS} data records (plus a possible header); true when that was the whole file. */
    private static boolean sample(UploadedFile file, Encoding encoding, char delimiter, char quote, List<Row> into, List<Warning> warnings)
            throws IOException {
        FileText.Opened opened = FileText.open(file, encoding);
        try (CsvReader r = new CsvReader(opened.reader(), delimiter, quote)) {
            while (true) {
                if (into.size() > SAMPLE_ROWS || opened.counter().bytesRead() > SAMPLE_BYTES) return false;
                boolean more;
                try {
                    more = r.next();
                } catch (CsvReader.RecordTooLong e) {
                    if (into.isEmpty()) throw e.problem();
                    warnings.add(new Warning("record_too_long", e.getMessage()));
                    return false;
                }
                if (!more) {
                    if (!file.truncated() || into.isEmpty()) return !file.truncated();
                    Row cut = into.remove(into.size() - 1); // cut where the stored part of the upload ends
                    if (into.isEmpty()) {
                        // Not an empty file: its first record does not end within what was stored.
                        throw new CsvReader.RecordTooLong(cut.line(), "The record starting on line " + cut.line() + " does not end within the first "
                                + Sizes.bytes(file.size()) + " of the file, which is what a preview reads.", delimiter, quote).problem();
                    }
                    return false;
                }
                into.add(new Row(r.line(), r.toArray(), r.problem()));
            }
        }
    }

    /**
     * Whether the first record names the columns. It must have as many fields as the records below
     * and something in it; then it is a header when, over a column whose values below are all of
     * one type (numbers, dates...), it holds a cell that is not of that type ("age" over numbers)
     * and it never holds one that is. When that tells nothing (all text below, or the typed columns'
     * cells are blank), it is a header if its filled cells are distinct and none of them recurs
     * below it. A lone record is a header when nothing in it reads as a number, date or other typed value.
     */
    private static boolean header(List<Row> records, TypeInference inference) {
        String[] first = records.get(0).fields();
        if (records.get(0).problem() != null || Arrays.stream(first).allMatch(Casts::isBlank)) return false;
        List<Row> below = records.subList(1, records.size());
        if (below.isEmpty()) {
            TypeInference alone = infer(records, first.length);
            for (int i = 0; i < first.length; i++) {
                if (alone.type(i) != ColumnType.TEXT) return false;
            }
            return true;
        }
        if (first.length != modalCount(below)) return false;
        boolean evidence = false;
        for (int i = 0; i < first.length; i++) {
            ColumnType t = inference.type(i);
            if (t == ColumnType.TEXT || Casts.isBlank(first[i])) continue;
            if (TypeInference.fits(t, first[i])) return false;
            evidence = true;
        }
        if (evidence) return true;
        List<Set<String>> values = new ArrayList<>();
        for (int i = 0; i < first.length; i++) values.add(new HashSet<>());
        for (Row r : below) {
            if (r.problem() != null || r.fields().length != first.length) continue;
            for (int i = 0; i < first.length; i++) values.get(i).add(r.fields()[i]);
        }
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < first.length; i++) {
            if (Casts.isBlank(first[i])) continue;
            if (!distinct.add(first[i].strip()) || values.get(i).contains(first[i])) return false;
        }
        return true;
    }

    private static boolean namesColumns(Row first, List<String> tableColumns) {
        Set<String> names = new HashSet<>();
        for (String c : tableColumns) names.add(c.toLowerCase(java.util.Locale.ROOT));
        for (String cell : first.fields()) {
            if (names.contains(cell.strip().toLowerCase(java.util.Locale.ROOT))) return first.problem() == null;
        }
        return false;
    }

    /** The types of {@code columns} columns over the well-formed records that have that many fields. */
    private static TypeInference infer(List<Row> rows, int columns) {
        TypeInference inference = new TypeInference(columns);
        for (Row r : rows) {
            if (r.problem() == null && r.fields().length == columns) inference.add(r.fields());
        }
        return inference;
    }

    private static int modalCount(List<Row> rows) {
        Map<Integer, Integer> frequency = new HashMap<>();
        int mode = 0;
        int modeCount = 0;
        for (Row r : rows) {
            if (r.problem() != null) continue;
            int n = frequency.merge(r.fields().length, 1, Integer::sum);
            if (n > modeCount) {
                mode = r.fields().length;
                modeCount = n;
            }
        }
        return mode == 0 ? rows.get(0).fields().length : mode;
    }

    private static String lines(List<Long> lines) {
        StringBuilder out = new StringBuilder(lines.size() == 1 ? "line " : "lines ");
        for (int i = 0; i < Math.min(5, lines.size()); i++) {
            if (i > 0) out.append(", ");
            out.append(lines.get(i));
        }
        if (lines.size() > 5) out.append(", …");
        return out.toString();
    }
}
