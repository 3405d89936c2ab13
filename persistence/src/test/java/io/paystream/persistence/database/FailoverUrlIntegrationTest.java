package io.paystream.persistence.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.persistence.notify.PostgresChannels;
import io.paystream.persistence.testing.PersistenceTestApplication;
import io.paystream.persistence.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The cluster's URLs: R2DBC's {@code failover://} and JDBC's multi-host form, with {@code
 * targetServerType=primary}, whose first host is dead (a closed port) and second is the real
 * server. Flyway migrates through the JDBC one (or the context would not start), the pool and the
 * LISTEN connection of {@link PostgresChannels} both reach the server through the R2DBC one, and
 * every connection carries {@link DatabaseProperties}' timeouts.
 */
@SpringBootTest(
    classes = PersistenceTestApplication.class,
    properties = "paystream.database.statement-timeout-millis=25000")
class FailoverUrlIntegrationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** A port nothing listens on: bound, then released. */
  static final int DEAD_PORT = closedPort();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
    registry.add("spring.r2dbc.url", () -> withDeadHostFirst(TestDatabase.r2dbcUrl(), "failover"));
    registry.add("spring.flyway.url", () -> withDeadHostFirst(TestDatabase.jdbcUrl(), null));
  }

  @Autowired DatabaseClient database;
  @Autowired PostgresChannels channels;
  @Autowired Flyway flyway;

  @Test
  void flywayMigratedThroughTheMultiHostUrl() throws SQLException {
    String migratedThrough;
    try (Connection connection = flyway.getConfiguration().getDataSource().getConnection()) {
      migratedThrough = connection.getMetaData().getURL();
    }
    assertThat(migratedThrough)
        .startsWith("jdbc:postgresql://127.0.0.1:" + DEAD_PORT + ",")
        .endsWith("?targetServerType=primary");
    StepVerifier.create(
            database
                .sql("SELECT count(*) AS applied FROM flyway_schema_history WHERE success")
                .map(row -> row.get("applied", Long.class))
                .one())
        .as("Flyway migrated through the multi-host URL")
        .assertNext(applied -> assertThat(applied).isPositive())
        .verifyComplete();
  }

  @Test
  void pooledConnectionsReachThePrimaryPastTheDeadHostWithTheConfiguredTimeout() {
    StepVerifier.create(
            database
                .sql(
                    "SELECT current_setting('statement_timeout') AS timeout, pg_is_in_recovery() AS standby")
                .map(
                    row ->
                        row.get("timeout", String.class) + " " + row.get("standby", Boolean.class))
                .one())
        .expectNext("25s false")
        .verifyComplete();
  }

  @Test
  void theListenConnectionReachesThePrimaryPastTheDeadHost() {
    String channel = "failover_test_" + Long.toString(System.nanoTime(), 36);
    Sinks.One<Boolean> listening = Sinks.one();
    Mono<String> heard =
        channels
            .listen(
                channel,
                up -> {
                  if (up) {
                    listening.tryEmitValue(true);
                  }
                })
            .next();

    StepVerifier.create(heard)
        .then(
            () -> {
              listening.asMono().block(PATIENCE);
              TestDatabase.sql("NOTIFY " + channel + ", 'through the failover URL'");
            })
        .expectNext("through the failover URL")
        .expectComplete()
        .verify(PATIENCE);
  }

  /**
   * {@code scheme://host:port/db} becomes {@code
   * scheme[:protocol]://127.0.0.1:dead,host:port/db?...}.
   */
  static String withDeadHostFirst(String url, String protocol) {
    int hosts = url.indexOf("//") + 2;
    String scheme = url.substring(0, hosts - 3);
    String prefix = protocol == null ? scheme : scheme + ":" + protocol;
    return prefix
        + "://127.0.0.1:"
        + DEAD_PORT
        + ","
        + url.substring(hosts)
        + "?targetServerType=primary";
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
