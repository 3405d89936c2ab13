package io.paystream.api.withdrawal;

import static io.paystream.api.testing.MoneyAssertions.assertLedgerBalanced;
import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.MoneyAssertions;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.api.testing.TestPayoutProvider;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.tools.payoutsimulator.PayoutProviderSimulator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/** CONTRACT.md, Money movement: withdrawals, with a healthy or refusing provider. */
class WithdrawalIntegrationTest extends ApiIntegrationTest {

  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);
  private static final long FUNDS = 10_000;
  private static final long AMOUNT = 2_500;

  private static User sharedAlice;
  private static User sharedBob;
  private static User sharedOps;

  private WithdrawalClient withdrawals;
  private final PayoutProviderSimulator provider = TestPayoutProvider.get();

  @BeforeEach
  void setUp() {
    withdrawals = new WithdrawalClient(http, client);
    if (sharedAlice == null) {
      sharedAlice = client.newCustomer();
      sharedBob = client.newCustomer();
      sharedOps = client.ops();
    }
  }

  private UUID fundedAccount(User owner) {
    UUID account = client.openAccount(owner, "EUR");
    client.deposit(owner, account, FUNDS, "EUR");
    return account;
  }

  @Test
  void aWithdrawalIsDebitedAtOnceThenPaidOutOnceAndCompletesWithTheProviderReference() {
    UUID account = fundedAccount(sharedAlice);
    EntityExchangeResult<byte[]> accepted =
        withdrawals.withdraw(
            sharedAlice,
            UUID.randomUUID().toString(),
            account,
            AMOUNT,
            "EUR",
            "de89 3704 0044 0532 0130 00");

    assertThat(accepted.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    JsonNode pending = PaystreamClient.json(accepted);
    UUID id = UUID.fromString(pending.get("id").asString());
    assertThat(accepted.getResponseHeaders().getLocation())
        .hasToString("/api/v1/withdrawals/" + id);
    assertThat(pending.get("status").asString()).isEqualTo("PENDING");
    assertThat(pending.get("destination").asString()).isEqualTo(WithdrawalClient.MASKED_IBAN);
    assertThat(pending.get("accountId").asString()).isEqualTo(account.toString());
    assertThat(pending.get("amount").asLong()).isEqualTo(AMOUNT);
    assertThat(pending.get("currency").asString()).isEqualTo("EUR");
    assertThat(pending.get("externalReference").isNull()).isTrue();
    assertThat(pending.get("failureReason").isNull()).isTrue();
    assertThat(client.balance(sharedAlice, account))
        .as("debit committed before the 202")
        .isEqualTo(FUNDS - AMOUNT);

    JsonNode completed = withdrawals.await(sharedAlice, id, SETTLE_TIMEOUT, "COMPLETED", "FAILED");
    assertThat(completed.get("status").asString()).isEqualTo("COMPLETED");
    PayoutProviderSimulator.Payout payout = provider.payout(id);
    assertThat(payout).as("the provider's record of the payout").isNotNull();
    assertThat(completed.get("externalReference").asString()).isEqualTo(payout.reference());
    assertThat(payout.destination())
        .as("the provider gets the whole IBAN")
        .isEqualTo(WithdrawalClient.IBAN);
    assertThat(payout.amount()).isEqualTo(AMOUNT);
    assertThat(payout.currency()).isEqualTo("EUR");
    assertThat(provider.posts(id)).isEqualTo(1);
    assertThat(client.balance(sharedAlice, account)).isEqualTo(FUNDS - AMOUNT);
    assertLedgerBalanced(client, sharedOps);
  }

  @Test
  void aDestinationTheProviderRefusesEndsFailedWithTheMoneyBackInFull() {
    String closed = "GB82WEST12345698765432";
    provider.refuse(closed);
    UUID account = fundedAccount(sharedAlice);
    UUID id = withdrawals.accepted(sharedAlice, account, AMOUNT, "EUR", closed);

    JsonNode failed = withdrawals.await(sharedAlice, id, SETTLE_TIMEOUT, "COMPLETED", "FAILED");

    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    assertThat(failed.get("failureReason").asString()).contains("destination account closed");
    assertThat(failed.get("externalReference").isNull()).isTrue();
    assertThat(client.balance(sharedAlice, account)).as("refunded in full").isEqualTo(FUNDS);
    List<String> directions =
        client
            .get(sharedAlice, "/api/v1/accounts/" + account + "/transactions?limit=100")
            .get("items")
            .valueStream()
            .filter(entry -> entry.get("transferId").asString().equals(id.toString()))
            .map(entry -> entry.get("direction").asString())
            .toList();
    assertThat(directions).containsExactly("CREDIT", "DEBIT");
    assertLedgerBalanced(client, sharedOps);
  }

  @Test
  void theSameIdempotencyKeyAndBodyReplaysTheAnswerAndWithdrawsOnlyOnce() {
    UUID account = fundedAccount(sharedAlice);
    String key = UUID.randomUUID().toString();
    EntityExchangeResult<byte[]> first =
        withdrawals.withdraw(sharedAlice, key, account, AMOUNT, "EUR", WithdrawalClient.IBAN);
    EntityExchangeResult<byte[]> again =
        withdrawals.withdraw(sharedAlice, key, account, AMOUNT, "EUR", WithdrawalClient.IBAN);

    assertThat(again.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.getResponseBodyContent()).isEqualTo(first.getResponseBodyContent());
    assertThat(client.balance(sharedAlice, account)).isEqualTo(FUNDS - AMOUNT);

    EntityExchangeResult<byte[]> otherBody =
        withdrawals.withdraw(sharedAlice, key, account, AMOUNT + 1, "EUR", WithdrawalClient.IBAN);
    assertProblem(otherBody, HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused");
    UUID id = UUID.fromString(PaystreamClient.json(first).get("id").asString());
    withdrawals.await(sharedAlice, id, SETTLE_TIMEOUT, "COMPLETED");
    assertLedgerBalanced(client, sharedOps);
  }

  @Test
  void aDestinationWithABadChecksumOrShapeIsAValidationFailureAndMovesNothing() {
    UUID account = fundedAccount(sharedAlice);
    MoneyAssertions.Snapshot before =
        MoneyAssertions.snapshot(client).of(sharedAlice, account).take();
    for (String bad : List.of("DE89370400440532013001", "not an iban", "", "DE89")) {
      EntityExchangeResult<byte[]> refused =
          withdrawals.withdraw(
              sharedAlice, UUID.randomUUID().toString(), account, AMOUNT, "EUR", bad);
      assertThat(errorFields(assertProblem(refused, HttpStatus.BAD_REQUEST, "validation_failed")))
          .containsExactly("destination");
    }
    before.assertUnchanged();
  }

  @Test
  void aWithdrawalRefusedForFundsCurrencyOrKeyMovesNothing() {
    UUID account = fundedAccount(sharedAlice);
    MoneyAssertions.Snapshot before =
        MoneyAssertions.snapshot(client).of(sharedAlice, account).take();

    assertProblem(
        withdrawals.withdraw(
            sharedAlice,
            UUID.randomUUID().toString(),
            account,
            FUNDS + 1,
            "EUR",
            WithdrawalClient.IBAN),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "insufficient_funds");
    assertProblem(
        withdrawals.withdraw(
            sharedAlice,
            UUID.randomUUID().toString(),
            account,
            AMOUNT,
            "USD",
            WithdrawalClient.IBAN),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "currency_mismatch");
    assertProblem(
        withdrawals.withdraw(
            sharedAlice, UUID.randomUUID().toString(), account, 0, "EUR", WithdrawalClient.IBAN),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "amount_out_of_range");
    assertProblem(
        withdrawals.withdraw(
            sharedBob, UUID.randomUUID().toString(), account, AMOUNT, "EUR", WithdrawalClient.IBAN),
        HttpStatus.NOT_FOUND,
        "account_not_found");
    assertProblem(
        http.post()
            .uri("/api/v1/withdrawals")
            .headers(h -> h.setBearerAuth(sharedAlice.token()))
            .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
            .bodyValue(
                java.util.Map.of(
                    "accountId",
                    account.toString(),
                    "amount",
                    AMOUNT,
                    "currency",
                    "EUR",
                    "destination",
                    WithdrawalClient.IBAN))
            .exchange()
            .expectBody()
            .returnResult(),
        HttpStatus.BAD_REQUEST,
        "idempotency_key_missing");

    before.assertUnchanged();
  }

  @Test
  void anotherCustomerCannotSeeAWithdrawalButOpsCan() {
    UUID account = fundedAccount(sharedAlice);
    UUID id = withdrawals.accepted(sharedAlice, account, AMOUNT, "EUR", WithdrawalClient.IBAN);

    assertProblem(
        http.get()
            .uri("/api/v1/withdrawals/{id}", id)
            .headers(h -> h.setBearerAuth(sharedBob.token()))
            .exchange()
            .expectBody()
            .returnResult(),
        HttpStatus.NOT_FOUND,
        "withdrawal_not_found");
    assertThat(withdrawals.get(sharedOps, id).get("id").asString()).isEqualTo(id.toString());
    withdrawals.await(sharedAlice, id, SETTLE_TIMEOUT, "COMPLETED");
  }

  @Test
  void theDestinationIsStoredOnlyEncryptedAndMasked() throws Exception {
    UUID account = fundedAccount(sharedAlice);
    UUID id = withdrawals.accepted(sharedAlice, account, AMOUNT, "EUR", WithdrawalClient.IBAN);

    try (Connection db =
            DriverManager.getConnection(
                TestDatabase.jdbcUrl(),
                env("PAYSTREAM_TEST_PG_USER", "postgres"),
                env("PAYSTREAM_TEST_PG_PASSWORD", ""));
        PreparedStatement select =
            db.prepareStatement(
                """
             SELECT w::text AS whole_row, destination_masked,
                    (SELECT string_agg(response_body, '') FROM idempotency_record) AS answers
               FROM withdrawal w WHERE id = ?""")) {
      select.setObject(1, id);
      try (ResultSet row = select.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getString("destination_masked")).isEqualTo(WithdrawalClient.MASKED_IBAN);
        // bytea renders as hex in the row's text; the IBAN's digits must not appear in clear.
        assertThat(row.getString("whole_row"))
            .doesNotContain("0532013000")
            .doesNotContain(hex(WithdrawalClient.IBAN));
        assertThat(row.getString("answers")).doesNotContain(WithdrawalClient.IBAN);
      }
    }
    withdrawals.await(sharedAlice, id, SETTLE_TIMEOUT, "COMPLETED");
  }

  @Test
  void theOpenApiDocumentDescribesWithdrawalsWebhooksAndDeadLetters() {
    JsonNode document =
        PaystreamClient.json(
            http.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult());
    JsonNode paths = document.get("paths");
    assertThat(paths.propertyNames())
        .contains(
            "/api/v1/withdrawals",
            "/api/v1/withdrawals/{id}",
            "/api/v1/webhooks",
            "/api/v1/webhooks/{id}",
            "/api/v1/ops/dead-letters",
            "/api/v1/ops/dead-letters/{id}/replay");
    JsonNode post = paths.get("/api/v1/withdrawals").get("post");
    assertThat(post.get("responses").has("202")).isTrue();
    assertThat(
            post.get("parameters")
                .valueStream()
                .anyMatch(
                    p ->
                        "Idempotency-Key".equals(p.get("name").asString())
                            && p.get("required").asBoolean()))
        .isTrue();
    assertThat(paths.get("/api/v1/ops/dead-letters").get("get").get("responses").has("403"))
        .isTrue();
  }

  private static String hex(String text) {
    return java.util.HexFormat.of()
        .formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
