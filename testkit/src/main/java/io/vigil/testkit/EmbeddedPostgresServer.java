package io.vigil.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real PostgreSQL server (zonky's embedded binaries) with one application database. With a fixed
 * data directory the data survives a restart (devstack); otherwise it lives in a temporary directory.
 * It can be stopped and started again on the same port and the same data ({@link #stop()},
 * {@link #restart()}), which is how outage tests take the database away from running services.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final Path dataDir;
    private final int port;
    private final String database;
    private final boolean durable;
    private final Map<String, String> settings;
    private EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDir, int port, String database, boolean durable, Map<String, String> settings) {
        this.dataDir = dataDir;
        this.port = port;
        this.database = database;
        this.durable = durable;
        this.settings = Map.copyOf(settings);
    }

    public static EmbeddedPostgresServer start(Path dataDir, int port, String database) {
        try {
            Files.createDirectories(dataDir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir, port, database, true, Map.of());
        server.restart();
        server.createDatabase(database);
        return server;
    }

    /** A throw-away server for one test JVM: temporary data directory, free port, no fsync. */
    public static EmbeddedPostgresServer startTemporary(String database) {
        return startTemporary(database, Map.of());
    }

    /**
     * {@link #startTemporary(String)} with extra server settings (a benchmark's
     * {@code shared_preload_libraries=pg_stat_statements}).
     */
    public static EmbeddedPostgresServer startTemporary(String database, Map<String, String> settings) {
        try {
            Path dir = Files.createTempDirectory("vigil-pg-");
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(dir.resolve("data"), FreePorts.take(), database,
                    false, settings);
            server.restart();
            server.createDatabase(database);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                Paths.deleteRecursively(dir);
            }, "embedded-postgres-stop"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /**
     * Starts the server on its port and data directory (initialised on first use) unless it is running,
     * and returns once it answers. After {@link #stop()} every row committed before is there again.
     */
    public synchronized void restart() {
        if (postgres != null) {
            return;
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            settings.forEach(builder::setServerConfig);
            postgres = builder
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false) // a stop keeps the data; a temporary server's directory goes at JVM exit
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /**
     * Stops the server (a fast shutdown: open connections are cut, as in a database crash seen from the
     * clients) and keeps its data and port for {@link #restart()}.
     */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop", e);
        } finally {
            postgres = null;
        }
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    private void createDatabase(String name) {
        try (Connection connection = running().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
            if (!exists.next()) {
                statement.execute("CREATE DATABASE \"" + name + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    private synchronized EmbeddedPostgres running() {
        if (postgres == null) {
            throw new IllegalStateException("embedded PostgreSQL is stopped");
        }
        return postgres;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** The Quarkus datasource settings pointing at this server. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", PASSWORD);
    }

    @Override
    public void close() {
        stop();
    }
}
