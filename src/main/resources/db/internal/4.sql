-- CSV imports into user databases: what was asked, how far the load got, and how it ended.
-- Progress lives here rather than in one instance's memory, so every Rowan sharing this database
-- can report it. instance_id and heartbeat_at tell which Rowan runs an import and whether it still does.
CREATE TABLE rowan_import (
    id            {{AUTO_ID}},
    database_id   {{ID}} NOT NULL REFERENCES rowan_database (id) ON DELETE CASCADE,
    instance_id   VARCHAR(64) NOT NULL,
    state         VARCHAR(10) NOT NULL,
    phase         VARCHAR(20),
    import_mode   VARCHAR(10) NOT NULL,
    on_error      VARCHAR(10) NOT NULL,
    schema_name   TEXT NOT NULL,
    table_name    TEXT NOT NULL,
    table_oid     BIGINT,
    file_name     TEXT,
    settings      TEXT NOT NULL,
    column_list   TEXT NOT NULL,
    bytes_total   BIGINT NOT NULL,
    bytes_done    BIGINT NOT NULL,
    rows_done     BIGINT NOT NULL,
    rows_skipped  BIGINT NOT NULL,
    error_count   BIGINT NOT NULL,
    errors        TEXT,
    message       TEXT,
    created_at    BIGINT NOT NULL,
    started_at    BIGINT,
    finished_at   BIGINT,
    heartbeat_at  BIGINT NOT NULL
);
CREATE INDEX rowan_import_database ON rowan_import (database_id, id);
CREATE INDEX rowan_import_running ON rowan_import (state, heartbeat_at);
