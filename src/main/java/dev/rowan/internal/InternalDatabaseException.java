package dev.rowan.internal;

import java.sql.SQLException;

/** The internal database failed during a request; the HTTP layer answers 503. */
public class InternalDatabaseException extends RuntimeException {
    public InternalDatabaseException(SQLException cause) {
        super("internal database error (SQLState " + cause.getSQLState() + ")", cause);
    }
}
