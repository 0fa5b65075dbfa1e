package dev.rowan.structure;

import dev.rowan.Problem;
import dev.rowan.catalog.Table;
import java.nio.charset.StandardCharsets;

/**
 * The names people give schemas, tables, columns and constraints. Any character is fine (they are
 * quoted), but PostgreSQL keeps only the first 63 bytes of a longer name and says nothing: such a name
 * is refused here, so what is stored is always exactly what was asked for.
 */
final class Names {
    /** PostgreSQL's NAMEDATALEN - 1 in a default build. */
    static final int MAX_BYTES = 63;

    private Names() {
    }

    /** The name itself, unchanged (spaces included), or a 422 problem saying why it cannot be one. */
    static String require(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new Problem(422, "name_required", "A name is required", "The " + what + " needs a name.",
                    "Any characters are allowed, including spaces.");
        }
        if (name.indexOf('\0') >= 0) {
            throw new Problem(422, "name_invalid", "The name contains a NUL character",
                    "The " + what + " name contains the character U+0000, which PostgreSQL cannot store in a name.", "Remove it.");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new Problem(422, "name_too_long", "The name is too long",
                    "The " + what + " name is " + bytes + " bytes long in UTF-8; PostgreSQL keeps at most " + MAX_BYTES
                            + " bytes of a name and would silently cut the rest.",
                    "Shorten it: letters outside ASCII take 2 to 4 bytes each.");
        }
        return name;
    }

    /** The keyword ALTER, DROP and COMMENT use for this kind of relation. */
    static String keyword(Table table) {
        return switch (table.kind()) {
            case "view" -> "VIEW";
            case "materialized_view" -> "MATERIALIZED VIEW";
            case "foreign_table" -> "FOREIGN TABLE";
            default -> "TABLE";
        };
    }
}
