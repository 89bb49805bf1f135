package io.workjs.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.workjs.runtime.Database;
import io.workjs.runtime.RuntimeLimits;
import io.workjs.server.config.DatabaseUrl;
import io.workjs.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * The site's database behind {@code this.db}: PostgreSQL when CONF {@code db_url} names one, else
 * the embedded H2 file {@code <data>/db/site} in its PostgreSQL mode. A HikariCP pool of
 * {@code db_poolsize} connections either way.
 *
 * <p>The embedded database has two users. The owner ({@link EmbeddedH2#OWNER}, an H2 admin)
 * creates it and applies the site's migrations; controllers connect as {@link EmbeddedH2#SITE},
 * which may read, write and create tables but is no admin, and so cannot reach H2's features
 * that touch files or run Java ({@code CREATE ALIAS}, {@code CSVREAD}, {@code RUNSCRIPT},
 * {@code LINK_SCHEMA}, {@code SET} of settings, ...): a controller that builds SQL from client
 * input by mistake does not hand out the server.
 *
 * <p>It opens at start-up when there is work to do then (migrations in {@code db/}, or
 * PostgreSQL, whose address is worth checking early), else at the first query, so that a site
 * that never uses {@code this.db} pays nothing for it.
 */
public final class SiteDatabase implements Database, AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.db");
    /** The site's migrations: {@code V1__create_messages.sql}, ... (Flyway's names). */
    public static final String MIGRATIONS = "db";

    private final ServerConfig config;
    private final Dialect dialect;
    private volatile HikariDataSource pool;   // written under this; read without it on every query
    private Object meterRegistry;             // under this: a Micrometer registry for the pool's metrics, or null
    private boolean closed;                   // guarded by this

    private SiteDatabase(ServerConfig config) {
        this.config = config;
        this.dialect = config.database() == null ? Dialect.H2 : Dialect.POSTGRESQL;
    }

    /** The site's database, not yet open. */
    public static SiteDatabase forSite(ServerConfig config) {
        return new SiteDatabase(config);
    }

    /**
     * Opens (and migrates) the database now if the site has migrations or uses PostgreSQL;
     * throws a {@link DatabaseException} naming what failed. Queries that come meanwhile wait.
     */
    public void startUp() {
        if (config.database() != null || Files.isDirectory(migrations(config))) pool();
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public Connection connect() throws SQLException {
        HikariDataSource open = pool;
        return (open != null ? open : pool()).getConnection();
    }

    /** A short description for the start-up log: the embedded file, or the URL without its password. */
    public String describe() {
        return config.database() == null ? "embedded H2 in " + EmbeddedH2.file(config.data()) : "PostgreSQL at " + config.database().display();
    }

    /**
     * The pool reports to this Micrometer registry (HikariCP's own {@code hikaricp_*} metrics);
     * call before {@link #startUp}.
     */
    public synchronized void meterRegistry(Object registry) {
        this.meterRegistry = registry;
    }

    private synchronized HikariDataSource pool() {
        if (closed) throw new IllegalStateException("the database is closed");
        if (pool != null) return pool;
        DatabaseUrl url = config.database();
        Path scripts = migrations(config);
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("workjs-db");
        hikari.setMaximumPoolSize(config.limits().get(RuntimeLimits.DB_POOL_SIZE));
        hikari.setMinimumIdle(Math.min(2, hikari.getMaximumPoolSize()));
        // a caller waits for a free connection no longer than a query may run
        hikari.setConnectionTimeout(Math.max(250, config.limits().get(RuntimeLimits.DB_QUERY_TIMEOUT)));
        hikari.setInitializationFailTimeout(-1);   // connect below, for one clear message
        if (meterRegistry != null) hikari.setMetricRegistry(meterRegistry);
        if (url == null) {
            EmbeddedH2.prepare(config.data(), hikari);
            Migrations.apply(EmbeddedH2.ownerDataSource(config.data()), scripts, "the embedded database", true);
        } else {
            hikari.setJdbcUrl(url.jdbc());
            if (url.user() != null) hikari.setUsername(url.user());
            if (url.password() != null) hikari.setPassword(url.password());
            // strings go untyped, so that text binds to json, timestamp and other columns as PostgreSQL infers
            hikari.addDataSourceProperty("stringtype", "unspecified");
            hikari.setConnectionInitSql("SET TIME ZONE 'UTC'");
        }
        HikariDataSource opened = new HikariDataSource(hikari);
        try (Connection check = opened.getConnection()) {
            check.isValid(5);
        } catch (SQLException e) {
            opened.close();
            throw new DatabaseException("cannot connect to " + describe() + ": " + e.getMessage(), e);
        }
        // Flyway takes two connections of its own, so a pool of one cannot starve it
        try {
            if (url != null) Migrations.apply(direct(url), scripts, "PostgreSQL at " + url.display(), false);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        LOG.info("database: " + describe() + ", " + hikari.getMaximumPoolSize() + " connections");
        pool = opened;
        return pool;
    }

    /** Unpooled connections to PostgreSQL, for migrations. */
    private static javax.sql.DataSource direct(DatabaseUrl url) {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(url.jdbc());
        if (url.user() != null) ds.setUser(url.user());
        if (url.password() != null) ds.setPassword(url.password());
        return ds;
    }

    private static Path migrations(ServerConfig config) {
        return config.site().resolve(MIGRATIONS);
    }

    @Override
    public synchronized void close() {
        closed = true;
        HikariDataSource open = pool;
        pool = null;
        if (open != null) open.close();
    }
}
