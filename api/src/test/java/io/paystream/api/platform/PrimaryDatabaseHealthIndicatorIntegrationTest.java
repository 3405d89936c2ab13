package io.paystream.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.persistence.testing.TestDatabase;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import reactor.test.StepVerifier;

/**
 * Readiness's database check against the real PostgreSQL: UP on a writable server; DOWN when the
 * server refuses connections, when the session is read-only (as every session on a standby is), and
 * when the server does not answer within the named timeout.
 */
class PrimaryDatabaseHealthIndicatorIntegrationTest {

  /** Generous: the first connection of a JVM on a busy machine loads Netty and the driver. */
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Test
  void aWritablePrimaryIsUp() {
    PrimaryDatabaseHealthIndicator check =
        new PrimaryDatabaseHealthIndicator(database(Map.of()), TIMEOUT);

    StepVerifier.create(check.health())
        .assertNext(health -> assertThat(health.getStatus()).isEqualTo(Status.UP))
        .expectComplete()
        .verify(PATIENCE);
  }

  @Test
  void aReadOnlyServerIsDownBecauseItCannotTakeMoney() {
    // What a standby reports for every session; a primary can be told to for one session.
    PrimaryDatabaseHealthIndicator check =
        new PrimaryDatabaseHealthIndicator(
            database(Map.of("default_transaction_read_only", "on")), TIMEOUT);

    StepVerifier.create(check.health())
        .assertNext(
            health -> {
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails()).containsEntry("reason", "read-only (a standby)");
            })
        .expectComplete()
        .verify(PATIENCE);
  }

  @Test
  void anUnreachableServerIsDown() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    PrimaryDatabaseHealthIndicator check =
        new PrimaryDatabaseHealthIndicator(at("127.0.0.1", closed), TIMEOUT);

    StepVerifier.create(check.health())
        .assertNext(health -> assertThat(health.getStatus()).isEqualTo(Status.DOWN))
        .expectComplete()
        .verify(PATIENCE);
  }

  @Test
  void aServerThatDoesNotAnswerIsDownAfterTheReadinessTimeout() throws IOException {
    // The kernel completes the TCP handshake for the backlog; nobody ever answers the startup.
    try (ServerSocket silent = new ServerSocket(0)) {
      Duration timeout = Duration.ofMillis(300);
      PrimaryDatabaseHealthIndicator check =
          new PrimaryDatabaseHealthIndicator(at("127.0.0.1", silent.getLocalPort()), timeout);
      long started = System.nanoTime();

      StepVerifier.create(check.health())
          .assertNext(health -> assertThat(health.getStatus()).isEqualTo(Status.DOWN))
          .expectComplete()
          .verify(PATIENCE);

      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(timeout)
          .isLessThan(Duration.ofSeconds(10));
    }
  }

  private static ConnectionFactory database(Map<String, String> sessionOptions) {
    return ConnectionFactories.get(
        ConnectionFactoryOptions.parse(TestDatabase.r2dbcUrl())
            .mutate()
            .option(ConnectionFactoryOptions.USER, "postgres")
            .option(PostgresqlConnectionFactoryProvider.OPTIONS, sessionOptions)
            .build());
  }

  private static ConnectionFactory at(String host, int port) {
    return ConnectionFactories.get(
        ConnectionFactoryOptions.builder()
            .option(ConnectionFactoryOptions.DRIVER, "postgresql")
            .option(ConnectionFactoryOptions.HOST, host)
            .option(ConnectionFactoryOptions.PORT, port)
            .option(ConnectionFactoryOptions.USER, "postgres")
            .option(ConnectionFactoryOptions.DATABASE, "paystream")
            .build());
  }
}
