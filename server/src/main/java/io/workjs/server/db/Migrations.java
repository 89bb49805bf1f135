package io.workjs.server.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The site's schema: the SQL files in its {@code db/} folder, {@code V1__create_messages.sql},
 * {@code V2__...}, applied once each and in order at start-up, by Flyway, on either database.
 * Flyway keeps what it applied in the table {@code flyway_schema_history}. A failed file stops
 * start-up with its name, line and the database's message; what it changed is rolled back where
 * the database can (PostgreSQL, H2: each file runs in a transaction).
 */
final class Migrations {
    private static final Logger LOG = Logger.getLogger("workjs.db");

    private Migrations() {
    }

    static void apply(DataSource db, Path folder, String where) {
        if (!Files.isDirectory(folder)) return;
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
}
