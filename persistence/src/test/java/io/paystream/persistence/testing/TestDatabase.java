package io.paystream.persistence.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh PostgreSQL database per test JVM, on the machine's real server (never a mock): created
 * on first use, migrated by the application's own Flyway, dropped when the JVM exits. Setup runs
 * on the JUnit thread over JDBC, outside any event loop.
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
      String created = "paystream_it_" + Long.toString(System.currentTimeMillis(), 36) + "_"
          + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
      execute("postgres", "CREATE DATABASE " + created);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(created)));
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
    try (Connection connection = DriverManager.getConnection(
            "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, USER, PASSWORD);
         Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT
          + " is needed for integration tests (see README): " + e.getMessage(), e);
    }
  }

  private static void drop(String database) {
    try {
      execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (RuntimeException ignored) {
      // The JVM is exiting; a leftover database is harmless and named as a test one.
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
