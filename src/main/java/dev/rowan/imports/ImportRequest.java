package dev.rowan.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.Problem;
import dev.rowan.catalog.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The import form, read and checked: into a new table ({@code schema}, {@code table}) or an existing
 * one ({@code tableOid}); what to do with malformed rows; the reading settings and column names and
 * types a person chose over the detected ones. Only the shape is checked here; names against the
 * database are checked by {@link ImportPlan}.
 */
record ImportRequest(Mode mode, String schema, String table, Long tableOid, OnError onError, CsvSettings.Choice settings,
                     List<ColumnChoice> columns, boolean addPrimaryKey) {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Mode {
        NEW, EXISTING;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** abort: load nothing when any row is malformed; skip: load the good rows and report the others. */
    enum OnError {
        ABORT, SKIP;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A column as chosen: for a new table its name and type; for an existing one the table column it goes to (type null). */
    record ColumnChoice(String name, ColumnType type) {
    }

    static ImportRequest of(UploadForm form) {
        Mode mode = switch (lower(form.field("mode"), "new")) {
            case "new" -> Mode.NEW;
            case "existing" -> Mode.EXISTING;
            default -> throw invalid("mode", form.field("mode"), "new or existing");
        };
        OnError onError = switch (lower(form.field("onError"), "abort")) {
            case "abort" -> OnError.ABORT;
            case "skip" -> OnError.SKIP;
            default -> throw invalid("onError", form.field("onError"), "abort or skip");
        };
        String schema = null;
        String table = null;
        Long oid = null;
        if (mode == Mode.NEW) {
            schema = form.field("schema") == null ? "public" : form.field("schema");
            table = form.field("table");
            if (table == null) {
                throw new Problem(422, "invalid_name", "The new table needs a name", "The form has no \"table\" field.",
                        "Send the name of the table to create in \"table\" (and its schema in \"schema\").");
            }
            checkName("table", table);
        } else {
            String raw = form.field("tableOid");
            try {
                oid = raw == null ? null : Long.parseLong(raw.strip());
            } catch (NumberFormatException e) {
                oid = null;
            }
            if (oid == null || oid <= 0) throw invalid("tableOid", raw, "the oid of the table to import into (from the list of tables)");
        }
        CsvSettings.Choice settings = CsvSettings.Choice.of(form.field("delimiter"), form.field("quote"), form.field("header"), form.field("encoding"));
        boolean addKey = form.field("addPrimaryKey") == null || CsvSettings.Choice.bool("addPrimaryKey", form.field("addPrimaryKey"));
        return new ImportRequest(mode, schema, table, oid, onError, settings, columns(form.field("columns"), mode), addKey);
    }

    /** The {@code columns} field: a JSON array of {name, type} (type only for a new table); null when absent. */
    private static List<ColumnChoice> columns(String raw, Mode mode) {
        if (raw == null) return null;
        JsonNode list;
        try {
            list = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            list = null;
        }
        if (list == null || !list.isArray()) {
            throw new Problem(400, "invalid_parameter", "Invalid parameter \"columns\"", "\"columns\" must be a JSON array of {name, type}.",
                    "Send one entry per column of the file, in the file's order, e.g. [{\"name\":\"age\",\"type\":\"integer\"}].");
        }
        List<ColumnChoice> out = new ArrayList<>();
        for (JsonNode c : list) {
            JsonNode name = c.get("name");
            JsonNode type = c.get("type");
            if (name == null || !name.isTextual()) {
                throw new Problem(400, "invalid_parameter", "Invalid parameter \"columns\"", "Every entry of \"columns\" needs a \"name\".", null);
            }
            if (mode == Mode.NEW) checkName("column", name.asText());
            ColumnType t = mode == Mode.NEW && type != null && !type.isNull() ? ColumnType.byId(type.asText()) : null;
            if (mode == Mode.NEW && t == null) {
                throw new Problem(400, "invalid_parameter", "Invalid parameter \"columns\"", "The column \"" + name.asText() + "\" has no type.",
                        "Give each column a type, e.g. text, integer, numeric, boolean, date.");
            }
            out.add(new ColumnChoice(name.asText(), t));
        }
        return out;
    }

    /** A name PostgreSQL keeps as written: not empty, no NUL, at most 63 bytes (longer ones it would silently cut). */
    static void checkName(String what, String name) {
        String problem = name.isBlank() ? "is empty" : name.indexOf('\0') >= 0 ? "contains a NUL character"
                : ColumnNames.utf8Length(name) > ColumnNames.MAX_BYTES ? "is longer than 63 bytes" : null;
        if (problem != null) {
            throw new Problem(422, "invalid_name", "This name cannot be used", "The " + what + " name \"" + name + "\" " + problem + ".",
                    "PostgreSQL names are 1 to 63 bytes (in UTF-8); any characters but NUL, quotes and spaces included.");
        }
    }

    private static String lower(String v, String fallback) {
        return v == null ? fallback : v.strip().toLowerCase(Locale.ROOT);
    }

    private static Problem invalid(String name, String value, String expected) {
        return new Problem(400, "invalid_parameter", "Invalid parameter \"" + name + "\"",
                "\"" + name + "\" must be " + expected + (value == null ? "." : ", not \"" + value + "\"."), null);
    }
}
