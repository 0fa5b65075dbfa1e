package dev.rowan.imports;

import dev.rowan.Problem;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a file is read: its delimiter, its quote character (0: none), whether the first record names
 * the columns, and its encoding. Detected by {@link Sniffer}; each can be chosen instead.
 */
record CsvSettings(char delimiter, char quote, boolean header, Encoding encoding) {

    /** As the API shows them: {delimiter: ",", quote: "\"" (or ""), header, encoding: "utf-8"}. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delimiter", String.valueOf(delimiter));
        m.put("quote", quote == 0 ? "" : String.valueOf(quote));
        m.put("header", header);
        m.put("encoding", encoding.id);
        return m;
    }

    /** The settings a person chose; null members are detected. */
    record Choice(Character delimiter, Character quote, Boolean header, Encoding encoding) {
        static final Choice NONE = new Choice(null, null, null, null);

        /** From the form fields {@code delimiter}, {@code quote}, {@code header}, {@code encoding} (each optional). */
        static Choice of(String delimiter, String quote, String header, String encoding) {
            Character d = delimiter == null ? null : delimiter(delimiter);
            Character q = quote == null ? null : quote(quote);
            if (d != null && q != null && d.equals(q)) {
                throw invalid("The delimiter and the quote character are both " + display(d) + ".", "Choose two different characters.");
            }
            return new Choice(d, q, header == null ? null : bool("header", header), encoding == null ? null : Encoding.byId(encoding));
        }

        private static char delimiter(String raw) {
            String v = raw.toLowerCase(Locale.ROOT);
            switch (v) {
                case "comma": return ',';
                case "semicolon": return ';';
                case "tab", "\\t": return '\t';
                case "pipe": return '|';
                default:
                    if (raw.length() == 1 && raw.charAt(0) != '\n' && raw.charAt(0) != '\r' && raw.charAt(0) != '"' && raw.charAt(0) != 0) {
                        return raw.charAt(0);
                    }
                    throw invalid("\"" + raw + "\" cannot be the delimiter.",
                            "Use one character such as , ; | or a tab (\"\\t\" or \"tab\"); not a quote or a line break.");
            }
        }

        private static char quote(String raw) {
            if (raw.equals("none")) return 0;
            if (raw.length() == 1 && (raw.charAt(0) == '"' || raw.charAt(0) == '\'')) return raw.charAt(0);
            throw invalid("\"" + raw + "\" cannot be the quote character.", "Use \" or ' , or \"none\" when fields are never quoted.");
        }

        static boolean bool(String name, String raw) {
            return switch (raw.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1", "on" -> true;
                case "false", "no", "0", "off" -> false;
                default -> throw new Problem(400, "invalid_parameter", "Invalid parameter \"" + name + "\"",
                        "\"" + name + "\" must be true or false, not \"" + raw + "\".", null);
            };
        }
    }

    static String display(char c) {
        return c == '\t' ? "a tab" : "\"" + c + "\"";
    }

    static Problem invalid(String detail, String hint) {
        return new Problem(422, "invalid_settings", "These settings cannot read the file", detail, hint);
    }
}
