package io.paystream.api.money;

import static io.paystream.api.testing.MoneyAssertions.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.Parties;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import io.paystream.persistence.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * CONTRACT.md, Money movement: "A transfer whose credit cannot be applied (recipient frozen or
 * closed after the debit) ends FAILED with failureReason, and the debit is refunded."
 *
 * <p>The race is made deterministic with the database's own locking instead of timing: a JDBC
 * transaction changes the payee's status (the same UPDATE that the OPS freeze and the owner's close
 * run) and keeps it uncommitted while the transfer is accepted. The accept reads the payee without
 * locking it, so it sees the committed ACTIVE status and debits the payer; the credit leg's
 * conditional UPDATE of the payee then either waits for the status change and re-checks it, or runs
 * after the commit. Either way the status changed after the debit.
 */
class CreditRefundIntegrationTest extends ApiIntegrationTest {

  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

  /** How long the credit leg may take to reach the payee's row before the test gives up. */
  private static final Duration CREDIT_LEG_ARRIVAL_TIMEOUT = Duration.ofSeconds(15);

  private static final long FUNDS = 10_000;
  private static final long AMOUNT = 2_500;

  @Test
  void aCreditBlockedBehindAFreezeOfThePayeeFailsAndRefundsThePayerInFull() throws Exception {
    Parties p = parties();
    UUID transfer;
    try (Connection db = connect()) {
      db.setAutoCommit(false);
      setStatusUncommitted(db, p.bobAccount(), "FROZEN");

      transfer =
          client.acceptedTransfer(p.alice(), p.aliceAccount(), p.bobAccount(), AMOUNT, "EUR");
      assertThat(client.balance(p.alice(), p.aliceAccount()))
          .as("debit committed before the 202")
          .isEqualTo(FUNDS - AMOUNT);
      awaitCreditLegWaitingForPayeeRow(db);

      db.commit();
    }

    assertRefunded(p, transfer, "frozen");
    assertThat(client.account(p.bob(), p.bobAccount()).get("status").asString())
        .isEqualTo("FROZEN");
  }

  @Test
  void aCreditToAPayeeClosedAfterTheDebitFailsAndRefundsThePayerInFull() throws Exception {
    Parties p = parties();
    UUID transfer;
    try (Connection db = connect()) {
      db.setAutoCommit(false);
      setStatusUncommitted(db, p.bobAccount(), "CLOSED");

      transfer =
          client.acceptedTransfer(p.alice(), p.aliceAccount(), p.bobAccount(), AMOUNT, "EUR");

      db.commit();
    }

    assertRefunded(p, transfer, "closed");
    assertThat(client.account(p.bob(), p.bobAccount()).get("status").asString())
        .isEqualTo("CLOSED");
  }

  @Test
  void aFailedTransferStaysFailedWhenThePayeeIsUnfrozenLater() throws Exception {
    Parties p = parties();
    UUID transfer;
    try (Connection db = connect()) {
      db.setAutoCommit(false);
      setStatusUncommitted(db, p.bobAccount(), "FROZEN");
      transfer =
          client.acceptedTransfer(p.alice(), p.aliceAccount(), p.bobAccount(), AMOUNT, "EUR");
      db.commit();
    }
    JsonNode failed = client.awaitTerminal(p.alice(), transfer, SETTLE_TIMEOUT);
    assertThat(failed.get("status").asString()).isEqualTo("FAILED");

    User ops = sharedOps;
    http.post()
        .uri("/api/v1/accounts/{id}/unfreeze", p.bobAccount())
        .headers(h -> h.setBearerAuth(ops.token()))
        .exchange()
        .expectStatus()
        .isOk();
    // A later transfer to the same payee is credited, and proves the credit leg has moved on.
    UUID later = client.acceptedTransfer(p.alice(), p.aliceAccount(), p.bobAccount(), 100, "EUR");
    assertThat(client.awaitTerminal(p.alice(), later, SETTLE_TIMEOUT).get("status").asString())
        .isEqualTo("COMPLETED");

    JsonNode after = client.getTransfer(p.alice(), transfer);
    assertThat(after.get("status").asString()).isEqualTo("FAILED");
    assertThat(after.get("updatedAt").asString()).isEqualTo(failed.get("updatedAt").asString());
    assertThat(client.balance(p.alice(), p.aliceAccount())).isEqualTo(FUNDS - 100);
    assertThat(client.balance(p.bob(), p.bobAccount())).isEqualTo(100);
    assertLedgerBalanced(client, ops);
  }

  // --- assertions -----------------------------------------------------------------------------

  private void assertRefunded(Parties p, UUID transfer, String payeeState) {
    JsonNode failed = client.awaitTerminal(p.alice(), transfer, SETTLE_TIMEOUT);
    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    assertThat(failed.get("failureReason").isString()).as("failureReason of %s", failed).isTrue();
    assertThat(failed.get("failureReason").asString()).containsIgnoringCase(payeeState);
    assertThat(failed.get("amount").asLong()).isEqualTo(AMOUNT);
    assertThat(client.getTransfer(p.bob(), transfer).get("status").asString()).isEqualTo("FAILED");

    assertThat(client.balance(p.alice(), p.aliceAccount()))
        .as("payer refunded in full")
        .isEqualTo(FUNDS);
    assertThat(client.balance(p.bob(), p.bobAccount())).as("payee never credited").isZero();
    List<JsonNode> payerEntries = entriesOf(p.alice(), p.aliceAccount(), transfer);
    assertThat(payerEntries)
        .extracting(e -> e.get("direction").asString())
        .containsExactly("CREDIT", "DEBIT");
    assertThat(payerEntries)
        .extracting(e -> e.get("amount").asLong())
        .containsExactly(AMOUNT, AMOUNT);
    assertThat(payerEntries.get(0).get("balanceAfter").asLong()).isEqualTo(FUNDS);
    assertThat(entriesOf(p.bob(), p.bobAccount(), transfer)).isEmpty();
    assertLedgerBalanced(client, sharedOps);
  }

  /** The account's entries caused by one movement, newest first. */
  private List<JsonNode> entriesOf(User owner, UUID account, UUID movement) {
    return client
        .get(owner, "/api/v1/accounts/" + account + "/transactions?limit=100")
        .get("items")
        .valueStream()
        .filter(entry -> entry.get("transferId").asString().equals(movement.toString()))
        .toList();
  }

  // --- fixtures -------------------------------------------------------------------------------

  /** Alice and Bob, shared by the tests of this class; fresh accounts for each test. */
  private static final Parties.Customers customers = new Parties.Customers();

  /** OPS, logged in once for the tests of this class (logging in is slow by design). */
  private static User sharedOps;

  @BeforeEach
  void logInOpsOnce() {
    if (sharedOps == null) {
      sharedOps = client.ops();
    }
  }

  private Parties parties() {
    return customers.open(client, "EUR", FUNDS);
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        TestDatabase.jdbcUrl(),
        env("PAYSTREAM_TEST_PG_USER", "postgres"),
        env("PAYSTREAM_TEST_PG_PASSWORD", ""));
  }

  /** The statement AccountStore.changeStatus runs, left uncommitted: it holds the row lock. */
  static void setStatusUncommitted(Connection db, UUID account, String status) throws SQLException {
    try (PreparedStatement update =
        db.prepareStatement(
            "UPDATE account SET status = ? WHERE id = ? AND kind = 'CUSTOMER' AND status = 'ACTIVE'")) {
      update.setString(1, status);
      update.setObject(2, account);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  /**
   * Waits until a transaction waits for a row lock held by {@code db} while locking the payee's row
   * (the credit leg locks its payees before it decides): the credit has started and must decide
   * after the freeze commits.
   */
  private static void awaitCreditLegWaitingForPayeeRow(Connection db) throws SQLException {
    try (Connection observer = connect();
        PreparedStatement waiting =
            observer.prepareStatement(
                """
             SELECT count(*) FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'
                AND ? = ANY (pg_blocking_pids(pid))
                AND query LIKE '%FOR NO KEY UPDATE%'""")) {
      waiting.setInt(1, backendPid(db));
      Eventually.await(
          CREDIT_LEG_ARRIVAL_TIMEOUT,
          "the credit leg to wait for the payee's row",
          () -> count(waiting) > 0);
    }
  }

  private static long count(PreparedStatement query) {
    try (ResultSet rows = query.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int backendPid(Connection db) throws SQLException {
    try (PreparedStatement pid = db.prepareStatement("SELECT pg_backend_pid()");
        ResultSet rows = pid.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
