package io.workjs.runtime;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database behind {@code this.db}: a pool of JDBC connections and the SQL dialect they
 * speak. The runtime owns everything between a controller's call and JDBC (bind variables,
 * values, limits, the worker pool, transactions); the server chooses what is behind this, the
 * embedded database or PostgreSQL, as it does for {@link SessionData} and {@link GroupBus}.
 */
public interface Database {

    /** The SQL spoken behind the connections; the runtime translates what differs. */
    enum Dialect { POSTGRESQL, H2 }

    /** Without a database: every query fails with {@code DB_UNAVAILABLE}. For runtimes embedded without one. */
    Database NONE = new Database() {
        @Override
        public Dialect dialect() {
            return Dialect.POSTGRESQL;
        }

        @Override
        public Connection connect() {
            throw new ServiceException("DB_UNAVAILABLE", "this server has no database");
        }
    };

    Dialect dialect();

    /**
     * A connection for one statement or one transaction, in auto-commit mode, its session's
     * time zone UTC; closing it gives it back. Waits for a free one at most the pool's own
     * timeout, then throws.
     */
    Connection connect() throws SQLException;
}
