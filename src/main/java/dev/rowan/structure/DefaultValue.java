package dev.rowan.structure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.Problem;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a column's default becomes: a constant a person typed ({@code "default": "draft"}), one of a
 * few expressions evaluated on insert ({@code "defaultExpression": "now()"}), or none
 * ({@code "default": null}). A constant reaches the DDL only as the literal PostgreSQL itself writes
 * for the value read by the column's cast, never as text Rowan pasted together.
 */
sealed interface DefaultValue {
    /** The expressions a default may be, by the name the API takes, with the SQL each stands for. */
    Map<String, String> EXPRESSIONS = Map.of(
            "now()", "pg_catalog.now()",
            "current_timestamp", "CURRENT_TIMESTAMP",
            "current_date", "CURRENT_DATE",
            "current_time", "CURRENT_TIME",
            "localtimestamp", "LOCALTIMESTAMP",
            "gen_random_uuid()", "pg_catalog.gen_random_uuid()");

    /** A quoted constant with an optional cast, as pg_get_expr prints it: {@code 'it''s'::text}. */
    Pattern QUOTED = Pattern.compile("'((?:[^']|'')*)'(?:::[\\w .\"\\[\\]()]+)?");
    /** A number, maybe parenthesized and cast: {@code 42}, {@code (-1.5)::numeric}. */
    Pattern NUMBER = Pattern.compile("\\(?(-?[0-9]+(?:\\.[0-9]+)?(?:e[-+]?[0-9]+)?)\\)?(?:::[\\w .\"\\[\\]()]+)?");

    record Constant(String text) implements DefaultValue {
    }

    record Expression(String sql) implements DefaultValue {
    }

    record None() implements DefaultValue {
    }

    /**
     * The SQL after DEFAULT, or null for none; {@code castOfParameter} is how the column's type reads
     * text, with {@code ?} for the value.
     */
    default String sql(Change change, String castOfParameter) throws SQLException {
        if (this instanceof Constant k) {
            String literal = change.literal(castOfParameter, k.text());
            return "NULL".equals(literal) ? null : literal;
        }
        return this instanceof Expression e ? e.sql() : null;
    }

    /** The default a request asks for; null when it does not mention one. */
    static DefaultValue from(Body body) {
        boolean value = body.has("default");
        boolean expression = body.has("defaultExpression");
        if (value && expression && !body.isNull("default") && !body.isNull("defaultExpression")) {
            throw new Problem(422, "conflicting_fields", "Two defaults given",
                    "Give either \"default\" (a value) or \"defaultExpression\", not both.", null);
        }
        if (expression && !body.isNull("defaultExpression")) {
            String name = body.string("defaultExpression");
            String sql = EXPRESSIONS.get(name.strip().toLowerCase(Locale.ROOT));
            if (sql == null) {
                throw new Problem(422, "unknown_expression", "Unknown default expression",
                        "\"" + name + "\" is not a default expression Rowan offers.",
                        "Use one of: " + String.join(", ", EXPRESSIONS.keySet().stream().sorted().toList())
                                + "; or give a constant value as \"default\".");
            }
            return new Expression(sql);
        }
        if (value) {
            JsonNode v = body.raw("default");
            if (v.isNull()) return new None();
            if (v.isTextual()) return new Constant(v.asText());
            if (v.isNumber() || v.isBoolean()) return new Constant(v.asText());
            return new Constant(v.toString());
        }
        return expression ? new None() : null;
    }

    /**
     * The text of a default that is a plain constant, as PostgreSQL prints one ({@code 'a''b'::text},
     * {@code 42}, {@code '-1.5'::numeric}, {@code true}), or null for anything else (a function call,
     * an operator): a constant can be carried over to a column's new type by reading its text again.
     */
    static String constantText(String expression) {
        Matcher quoted = QUOTED.matcher(expression);
        if (quoted.matches()) return quoted.group(1).replace("''", "'");
        Matcher number = NUMBER.matcher(expression);
        if (number.matches()) return number.group(1);
        return expression.equals("true") || expression.equals("false") ? expression : null;
    }
}
