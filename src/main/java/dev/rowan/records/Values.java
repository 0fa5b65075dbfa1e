package dev.rowan.records;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.Problem;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.ColumnKind;
import dev.rowan.catalog.ColumnType;
import dev.rowan.postgres.Identifiers;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a value from a request becomes a value of a column's type in SQL: always a bound text parameter,
 * read by PostgreSQL. What a person typed goes through Rowan's casts where the column's kind has one
 * ("$1,234.50", "yes", "March 5, 2024", "Name &lt;a@example.org&gt;"), otherwise through the type's own
 * input function. Text that PostgreSQL itself produced (keys, cursors) is read back exactly.
 */
final class Values {
    /**
     * NaN and the infinities: values of floating-point and numeric columns that pages show (as the
     * strings "NaN", "Infinity"), which Rowan's number cast, made for amounts people type, refuses.
     */
    private static final Pattern SPECIAL_NUMBER = Pattern.compile("(?i)\\s*[+-]?(nan|inf|infinity)\\s*");

    /** Why a text holding U+0000 is refused: PostgreSQL's text types end at it, so it can never be stored or matched. */
    static final String NO_NUL = "text cannot contain the NUL character (U+0000)";

    private Values() {
    }

    static boolean hasNul(String text) {
        return text.indexOf('\u0000') >= 0;
    }

    /**
     * The text of a JSON string, number or boolean sent for the column (null for a list or object).
     * A number for a column of numbers is written out without an exponent, which Rowan's casts (money,
     * whole numbers) do not read: {@code 1E+2} is the number 100 there, exactly.
     */
    static String text(Column c, JsonNode node) {
        boolean numbers = c.kind() == ColumnKind.MONEY || c.kind() == ColumnKind.NUMBER || c.kind() == ColumnKind.INTEGER;
        return numbers && node != null && node.isBigDecimal() ? JsonText.plainNumber(node.decimalValue()) : JsonText.scalar(node);
    }

    /** What a person typed, as a value of the column's type. */
    static SqlFragment typed(Column c, TableInfo.Details d, String text) {
        ColumnType friendly = switch (c.kind()) {
            case EMAIL -> ColumnType.EMAIL;
            case URI -> ColumnType.URI;
            case MONEY -> ColumnType.MONEY;
            case NUMBER -> ColumnType.NUMERIC;
            // whole numbers typed as people write them ("1,234"); bigint's reader for anything but
            // smallint and integer, so a large value is never refused by the narrower reader
            case INTEGER -> c.type().equals("integer") || c.type().equals("smallint") ? ColumnType.INTEGER : ColumnType.BIGINT;
            case BOOLEAN -> ColumnType.BOOLEAN;
            case DATE -> ColumnType.DATE;
            default -> null;
        };
        if (friendly == null || (c.kind() == ColumnKind.NUMBER && SPECIAL_NUMBER.matcher(text).matches())) {
            return exact(d.castType(), text);
        }
        return SqlFragment.bound(friendly.fromText("?"), text);
    }

    /** PostgreSQL's own text form of a value of the column's type, read back as that value. */
    static SqlFragment exact(TableInfo.Details d, String text) {
        return exact(d.castType(), text);
    }

    /** An array's element typed by a person, for "has". */
    static SqlFragment element(TableInfo.Details d, String text) {
        return exact(d.elementType(), text);
    }

    private static SqlFragment exact(String castType, String text) {
        return SqlFragment.param(text).wrap("CAST(", " AS " + castType + ")");
    }

    /**
     * A value of a JSON body for a column. JSON null is SQL NULL. A json column stores the JSON value
     * itself (reads give it back the same way). An array column takes PostgreSQL's text form
     * ({@code {a,b}}) or a one-dimensional JSON array. Everything else takes a string, number or
     * true/false, read like typed text.
     */
    static SqlFragment write(Column c, TableInfo.Details d, JsonNode node) {
        if (node == null || node.isNull()) {
            return SqlFragment.sql("NULL");
        }
        switch (c.kind()) {
            case JSON:
                return exact(d.castType(), node.toString());
            case ARRAY:
                if (node.isArray()) {
                    return SqlFragment.param(node.toString()).wrap(
                            "CAST(ARRAY(SELECT x.e FROM pg_catalog.jsonb_array_elements_text(CAST(",
                            " AS pg_catalog.jsonb)) WITH ORDINALITY AS x(e, i) ORDER BY x.i) AS " + d.castType() + ")");
                }
                break;
            default:
                break;
        }
        String text = text(c, node);
        if (text == null) {
            throw new Problem(422, "invalid_value", "The value cannot be stored",
                    "\"" + c.name() + "\" takes a string, number or true/false, not " + (node.isArray() ? "a list" : "an object") + ".",
                    c.kind() == ColumnKind.ARRAY ? "An array column takes a JSON list or PostgreSQL's text form, such as {a,b}."
                            : "Only json columns store objects and lists.",
                    Map.of(), Map.of("column", c.name()));
        }
        if (hasNul(text)) {
            throw new Problem(422, "invalid_value", "The value cannot be stored", "\"" + c.name() + "\" cannot hold this value: " + NO_NUL + ".",
                    "Remove the NUL character from the text.", Map.of(), Map.of("column", c.name()));
        }
        return typed(c, d, text);
    }

    /** {@code "column"}, for lists of target columns. */
    static String name(Column c) {
        return Identifiers.quote(c.name());
    }
}
