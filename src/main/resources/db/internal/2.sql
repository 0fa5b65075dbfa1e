-- Connected user databases, their (encrypted) credentials, and the built-in PostgreSQL server's.
CREATE TABLE rowan_database (
    id            {{AUTO_ID}},
    name          VARCHAR(100) NOT NULL,
    builtin       BOOLEAN NOT NULL,
    host          VARCHAR(255),
    port          INTEGER,
    database_name VARCHAR(255) NOT NULL,
    username      VARCHAR(255),
    ssl_mode      VARCHAR(20),
    password_enc  TEXT,
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX rowan_database_name ON rowan_database (lower(name));
