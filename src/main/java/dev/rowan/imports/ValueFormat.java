package dev.rowan.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.ColumnType;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a column reads the text of a CSV field: the value in PostgreSQL's own input syntax, ready for
 * COPY, or null when the text is not a value of the column's type. The rules are those of the
 * {@code rowan.cast_to_*} functions (db/rowan-schema), so an import reads "$1,234.50", "yes" and
 * "March 5, 2024" exactly as a type change of a text column would; doing it here, in Java, lets the
 * load COPY straight into typed columns and name every bad value with its line instead of failing
 * the whole statement on the first one.
 */
abstract class ValueFormat {
    private static final ObjectMapper STRICT_JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern TYPE_LENGTH = Pattern.compile("(?:character varying|character|bit varying)\\((\\d+)\\)");
    private static final Pattern NUMERIC_PRECISION = Pattern.compile("numeric\\((\\d+)(?:,(-?\\d+))?\\)");

    /** What a readable value is, as the casts word it: '"x" is not <expected>'. */
    final String expected;

    ValueFormat(String expected) {
        this.expected = expected;
    }

    /** The value as PostgreSQL reads it, or null when this format cannot read {@code value} (never blank). */
    abstract String read(String value);

    /** Blank text (spaces only) is an empty cell, so NULL, for every type but text, where the spaces are kept. */
    boolean blankIsNull() {
        return true;
    }

    /** The sentence for a value this format cannot read, in the casts' words. */
    String problem(String value) {
        String shown = value.length() > 60 ? value.substring(0, 57) + "..." : value;
        return "\"" + shown + "\" is not " + expected;
    }

    /** The format of a type a person can choose for a new column. */
    static ValueFormat of(ColumnType type) {
        return switch (type) {
            case TEXT -> TEXT;
            case INTEGER -> INTEGER;
            case BIGINT -> BIGINT;
            case NUMERIC -> NUMERIC;
            case DOUBLE -> DOUBLE;
            case BOOLEAN -> BOOLEAN;
            case DATE -> DATE;
            case TIME -> TIME;
            case TIMESTAMP -> TIMESTAMP;
            case TIMESTAMPTZ -> TIMESTAMPTZ;
            case INTERVAL -> passThrough("an interval");
            case UUID -> UUID;
            case JSON -> JSON;
            case EMAIL -> EMAIL;
            case URI -> URI;
            case MONEY -> MONEY;
        };
    }

    /**
     * The format of an existing table's column, from how Rowan treats its type. Types Rowan has no
     * reader for (arrays, intervals, ranges, the user's own types) pass the text through unchanged:
     * PostgreSQL's input function judges them during COPY.
     */
    static ValueFormat of(Column column) {
        String type = column.type();
        return switch (column.kind()) {
            case TEXT -> {
                Matcher m = TYPE_LENGTH.matcher(type);
                yield m.matches() && !type.startsWith("bit") ? limitedText(Integer.parseInt(m.group(1))) : TEXT;
            }
            case INTEGER -> switch (type) {
                case "smallint" -> SMALLINT;
                case "integer" -> INTEGER;
                default -> BIGINT;
            };
            case NUMBER -> {
                if (type.equals("real") || type.equals("double precision")) yield type.equals("real") ? REAL : DOUBLE;
                Matcher m = NUMERIC_PRECISION.matcher(type);
                yield m.matches() ? numeric(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)), type) : NUMERIC;
            }
            case BOOLEAN -> BOOLEAN;
            case DATE -> DATE;
            case TIME -> type.endsWith("without time zone") ? TIME : passThrough("a time");
            case TIMESTAMP -> TIMESTAMP;
            case TIMESTAMPTZ -> TIMESTAMPTZ;
            case UUID -> UUID;
            case JSON -> JSON;
            case EMAIL -> EMAIL;
            case URI -> URI;
            case MONEY -> MONEY;
            case ENUM -> column.enumValues() == null ? passThrough("a value of " + type) : oneOf(column.enumValues());
            default -> passThrough("a value of type " + type);
        };
    }

    static final ValueFormat TEXT = new ValueFormat("text") {
        @Override
        String read(String value) {
            return value;
        }

        @Override
        boolean blankIsNull() {
            return false;
        }
    };

    static final ValueFormat SMALLINT = wholeNumber("a whole number from -32768 to 32767", Short.MIN_VALUE, Short.MAX_VALUE);
    static final ValueFormat INTEGER = wholeNumber("a whole number from -2147483648 to 2147483647", Integer.MIN_VALUE, Integer.MAX_VALUE);
    static final ValueFormat BIGINT = wholeNumber("a whole number that fits bigint", Long.MIN_VALUE, Long.MAX_VALUE);

    static final ValueFormat NUMERIC = reading("a number", Casts::parseNumber);

    static final ValueFormat DOUBLE = floating("a number", Double.MAX_VALUE);
    static final ValueFormat REAL = floating("a number that fits real", Float.MAX_VALUE);

    static final ValueFormat BOOLEAN = reading("a yes/no value", Casts::parseBoolean);

    static final ValueFormat DATE = reading("a date", Casts::parseDate);

    static final ValueFormat TIME = reading("a time of day", value -> Casts.parseTime(Casts.trim(value)));

    static final ValueFormat TIMESTAMP = reading("a date and time without time zone", value -> Casts.parseTimestamp(value, false));

    static final ValueFormat TIMESTAMPTZ = reading("a date and time", value -> Casts.parseTimestamp(value, true));

    static final ValueFormat UUID = reading("a UUID", value -> Casts.parseUuid(Casts.trim(value)));

    static final ValueFormat JSON = new ValueFormat("JSON") {
        @Override
        String read(String value) {
            // jsonb cannot hold the NUL character, which JSON text can escape
            if (value.contains("\\u0000")) return null;
            try {
                STRICT_JSON.readTree(value);
                return value;
            } catch (JsonProcessingException e) {
                return null;
            }
        }
    };

    static final ValueFormat EMAIL = reading("an email address", Casts::parseEmail);

    static final ValueFormat URI = reading("a URI", Casts::parseUri);

    static final ValueFormat MONEY = reading("an amount of money", Casts::parseMoney);

    /**
     * rowan.parse_whole_number (rowan.cast_to_integer, _bigint): plain digits read at once; any other
     * number rowan.parse_number reads ("1,234", "3.0", "1e3") when it has no fractional part.
     */
    private static ValueFormat wholeNumber(String expected, long min, long max) {
        BigDecimal smallest = BigDecimal.valueOf(min);
        BigDecimal largest = BigDecimal.valueOf(max);
        return new ValueFormat(expected) {
            @Override
            String read(String value) {
                String v = Casts.trim(value);
                if (v == null) return null;
                if (Casts.isWholeNumber(v)) {
                    try {
                        long n = Long.parseLong(v);
                        if (n < min || n > max) return null;
                        boolean canonical = v.charAt(0) != '+' && (v.length() == 1 || v.charAt(v.charAt(0) == '-' ? 1 : 0) != '0');
                        return canonical ? v : Long.toString(n);
                    } catch (NumberFormatException tooLong) {
                        return null;
                    }
                }
                String n = Casts.parseNumber(v);
                if (n == null) return null;
                BigDecimal d = new BigDecimal(n);
                if (d.compareTo(smallest) < 0 || d.compareTo(largest) > 0) return null;
                try {
                    return Long.toString(d.longValueExact());
                } catch (ArithmeticException fraction) {
                    return null;
                }
            }
        };
    }

    private static ValueFormat floating(String expected, double max) {
        return new ValueFormat(expected) {
            @Override
            String read(String value) {
                String v = Casts.trim(value);
                if (v == null) return null;
                String special = switch (v.toLowerCase(java.util.Locale.ROOT)) {
                    case "nan" -> "NaN";
                    case "infinity", "inf", "+infinity", "+inf" -> "Infinity";
                    case "-infinity", "-inf" -> "-Infinity";
                    default -> null;
                };
                if (special != null) return special;
                String n = Casts.parseNumber(v);
                if (n == null) return null;
                double d = Double.parseDouble(n);
                return Double.isFinite(d) && Math.abs(d) <= max ? n : null;
            }
        };
    }

    private static ValueFormat numeric(int precision, int scale, String type) {
        return new ValueFormat("a number that fits " + type) {
            @Override
            String read(String value) {
                String n = Casts.parseNumber(value);
                if (n == null) return null;
                BigDecimal d = new BigDecimal(n).setScale(scale, java.math.RoundingMode.HALF_UP);
                return d.precision() - d.scale() <= precision - scale || d.signum() == 0 ? n : null;
            }
        };
    }

    private static ValueFormat limitedText(int length) {
        return new ValueFormat("text of at most " + length + " characters") {
            @Override
            String read(String value) {
                int count = value.codePointCount(0, value.length());
                if (count <= length) return value;
                // PostgreSQL cuts trailing spaces beyond the length without complaint; anything else is too long
                String beyond = value.substring(value.offsetByCodePoints(0, length));
                return beyond.chars().allMatch(c -> c == ' ') ? value : null;
            }

            @Override
            boolean blankIsNull() {
                return false;
            }
        };
    }

    private static ValueFormat oneOf(List<String> labels) {
        String shown = labels.size() <= 10 ? String.join(", ", labels) : String.join(", ", labels.subList(0, 10)) + ", …";
        return reading("one of: " + shown, value -> labels.contains(value) ? value : null);
    }

    private static ValueFormat passThrough(String expected) {
        return reading(expected, value -> value);
    }

    /** A format whose reading is one function: the value in PostgreSQL's syntax, or null. */
    private static ValueFormat reading(String expected, UnaryOperator<String> reader) {
        return new ValueFormat(expected) {
            @Override
            String read(String value) {
                return reader.apply(value);
            }
        };
    }
}
