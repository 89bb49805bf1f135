package io.workjs.server.db;

import com.zaxxer.hikari.HikariConfig;
import io.workjs.server.session.SecretFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The embedded database: one H2 file in the data folder, in H2's PostgreSQL mode with unquoted
 * names in lower case (so rows are keyed as PostgreSQL keys them), sessions in UTC. Its owner
 * is an admin and only ever runs the site's migrations; controllers get {@link #SITE}, which is
 * not, so H2's admin-only features (Java code, files, linked databases, settings) stay out of
 * their reach. The file's protection is the data folder's: owner-only, like the session store.
 */
final class EmbeddedH2 {
    /** The admin user, which creates the database and applies migrations. */
    static final String OWNER = "workjs_owner";
    /** The user controllers connect as: tables and rows, no admin rights. */
    static final String SITE = "workjs_site";
    private static final String SETTINGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    private EmbeddedH2() {
    }

    /** The database file, without H2's {@code .mv.db} suffix. */
    static Path file(Path data) {
        return data.resolve("db").resolve("site");
    }

    /** Creates the database and its users if they are missing, and points {@code hikari} at it as {@link #SITE}. */
    static void prepare(Path data, HikariConfig hikari) {
        SecretFile.dataFolder(data);
        try (Connection owner = ownerDataSource(data).getConnection(); Statement s = owner.createStatement()) {
            s.execute("CREATE USER IF NOT EXISTS " + SITE + " PASSWORD ''");
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA public TO " + SITE);
            s.execute("GRANT ALTER ANY SCHEMA TO " + SITE);
        } catch (SQLException e) {
            throw new DatabaseException("cannot open the embedded database " + file(data) + ": " + e.getMessage(), e);
        }
        hikari.setJdbcUrl(url(data));
        hikari.setUsername(SITE);
        hikari.setPassword("");
        hikari.setConnectionInitSql("SET TIME ZONE 'UTC'");
    }

    /** The owner's connections, for migrations. */
    static DataSource ownerDataSource(Path data) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url(data));
        ds.setUser(OWNER);
        ds.setPassword("");
        return ds;
    }

    private static String url(Path data) {
        return "jdbc:h2:file:" + file(data).toAbsolutePath() + SETTINGS;
    }
}
