package io.paystream.api.platform;

import static io.paystream.api.testing.PaystreamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.persistence.testing.Eventually;
import io.paystream.persistence.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * The "R2DBC connection recovering after the database restarts": while the application
 * runs, PostgreSQL terminates every backend of this instance ({@code pg_terminate_backend}, what a
 * restart or a failover does to the client's connections; the machine's server itself, shared with
 * other test JVMs, is never restarted). A client that retries on 503 with the same Idempotency-Key,
 * as a mobile client does, gets its work done within {@link #RECOVERY}, each failure it saw is a
 * 503 problem with Retry-After, nothing is applied twice, and the LISTEN connection is back.
 *
 * <p>Only this context's backends are terminated (its own {@code application_name}), so that the
 * other contexts cached in this JVM are not disturbed mid-test.
 */
@TestPropertySource(
    properties = {
      "spring.r2dbc.properties.applicationName=" + DatabaseRecoveryIntegrationTest.APPLICATION,
      "paystream.kafka.consumer-group=paystream-credit-leg-recovery-test",
    })
@DirtiesContext
class DatabaseRecoveryIntegrationTest extends ApiIntegrationTest {

  static final String APPLICATION = "paystream-recovery-test";

  /** A client's patience: the pool replaces dead connections within a few requests. */
  private static final Duration RECOVERY = Duration.ofSeconds(30);

  private final List<String> failures = new ArrayList<>();

  @Test
  void aClientThatRetriesGetsItsWorkDoneSoonAfterEveryConnectionWasTerminated() {
    PaystreamClient.User alice = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");
    client.deposit(alice, account, 100, "EUR");
    Set<Integer> before =
        Eventually.await(
            RECOVERY,
            "a LISTEN backend",
            DatabaseRecoveryIntegrationTest::listening,
            l -> !l.isEmpty());

    int terminated = terminateOurBackends();
    long started = System.nanoTime();

    assertThat(terminated).as("backends of this instance terminated").isPositive();
    String key = UUID.randomUUID().toString();
    retried(() -> deposit(alice, account, key, 250), HttpStatus.CREATED);
    retried(() -> deposit(alice, account, key, 250), HttpStatus.CREATED);
    String email = "recovered-" + UUID.randomUUID() + "@example.com";
    retried(() -> register(email), HttpStatus.CREATED);
    String token = json(retried(() -> login(email), HttpStatus.OK)).get("accessToken").asString();
    PaystreamClient.User bob = new PaystreamClient.User(null, email, token);
    UUID bobs =
        UUID.fromString(json(retried(() -> open(bob), HttpStatus.CREATED)).get("id").asString());
    retried(() -> deposit(bob, bobs, UUID.randomUUID().toString(), 75), HttpStatus.CREATED);
    Duration recovered = Duration.ofNanos(System.nanoTime() - started);

    assertThat(recovered).as("time until every step succeeded").isLessThan(RECOVERY);
    assertThat(client.balance(alice, account))
        .as("the retried deposit applied once")
        .isEqualTo(350);
    assertThat(client.balance(bob, bobs)).isEqualTo(75);
    assertThat(failures)
        .as("every refusal on the way is a 503 problem")
        .allMatch(f -> f.startsWith("503"));
    Set<Integer> after =
        Eventually.await(
            RECOVERY,
            "a new LISTEN backend",
            DatabaseRecoveryIntegrationTest::listening,
            pids -> !pids.isEmpty() && pids.stream().noneMatch(before::contains));
    assertThat(after).doesNotContainAnyElementsOf(before);
  }

  /** Sends {@code request} until it answers {@code expected}, retrying on 503 only. */
  private EntityExchangeResult<byte[]> retried(
      Supplier<EntityExchangeResult<byte[]>> request, HttpStatus expected) {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    while (true) {
      EntityExchangeResult<byte[]> result = request.get();
      // A replayed deposit answers as the first one did.
      if (result.getStatus().equals(expected)) {
        return result;
      }
      String body = result.getResponseBody() == null ? "" : new String(result.getResponseBody());
      failures.add(result.getStatus().value() + " " + body);
      assertThat(result.getStatus()).as(body).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
      assertThat(json(result).get("code").asString()).isEqualTo("service_unavailable");
      assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
      assertThat(System.nanoTime()).as("still failing after " + RECOVERY).isLessThan(deadline);
    }
  }

  private EntityExchangeResult<byte[]> deposit(
      PaystreamClient.User user, UUID account, String key, long amount) {
    return http.post()
        .uri("/api/v1/deposits")
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "accountId",
                account.toString(),
                "amount",
                amount,
                "currency",
                "EUR",
                "reference",
                "r"))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> register(String email) {
    return http.post()
        .uri("/api/v1/auth/register")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", email, "password", PaystreamClient.PASSWORD, "name", "Bob"))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> login(String email) {
    return http.post()
        .uri("/api/v1/auth/login")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", email, "password", PaystreamClient.PASSWORD))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> open(PaystreamClient.User user) {
    return http.post()
        .uri("/api/v1/accounts")
        .headers(h -> h.setBearerAuth(user.token()))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("currency", "EUR"))
        .exchange()
        .expectBody()
        .returnResult();
  }

  /** The backends of this instance that LISTEN for revoked logins. */
  private static Set<Integer> listening() {
    return pids(
        "SELECT pid FROM pg_stat_activity WHERE application_name = '"
            + APPLICATION
            + "' AND query = 'LISTEN paystream_sessions'");
  }

  /**
   * Chooses the backends first, in a materialised CTE, and only then terminates them: in a single
   * WHERE clause PostgreSQL may evaluate {@code pg_terminate_backend} before the filters, on every
   * backend of the server.
   */
  private static int terminateOurBackends() {
    return pids("WITH ours AS MATERIALIZED (SELECT pid FROM pg_stat_activity"
            + " WHERE datname = current_database() AND application_name = '"
            + APPLICATION
            + "' AND pid <> pg_backend_pid())"
            + " SELECT pid FROM ours WHERE pg_terminate_backend(pid)")
        .size();
  }

  private static Set<Integer> pids(String sql) {
    try (Connection connection =
            DriverManager.getConnection(TestDatabase.jdbcUrl(), "postgres", "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      Set<Integer> pids = new HashSet<>();
      while (rows.next()) {
        pids.add(rows.getInt(1));
      }
      return pids;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
