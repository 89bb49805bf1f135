package io.workjs.server.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The site's schema: the SQL files in its {@code db/} folder, {@code V1__create_messages.sql},
 * {@code V2__...}, applied once each and in order at start-up, by Flyway, on either database.
 * Flyway keeps what it applied in the table {@code flyway_schema_history}. A failed file stops
 * start-up with its name, line and the database's message. PostgreSQL rolls the whole file back;
 * H2 commits each DDL statement as it runs, so there the statements before the failing one stay,
 * and the next start (with the file fixed) runs the file again: write such files so that they can
 * run twice ({@code CREATE TABLE IF NOT EXISTS}).
 */
final class Migrations {
    private static final Logger LOG = Logger.getLogger("workjs.db");
    /** Flyway's record of what it applied. */
    private static final String HISTORY = "flyway_schema_history";

    private Migrations() {
    }

    /**
     * Applies what is new in {@code folder}. {@code retryFailed}: forget files that failed before
     * (H2, which cannot roll their DDL back), so that their fixed version runs.
     */
    static void apply(DataSource db, Path folder, String where, boolean retryFailed) {
        if (!Files.isDirectory(folder)) return;
        if (retryFailed) forgetFailed(db);
        Flyway flyway = Flyway.configure()
                .dataSource(db)
                .locations("filesystem:" + folder.toAbsolutePath())
                .failOnMissingLocations(false)
                .validateMigrationNaming(true)
                .load();
        try {
            MigrateResult result = flyway.migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("database: applied " + result.migrationsExecuted + " migration(s) from " + folder.getFileName()
                        + "/ to " + where + ", now at version " + result.targetSchemaVersion);
            }
        } catch (FlywayException e) {
            throw new DatabaseException("database migration failed (" + where + "): " + e.getMessage(), e);
        }
    }

    private static void forgetFailed(DataSource db) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            if (!c.getMetaData().getTables(null, null, HISTORY, null).next()) return;
            int forgotten = s.executeUpdate("DELETE FROM " + HISTORY + " WHERE NOT success");
            if (forgotten > 0) LOG.warning("database: " + forgotten + " migration(s) that failed before will run again");
        } catch (SQLException e) {
            throw new DatabaseException("database migration failed: cannot read " + HISTORY + ": " + e.getMessage(), e);
        }
    }
}
