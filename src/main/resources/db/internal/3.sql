-- How people arranged a table's columns in the grid: order and width, per connected database.
-- Keyed by the table's and column's numbers in the user database (pg_class.oid, pg_attribute.attnum),
-- which survive renames; a dropped and re-created table simply starts over with its natural order.
CREATE TABLE rowan_column_display (
    database_id {{ID}} NOT NULL REFERENCES rowan_database (id) ON DELETE CASCADE,
    table_oid   BIGINT NOT NULL,
    attnum      INTEGER NOT NULL,
    position    INTEGER,
    width       INTEGER,
    PRIMARY KEY (database_id, table_oid, attnum)
);
