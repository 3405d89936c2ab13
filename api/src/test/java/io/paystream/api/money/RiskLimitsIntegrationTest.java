package io.paystream.api.money;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * Risk limits are named policies: a breach is 422 {@code limit_exceeded} whose problem body names
 * the limit, nothing moves, and the audit trail records the hit. ApiIntegrationTest configures CHF
 * 500.00 per transfer, SEK 1000.00 per day and 3 NOK transfers per minute.
 */
class RiskLimitsIntegrationTest extends ApiIntegrationTest {

  private static final int NOK_VELOCITY_PER_MINUTE = 3;

  @Test
  void theTransferAfterTheVelocityLimitIsRefusedAndNamesTheLimit() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "NOK");
    UUID to = client.openAccount(alice, "NOK");
    client.deposit(alice, from, 10_000, "NOK");
    for (int i = 0; i < NOK_VELOCITY_PER_MINUTE; i++) {
      client.acceptedTransfer(alice, from, to, 100, "NOK");
    }

    EntityExchangeResult<byte[]> refused =
        client.transfer(alice, UUID.randomUUID().toString(), from, to, 100, "NOK");

    JsonNode problem = assertProblem(refused, HttpStatus.UNPROCESSABLE_CONTENT, "limit_exceeded");
    assertThat(problem.get("limit").asString()).isEqualTo("velocity_per_minute");
    assertThat(client.balance(alice, from)).isEqualTo(10_000 - NOK_VELOCITY_PER_MINUTE * 100);
  }

  @Test
  void theVelocityLimitCountsPerAccount() {
    User alice = client.newCustomer();
    UUID busy = client.openAccount(alice, "NOK");
    UUID quiet = client.openAccount(alice, "NOK");
    UUID to = client.openAccount(alice, "NOK");
    client.deposit(alice, busy, 10_000, "NOK");
    client.deposit(alice, quiet, 10_000, "NOK");
    for (int i = 0; i < NOK_VELOCITY_PER_MINUTE; i++) {
      client.acceptedTransfer(alice, busy, to, 100, "NOK");
    }

    client.acceptedTransfer(alice, quiet, to, 100, "NOK");
    JsonNode busyRefused =
        assertProblem(
            client.transfer(alice, UUID.randomUUID().toString(), busy, to, 100, "NOK"),
            HttpStatus.UNPROCESSABLE_CONTENT,
            "limit_exceeded");
    assertThat(busyRefused.get("limit").asString()).isEqualTo("velocity_per_minute");
  }

  // --- withdrawals obey the same policies, counted with transfers as outgoing payments -----

  @Test
  void aWithdrawalAboveThePerTransferMaximumNamesThatLimit() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "CHF");
    client.deposit(alice, from, 100_000, "CHF");

    JsonNode problem =
        assertProblem(
            withdraw(alice, from, 50_001, "CHF"),
            HttpStatus.UNPROCESSABLE_CONTENT,
            "limit_exceeded");

    assertThat(problem.get("limit").asString()).isEqualTo("per_transfer_max");
    assertThat(problem.get("detail").asString()).contains("per-transfer limit");
    assertThat(client.balance(alice, from)).isEqualTo(100_000);
  }

  @Test
  void aWithdrawalBeyondTheDailyTotalOfTransfersAndWithdrawalsNamesThatLimit() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "SEK");
    UUID to = client.openAccount(alice, "SEK");
    client.deposit(alice, from, 200_000, "SEK");
    client.acceptedTransfer(alice, from, to, 60_000, "SEK");
    assertThat(withdraw(alice, from, 30_000, "SEK").getStatus()).isEqualTo(HttpStatus.ACCEPTED);

    JsonNode refusedWithdrawal =
        assertProblem(
            withdraw(alice, from, 10_001, "SEK"),
            HttpStatus.UNPROCESSABLE_CONTENT,
            "limit_exceeded");
    JsonNode refusedTransfer =
        assertProblem(
            client.transfer(alice, UUID.randomUUID().toString(), from, to, 10_001, "SEK"),
            HttpStatus.UNPROCESSABLE_CONTENT,
            "limit_exceeded");

    assertThat(refusedWithdrawal.get("limit").asString()).isEqualTo("daily_outgoing_max");
    assertThat(refusedTransfer.get("limit").asString()).isEqualTo("daily_outgoing_max");
    assertThat(client.balance(alice, from)).isEqualTo(110_000);
  }

  @Test
  void withdrawalsCountTowardsTheVelocityLimit() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "NOK");
    UUID to = client.openAccount(alice, "NOK");
    client.deposit(alice, from, 10_000, "NOK");
    for (int i = 0; i < NOK_VELOCITY_PER_MINUTE; i++) {
      assertThat(withdraw(alice, from, 100, "NOK").getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    }

    JsonNode transfer =
        assertProblem(
            client.transfer(alice, UUID.randomUUID().toString(), from, to, 100, "NOK"),
            HttpStatus.UNPROCESSABLE_CONTENT,
            "limit_exceeded");
    JsonNode withdrawal =
        assertProblem(
            withdraw(alice, from, 100, "NOK"), HttpStatus.UNPROCESSABLE_CONTENT, "limit_exceeded");

    assertThat(transfer.get("limit").asString()).isEqualTo("velocity_per_minute");
    assertThat(withdrawal.get("limit").asString()).isEqualTo("velocity_per_minute");
  }

  private EntityExchangeResult<byte[]> withdraw(User user, UUID account, long amount, String ccy) {
    return http.post()
        .uri("/api/v1/withdrawals")
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
        .bodyValue(
            java.util.Map.of(
                "accountId",
                account.toString(),
                "amount",
                amount,
                "currency",
                ccy,
                "destination",
                "DE89370400440532013000"))
        .exchange()
        .expectBody()
        .returnResult();
  }

  @Test
  void aTransferAboveThePerTransferMaximumNamesThatLimit() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "CHF");
    UUID to = client.openAccount(alice, "CHF");
    client.deposit(alice, from, 100_000, "CHF");

    JsonNode problem =
        assertProblem(
            client.transfer(alice, UUID.randomUUID().toString(), from, to, 50_001, "CHF"),
            HttpStatus.UNPROCESSABLE_CONTENT,
            "limit_exceeded");

    assertThat(problem.get("limit").asString()).isEqualTo("per_transfer_max");
    assertThat(client.balance(alice, from)).isEqualTo(100_000);
  }

  @Test
  void aTransferBeyondTheDailyTotalNamesThatLimit() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "SEK");
    UUID to = client.openAccount(alice, "SEK");
    client.deposit(alice, from, 200_000, "SEK");
    client.acceptedTransfer(alice, from, to, 90_000, "SEK");

    JsonNode problem =
        assertProblem(
            client.transfer(alice, UUID.randomUUID().toString(), from, to, 10_001, "SEK"),
            HttpStatus.UNPROCESSABLE_CONTENT,
            "limit_exceeded");

    assertThat(problem.get("limit").asString()).isEqualTo("daily_outgoing_max");
    assertThat(client.balance(alice, from)).isEqualTo(110_000);
  }

  @Test
  void aLimitHitIsInTheAuditTrailWithTheLimitName() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "CHF");
    UUID to = client.openAccount(alice, "CHF");
    client.deposit(alice, from, 100_000, "CHF");
    client.transfer(alice, UUID.randomUUID().toString(), from, to, 60_000, "CHF");

    JsonNode page =
        client.get(
            client.ops(), "/api/v1/ops/audit?userId=" + alice.id() + "&type=limit.risk_exceeded");

    assertThat(page.get("items")).hasSize(1);
    JsonNode metadata = page.get("items").get(0).get("metadata");
    assertThat(metadata.get("limit").asString()).isEqualTo("per_transfer_max");
    assertThat(metadata.get("amount").asLong()).isEqualTo(60_000);
    assertThat(metadata.get("fromAccountId").asString()).isEqualTo(from.toString());
  }

  @Test
  void aWithdrawalsLimitHitIsInTheAuditTrailWithTheLimitName() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "CHF");
    client.deposit(alice, from, 100_000, "CHF");
    withdraw(alice, from, 60_000, "CHF");

    JsonNode page =
        client.get(
            client.ops(), "/api/v1/ops/audit?userId=" + alice.id() + "&type=limit.risk_exceeded");

    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("items").get(0).get("metadata").get("limit").asString())
        .isEqualTo("per_transfer_max");
  }

  @Test
  void aRefusalReplayedWithTheSameKeyStillNamesTheLimit() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "CHF");
    UUID to = client.openAccount(alice, "CHF");
    client.deposit(alice, from, 100_000, "CHF");
    String key = UUID.randomUUID().toString();
    client.transfer(alice, key, from, to, 60_000, "CHF");

    EntityExchangeResult<byte[]> replay = client.transfer(alice, key, from, to, 60_000, "CHF");

    JsonNode problem = assertProblem(replay, HttpStatus.UNPROCESSABLE_CONTENT, "limit_exceeded");
    assertThat(problem.get("limit").asString()).isEqualTo("per_transfer_max");
    assertThat(replay.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(PaystreamClient.json(replay).has("limit")).isTrue();
  }
}
