package dev.rowan.catalog;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.rowan.Problem;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The column types a person can choose in Rowan (creating a table or column, changing a type,
 * importing a file), by the name the API uses, with the SQL type it stands for and how text that a
 * person typed becomes a value of it. Where Rowan installed a cast function that reads what people
 * type ("1,234.50", "yes", "March 5, 2024", "$12") that function is used; otherwise PostgreSQL's own
 * input function via CAST. The SQL here is constant text: no request value is ever spliced into it.
 * {@code rowan.cast_error} in the Rowan schema (3.sql) applies the same cast per type, for the preview
 * of a type change: a type added here needs its branch there.
 */
public enum ColumnType {
    TEXT("text", "text", null),
    INTEGER("integer", "integer", "rowan.cast_to_integer"),
    BIGINT("bigint", "bigint", "rowan.cast_to_bigint"),
    NUMERIC("numeric", "numeric", "rowan.cast_to_numeric"),
    DOUBLE("double", "double precision", "rowan.cast_to_double"),
    BOOLEAN("boolean", "boolean", "rowan.cast_to_boolean"),
    DATE("date", "date", "rowan.cast_to_date"),
    TIME("time", "time without time zone", null),
    TIMESTAMP("timestamp", "timestamp without time zone", null),
    TIMESTAMPTZ("timestamptz", "timestamp with time zone", null),
    INTERVAL("interval", "interval", null),
    UUID("uuid", "uuid", null),
    JSON("json", "jsonb", null),
    EMAIL("email", "rowan_types.email", "rowan.cast_to_email"),
    URI("uri", "rowan_types.uri", "rowan.cast_to_uri"),
    MONEY("money", "rowan_types.money", "rowan.cast_to_money");

    private final String id;
    private final String sql;
    private final String castFunction;

    ColumnType(String id, String sql, String castFunction) {
        this.id = id;
        this.sql = sql;
        this.castFunction = castFunction;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** The type as SQL writes it, e.g. {@code rowan_types.email}. */
    public String sql() {
        return sql;
    }

    /** SQL that turns the text expression {@code text} (a bound parameter or a column cast to text) into this type. */
    public String fromText(String text) {
        return castFunction != null ? castFunction + "(" + text + ")" : "CAST(" + text + " AS " + sql + ")";
    }

    /** The type whose SQL spelling is {@code formatType} (PostgreSQL's format_type output), if Rowan offers it. */
    public static Optional<ColumnType> bySql(String formatType) {
        return Arrays.stream(values()).filter(t -> t.sql.equals(formatType)).findFirst();
    }

    /** The type named by the API, or a 400 problem listing the names that exist. */
    public static ColumnType byId(String id) {
        if (id != null) {
            String wanted = id.strip().toLowerCase(Locale.ROOT);
            for (ColumnType t : values()) {
                if (t.id.equals(wanted)) return t;
            }
        }
        throw new Problem(400, "unknown_type", "Unknown column type", "\"" + id + "\" is not a column type Rowan offers.",
                "Use one of: " + Arrays.stream(values()).map(ColumnType::id).collect(Collectors.joining(", ")) + ".");
    }
}
