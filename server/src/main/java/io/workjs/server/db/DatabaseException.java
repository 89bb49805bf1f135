package io.workjs.server.db;

/** The database cannot start: it is unreachable, or a migration failed. The message names the file and the database's words. */
public final class DatabaseException extends RuntimeException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
