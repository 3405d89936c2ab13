package io.paystream.persistence.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh PostgreSQL database per test JVM, on the machine's real server (never a mock): created on
 * first use, migrated by the application's own Flyway, dropped by a later run once stale. Setup
 * runs on the JUnit thread over JDBC, outside any event loop.
 *
 * <p>The server is {@code PAYSTREAM_TEST_PG_HOST}:{@code PAYSTREAM_TEST_PG_PORT} (default
 * 127.0.0.1:5432), user {@code postgres}, trust auth, as on the CI machine.
 */
public final class TestDatabase {

  private static final String HOST = env("PAYSTREAM_TEST_PG_HOST", "127.0.0.1");
  private static final String PORT = env("PAYSTREAM_TEST_PG_PORT", "5432");
  private static final String USER = env("PAYSTREAM_TEST_PG_USER", "postgres");
  private static final String PASSWORD = env("PAYSTREAM_TEST_PG_PASSWORD", "");

  private static volatile String name;

  private TestDatabase() {}

  /** The database of this JVM, created on first call. */
  public static synchronized String name() {
    if (name == null) {
      String created =
          "paystream_it_"
              + Long.toString(System.currentTimeMillis(), 36)
              + "_"
              + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
      dropStale();
      execute("postgres", "CREATE DATABASE " + created);
      name = created;
    }
    return name;
  }

  public static String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name();
  }

  public static String r2dbcUrl() {
    return "r2dbc:postgresql://" + HOST + ":" + PORT + "/" + name();
  }

  /** The Spring properties that point R2DBC and Flyway at this database. */
  public static Map<String, String> properties() {
    return Map.of(
        "spring.r2dbc.url", r2dbcUrl(),
        "spring.r2dbc.username", USER,
        "spring.r2dbc.password", PASSWORD,
        "spring.flyway.url", jdbcUrl(),
        "spring.flyway.user", USER,
        "spring.flyway.password", PASSWORD);
  }

  public static void register(DynamicPropertyRegistry registry) {
    properties().forEach((key, value) -> registry.add(key, () -> value));
  }

  /** Runs SQL on the test database over JDBC, for assertions that must not trust the app. */
  public static void sql(String sql) {
    execute(name(), sql);
  }

  private static void execute(String database, String sql) {
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at "
              + HOST
              + ":"
              + PORT
              + " is needed for integration tests (see README): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Drops test databases created more than {@link #STALE_AFTER_MILLIS} ago. Not done at JVM exit:
   * the application under test may still be closing its connections then.
   */
  private static void dropStale() {
    long now = System.currentTimeMillis();
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER, PASSWORD);
        Statement statement = connection.createStatement();
        var rows =
            statement.executeQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE 'paystream\\_it\\_%'")) {
      java.util.List<String> stale = new java.util.ArrayList<>();
      while (rows.next()) {
        String database = rows.getString(1);
        String[] parts = database.split("_");
        try {
          if (parts.length >= 3 && now - Long.parseLong(parts[2], 36) > STALE_AFTER_MILLIS) {
            stale.add(database);
          }
        } catch (NumberFormatException ignored) {
          // Not one of ours.
        }
      }
      for (String database : stale) {
        statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at "
              + HOST
              + ":"
              + PORT
              + " is needed for integration tests (see README): "
              + e.getMessage(),
          e);
    }
  }

  /** A test JVM lives minutes; a day-old test database belongs to nobody. */
  private static final long STALE_AFTER_MILLIS = 6 * 60 * 60 * 1000L;

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
