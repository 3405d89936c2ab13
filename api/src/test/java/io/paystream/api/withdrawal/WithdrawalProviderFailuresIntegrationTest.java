package io.paystream.api.withdrawal;

import static io.paystream.api.testing.MoneyAssertions.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.api.testing.TestPayoutProvider;
import io.paystream.messaging.payout.PayoutGateway;
import io.paystream.persistence.testing.Eventually;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.tools.payoutsimulator.PayoutProviderSimulator;
import io.paystream.tools.payoutsimulator.PayoutProviderSimulator.Behaviour;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Withdrawals against a provider that misbehaves, through the whole application: answers later than
 * the time limit, 5xx, slowness, an outage that opens the circuit breaker, and a failure between
 * the provider's payout and our commit. Every scenario ends with each withdrawal paid at most once
 * (the provider's own record), the money where it belongs, and a balanced ledger.
 *
 * <p>The application's payout limits are shortened for tests (ApiIntegrationTest): 1 s call limit,
 * breaker open for 2 s after 4 calls at 50% failures, a sweep every second for withdrawals
 * untouched for 3 s.
 */
class WithdrawalProviderFailuresIntegrationTest extends ApiIntegrationTest {

  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(45);
  private static final Duration BREAKER_TIMEOUT = Duration.ofSeconds(20);
  private static final long FUNDS = 100_000;
  private static final long AMOUNT = 1_000;

  @Autowired PayoutGateway gateway;

  private final PayoutProviderSimulator provider = TestPayoutProvider.get();
  private WithdrawalClient withdrawals;
  private User alice;
  private User ops;
  private UUID account;

  @BeforeEach
  void setUp() {
    withdrawals = new WithdrawalClient(http, client);
    alice = client.newCustomer();
    ops = client.ops();
    account = client.openAccount(alice, "EUR");
    client.deposit(alice, account, FUNDS, "EUR");
    // A breaker left HALF_OPEN by an earlier test closes on its next successful call.
    awaitBreakerNot(CircuitBreaker.State.OPEN);
  }

  @AfterEach
  void healProvider() {
    provider.behaviour(Behaviour.HEALTHY);
    provider.failNext(0);
    provider.hangNext(0);
  }

  @Test
  void anAnswerLostToTheTimeLimitIsRetriedAndTheWithdrawalIsPaidOnce() {
    provider.behaviour(new Behaviour(0, 0, 0, 0, 3_000));
    provider.hangNext(1);
    UUID id = withdrawals.accepted(alice, account, AMOUNT, "EUR", WithdrawalClient.IBAN);

    JsonNode done = withdrawals.await(alice, id, SETTLE_TIMEOUT, "COMPLETED", "FAILED");

    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(provider.posts(id))
        .as("the timed-out call, then the retry the provider replays")
        .isEqualTo(2);
    assertThat(done.get("externalReference").asString()).isEqualTo(provider.payout(id).reference());
    assertMoneyLeftOnce(List.of(id));
  }

  @Test
  void serverErrorsAreRetriedAndTheWithdrawalCompletes() {
    provider.failNext(2);
    UUID id = withdrawals.accepted(alice, account, AMOUNT, "EUR", WithdrawalClient.IBAN);

    JsonNode done = withdrawals.await(alice, id, SETTLE_TIMEOUT, "COMPLETED", "FAILED");

    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(provider.posts(id)).isEqualTo(3);
    assertMoneyLeftOnce(List.of(id));
  }

  @Test
  void aSlowProviderWithinTheTimeLimitIsWaitedForNotRetried() {
    provider.behaviour(new Behaviour(400, 0, 0, 0, 0));
    UUID id = withdrawals.accepted(alice, account, AMOUNT, "EUR", WithdrawalClient.IBAN);

    JsonNode done = withdrawals.await(alice, id, SETTLE_TIMEOUT, "COMPLETED", "FAILED");

    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(provider.posts(id)).isEqualTo(1);
    assertMoneyLeftOnce(List.of(id));
  }

  @Test
  void underAProviderThatFailsPartOfTheTimeEveryWithdrawalStillCompletesExactlyOnce() {
    provider.behaviour(new Behaviour(20, 0.3, 0.1, 0, 1_500));
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(withdrawals.accepted(alice, account, AMOUNT, "EUR", WithdrawalClient.IBAN));
    }

    for (UUID id : ids) {
      assertThat(
              withdrawals
                  .await(alice, id, SETTLE_TIMEOUT, "COMPLETED", "FAILED")
                  .get("status")
                  .asString())
          .isEqualTo("COMPLETED");
    }
    assertMoneyLeftOnce(ids);
  }

  @Test
  void whileTheBreakerIsOpenWithdrawalsWaitInProcessingAndResumeWhenItCloses() {
    provider.behaviour(new Behaviour(0, 1.0, 0, 0, 0));
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(withdrawals.accepted(alice, account, AMOUNT, "EUR", WithdrawalClient.IBAN));
    }
    awaitBreaker(CircuitBreaker.State.OPEN);
    for (UUID id : ids) {
      assertThat(
              withdrawals.await(alice, id, SETTLE_TIMEOUT, "PROCESSING").get("status").asString())
          .isEqualTo("PROCESSING");
    }
    assertThat(client.balance(alice, account))
        .as("the money waits in PAYOUT")
        .isEqualTo(FUNDS - 3 * AMOUNT);
    long refusedBefore = gateway.breaker().getMetrics().getNumberOfNotPermittedCalls();
    UUID duringOutage = withdrawals.accepted(alice, account, AMOUNT, "EUR", WithdrawalClient.IBAN);
    ids.add(duringOutage);
    withdrawals.await(alice, duringOutage, SETTLE_TIMEOUT, "PROCESSING");
    awaitNotPermittedCallsAbove(refusedBefore);
    assertThat(provider.posts(duringOutage))
        .as("an open breaker sends nothing to the provider")
        .isZero();

    provider.behaviour(Behaviour.HEALTHY);

    for (UUID id : ids) {
      assertThat(
              withdrawals
                  .await(alice, id, SETTLE_TIMEOUT, "COMPLETED", "FAILED")
                  .get("status")
                  .asString())
          .isEqualTo("COMPLETED");
    }
    assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertMoneyLeftOnce(ids);
  }

  /**
   * The provider pays and answers, then our commit of COMPLETED fails once (a trigger in the
   * database refuses it): to the database that is the same as the process dying between the
   * provider's answer and the commit. The withdrawal stays PROCESSING; recovery asks the provider
   * by id, learns it was paid, and completes it without a second payout order.
   */
  @Test
  void aFailureBetweenThePayoutAndTheCommitIsRecoveredByAskingTheProviderNotByPayingAgain()
      throws SQLException {
    String suffix = account.toString().replace("-", "");
    try (Connection db = connect();
        Statement sql = db.createStatement()) {
      sql.execute("CREATE SEQUENCE crash_" + suffix);
      sql.execute(
          """
          CREATE FUNCTION crash_%1$s() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
              IF NEW.status = 'COMPLETED' AND NEW.account_id = '%2$s'
                 AND nextval('crash_%1$s') = 1 THEN
                  RAISE EXCEPTION 'simulated crash before commit';
              END IF;
              RETURN NEW;
          END $$"""
              .formatted(suffix, account));
      sql.execute(
          "CREATE TRIGGER crash_"
              + suffix
              + " BEFORE UPDATE ON withdrawal FOR EACH ROW"
              + " EXECUTE FUNCTION crash_"
              + suffix
              + "()");
    }
    try {
      UUID id = withdrawals.accepted(alice, account, AMOUNT, "EUR", WithdrawalClient.IBAN);

      JsonNode done = withdrawals.await(alice, id, SETTLE_TIMEOUT, "COMPLETED", "FAILED");

      assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
      assertThat(provider.posts(id)).as("one payout order, never a second").isEqualTo(1);
      assertThat(provider.gets(id)).as("recovery asked for the payout by id").isPositive();
      assertThat(done.get("externalReference").asString())
          .isEqualTo(provider.payout(id).reference());
      assertMoneyLeftOnce(List.of(id));
    } finally {
      try (Connection db = connect();
          Statement sql = db.createStatement()) {
        sql.execute("DROP TRIGGER crash_" + suffix + " ON withdrawal");
        sql.execute("DROP FUNCTION crash_" + suffix + "()");
        sql.execute("DROP SEQUENCE crash_" + suffix);
      }
    }
  }

  /**
   * Each withdrawal left the payer once: one DEBIT entry per withdrawal and nothing returned, one
   * PAID record at the provider, and the ledger sums to zero.
   */
  private void assertMoneyLeftOnce(List<UUID> ids) {
    assertThat(client.balance(alice, account)).isEqualTo(FUNDS - ids.size() * AMOUNT);
    List<JsonNode> entries =
        client
            .get(alice, "/api/v1/accounts/" + account + "/transactions?limit=100")
            .get("items")
            .valueStream()
            .toList();
    for (UUID id : ids) {
      assertThat(
              entries.stream()
                  .filter(entry -> entry.get("transferId").asString().equals(id.toString()))
                  .map(entry -> entry.get("direction").asString()))
          .as("entries of withdrawal %s", id)
          .containsExactly("DEBIT");
      assertThat(provider.payout(id).status()).isEqualTo("PAID");
      assertThat(provider.payout(id).amount()).isEqualTo(AMOUNT);
    }
    assertLedgerBalanced(client, ops);
  }

  private void awaitBreakerNot(CircuitBreaker.State unwanted) {
    Eventually.await(
        BREAKER_TIMEOUT,
        "the breaker to leave " + unwanted,
        gateway.breaker()::getState,
        state -> state != unwanted);
  }

  private void awaitNotPermittedCallsAbove(long count) {
    Eventually.await(
        BREAKER_TIMEOUT,
        "the open breaker to refuse a call",
        () -> gateway.breaker().getMetrics().getNumberOfNotPermittedCalls() > count);
  }

  private void awaitBreaker(CircuitBreaker.State wanted) {
    Eventually.await(
        BREAKER_TIMEOUT,
        "the breaker to be " + wanted,
        gateway.breaker()::getState,
        state -> state == wanted);
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        TestDatabase.jdbcUrl(),
        env("PAYSTREAM_TEST_PG_USER", "postgres"),
        env("PAYSTREAM_TEST_PG_PASSWORD", ""));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
