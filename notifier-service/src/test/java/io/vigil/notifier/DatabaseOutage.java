package io.vigil.notifier;

import io.vigil.testkit.EmbeddedPostgresServer;
import io.vigil.testkit.SharedInfra;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The notifier's database gone for a while, as the notifier sees it: the database refuses new connections and every
 * open one is ended (the server itself keeps running, so the test JVM's other users are unaffected afterwards).
 * Closing it lets connections in again. Also holds table locks for tests of a stuck consumer.
 */
final class DatabaseOutage implements AutoCloseable {

    private final Connection admin;
    private boolean down;

    private DatabaseOutage() throws SQLException {
        // on the maintenance database, so it survives the outage of the application's one
        admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + SharedInfra.postgres().port() + "/postgres",
                EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
        admin.setAutoCommit(true);
    }

    /** Starts an outage now: no new connection to the database, every open one ended. */
    static DatabaseOutage begin() throws SQLException {
        DatabaseOutage outage = new DatabaseOutage();
        try (Statement statement = outage.admin.createStatement()) {
            statement.execute("ALTER DATABASE vigil WITH ALLOW_CONNECTIONS false");
            outage.down = true;
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'vigil'"
                    + " AND pid <> pg_backend_pid()");
        } catch (SQLException e) {
            outage.close();
            throw e;
        }
        return outage;
    }

    /** Ends the outage: connections are let in again. */
    @Override
    public void close() throws SQLException {
        try (admin; Statement statement = admin.createStatement()) {
            if (down) {
                statement.execute("ALTER DATABASE vigil WITH ALLOW_CONNECTIONS true");
                down = false;
            }
        }
    }

    /** A connection to the application's database, for a test that holds a lock the notifier needs. */
    static Connection connect() throws SQLException {
        return DriverManager.getConnection(SharedInfra.postgres().jdbcUrl(), EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD);
    }
}
