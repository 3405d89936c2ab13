package io.paystream.api.money;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.MoneyAssertions.Snapshot;
import io.paystream.api.testing.Parties;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * CONTRACT.md, Money movement: every rejection is decided before anything moves. Each test asserts
 * the status, the stable code, problem+json, and that no balance or ledger entry changed.
 */
class TransferRejectionsIntegrationTest extends ApiIntegrationTest {

  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

  /** The contract's ceiling for one amount: 10^15 minor units. */
  private static final long AMOUNT_MAX = 1_000_000_000_000_000L;

  /** ApiIntegrationTest configures these limits. */
  private static final long CHF_TRANSFER_MAX = 50_000;

  private static final long SEK_DAILY_OUTGOING_MAX = 100_000;

  /** Requests released at once against one payer; more than two cores can run in parallel. */
  private static final int CONCURRENT_REQUESTS = 8;

  @Test
  void aTransferLargerThanTheBalanceIsRefusedWithInsufficientFunds() {
    Parties p = parties("EUR", 1_000);
    Snapshot before = p.snapshot(client);

    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), p.bobAccount(), 1_001, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "insufficient_funds");
    assertProblem(
        client.transfer(p.bob(), key(), p.bobAccount(), p.aliceAccount(), 1, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "insufficient_funds");

    before.assertUnchanged();
    // The whole balance, to the last minor unit, is spendable.
    client.acceptedTransfer(p.alice(), p.aliceAccount(), p.bobAccount(), 1_000, "EUR");
    assertThat(client.balance(p.alice(), p.aliceAccount())).isZero();
  }

  @Test
  void concurrentTransfersCannotSpendTheSameMoneyTwice() {
    Parties p = parties("EUR", 1_000);

    List<Integer> statuses =
        concurrently(
            CONCURRENT_REQUESTS,
            "insufficient_funds",
            () -> client.transfer(p.alice(), key(), p.aliceAccount(), p.bobAccount(), 400, "EUR"));

    assertThat(statuses)
        .as("statuses %s", statuses)
        .containsOnly(202, 422)
        .filteredOn(status -> status == 202)
        .hasSize(2);
    assertThat(client.balance(p.alice(), p.aliceAccount())).isEqualTo(200);
  }

  @Test
  void concurrentSekTransfersCannotTogetherExceedTheDailyMaximum() {
    Parties p = parties("SEK", 2 * SEK_DAILY_OUTGOING_MAX);

    List<Integer> statuses =
        concurrently(
            CONCURRENT_REQUESTS,
            "limit_exceeded",
            () ->
                client.transfer(p.alice(), key(), p.aliceAccount(), p.bobAccount(), 30_000, "SEK"));

    assertThat(statuses)
        .as("statuses %s", statuses)
        .containsOnly(202, 422)
        .filteredOn(status -> status == 202)
        .hasSize(3);
    assertThat(client.balance(p.alice(), p.aliceAccount()))
        .isEqualTo(2 * SEK_DAILY_OUTGOING_MAX - 90_000);
  }

  @Test
  void aTransferFromAnAccountFrozenByOpsIsRefusedWithAccountNotActive() {
    Parties p = parties("EUR", 1_000);
    User ops = sharedOps;
    assertThat(changeStatus(ops, p.aliceAccount(), "freeze").get("status").asString())
        .isEqualTo("FROZEN");
    Snapshot before = p.snapshot(client);

    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), p.bobAccount(), 100, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "account_not_active");

    before.assertUnchanged();
    changeStatus(ops, p.aliceAccount(), "unfreeze");
    client.acceptedTransfer(p.alice(), p.aliceAccount(), p.bobAccount(), 100, "EUR");
  }

  @Test
  void aTransferToAnAccountFrozenAtAcceptTimeIsRefusedWithAccountNotActive() {
    Parties p = parties("EUR", 1_000);
    changeStatus(sharedOps, p.bobAccount(), "freeze");
    Snapshot before = p.snapshot(client);

    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), p.bobAccount(), 100, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "account_not_active");

    before.assertUnchanged();
  }

  @Test
  void aTransferToAClosedAccountIsRefusedWithAccountNotActive() {
    Parties p = parties("EUR", 1_000);
    assertThat(changeStatus(p.bob(), p.bobAccount(), "close").get("status").asString())
        .isEqualTo("CLOSED");
    Snapshot before = p.snapshot(client);

    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), p.bobAccount(), 100, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "account_not_active");

    before.assertUnchanged();
  }

  @Test
  void aTransferInAnotherCurrencyThanEitherAccountIsRefusedWithCurrencyMismatch() {
    Parties p = parties("EUR", 1_000);
    UUID aliceUsd = client.openAccount(p.alice(), "USD");
    UUID bobUsd = client.openAccount(p.bob(), "USD");
    client.deposit(p.alice(), aliceUsd, 1_000, "USD");
    Snapshot before = p.snapshotWith(client, aliceUsd, bobUsd);

    // EUR from a USD account to a EUR account.
    assertProblem(
        client.transfer(p.alice(), key(), aliceUsd, p.bobAccount(), 100, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "currency_mismatch");
    // From a EUR account to a USD account, in either currency.
    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), bobUsd, 100, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "currency_mismatch");
    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), bobUsd, 100, "USD"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "currency_mismatch");
    // Both accounts in EUR, amount in USD.
    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), p.bobAccount(), 100, "USD"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "currency_mismatch");

    before.assertUnchanged();
  }

  @Test
  void aTransferToTheSameAccountIsRefusedWithSameAccount() {
    Parties p = parties("EUR", 1_000);
    Snapshot before = p.snapshot(client);

    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), p.aliceAccount(), 100, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "same_account");

    before.assertUnchanged();
  }

  @ParameterizedTest(name = "amount {0}")
  @ValueSource(longs = {0, -1, AMOUNT_MAX + 1, Long.MIN_VALUE, Long.MAX_VALUE})
  void anAmountOutsideOneToTenToTheFifteenIsRefusedWithAmountOutOfRange(long amount) {
    Parties p = parties("EUR", 1_000);
    Snapshot before = p.snapshot(client);

    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), p.bobAccount(), amount, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "amount_out_of_range");
    assertProblem(
        deposit(p.alice(), p.aliceAccount(), amount, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "amount_out_of_range");

    before.assertUnchanged();
  }

  @Test
  void theBoundsOfTheAmountRangeAreThemselvesInRange() {
    Parties p = parties("EUR", 1_000);

    // 10^15 is a valid amount: the only reason to refuse it here is the balance.
    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), p.bobAccount(), AMOUNT_MAX, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "insufficient_funds");
    UUID one = client.acceptedTransfer(p.alice(), p.aliceAccount(), p.bobAccount(), 1, "EUR");

    assertThat(client.awaitTerminal(p.alice(), one, SETTLE_TIMEOUT).get("status").asString())
        .isEqualTo("COMPLETED");
    assertThat(client.balance(p.bob(), p.bobAccount())).isEqualTo(1);
  }

  @Test
  void aChfTransferAboveTheConfiguredPerTransferMaximumIsRefusedWithLimitExceeded() {
    Parties p = parties("CHF", 2 * CHF_TRANSFER_MAX);
    Snapshot before = p.snapshot(client);

    assertProblem(
        client.transfer(
            p.alice(), key(), p.aliceAccount(), p.bobAccount(), CHF_TRANSFER_MAX + 1, "CHF"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "limit_exceeded");

    before.assertUnchanged();
    client.acceptedTransfer(p.alice(), p.aliceAccount(), p.bobAccount(), CHF_TRANSFER_MAX, "CHF");
    assertThat(client.balance(p.alice(), p.aliceAccount())).isEqualTo(CHF_TRANSFER_MAX);
  }

  @Test
  void sekTransfersBeyondTheConfiguredDailyOutgoingMaximumAreRefusedWithLimitExceeded() {
    Parties p = parties("SEK", 2 * SEK_DAILY_OUTGOING_MAX);
    UUID first =
        client.acceptedTransfer(p.alice(), p.aliceAccount(), p.bobAccount(), 60_000, "SEK");
    UUID second =
        client.acceptedTransfer(p.alice(), p.aliceAccount(), p.bobAccount(), 40_000, "SEK");
    client.awaitTerminal(p.alice(), first, SETTLE_TIMEOUT);
    client.awaitTerminal(p.alice(), second, SETTLE_TIMEOUT);
    Snapshot before = p.snapshot(client);

    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), p.bobAccount(), 1, "SEK"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "limit_exceeded");

    before.assertUnchanged();
    assertThat(before.balance(p.aliceAccount())).isEqualTo(SEK_DAILY_OUTGOING_MAX);
    // The limit is the payer's: Bob, who received 100 000 today, may still send.
    client.acceptedTransfer(p.bob(), p.bobAccount(), p.aliceAccount(), 1, "SEK");
  }

  @Test
  void aTransferWithMissingOrInvalidFieldsIsRefusedWithValidationFailedListingEachField() {
    Parties p = parties("EUR", 1_000);
    Snapshot before = p.snapshot(client);

    JsonNode empty =
        assertProblem(
            post(p.alice(), "/api/v1/transfers", Map.of()),
            HttpStatus.BAD_REQUEST,
            "validation_failed");
    Map<String, Object> longDescription = transferBody(p.aliceAccount(), p.bobAccount(), 100);
    longDescription.put("description", "d".repeat(141));
    JsonNode tooLong =
        assertProblem(
            post(p.alice(), "/api/v1/transfers", longDescription),
            HttpStatus.BAD_REQUEST,
            "validation_failed");

    assertThat(errorFields(empty))
        .containsExactlyInAnyOrder("fromAccountId", "toAccountId", "amount", "currency");
    assertThat(errorFields(tooLong)).containsExactly("description");
    before.assertUnchanged();
  }

  @Test
  void unknownAccountsAndAnotherCustomersAccountAsPayerAreRefusedWithAccountNotFound() {
    Parties p = parties("EUR", 1_000);
    client.deposit(p.bob(), p.bobAccount(), 1_000, "EUR");
    UUID unknown = UUID.randomUUID();
    Snapshot before = p.snapshot(client);

    assertProblem(
        client.transfer(p.alice(), key(), unknown, p.bobAccount(), 100, "EUR"),
        HttpStatus.NOT_FOUND,
        "account_not_found");
    assertProblem(
        client.transfer(p.alice(), key(), p.aliceAccount(), unknown, 100, "EUR"),
        HttpStatus.NOT_FOUND,
        "account_not_found");
    // Bob's account exists and is funded; Alice must not learn that (404, not 403).
    JsonNode stolen =
        assertProblem(
            client.transfer(p.alice(), key(), p.bobAccount(), p.aliceAccount(), 100, "EUR"),
            HttpStatus.NOT_FOUND,
            "account_not_found");

    assertThat(stolen.toString()).doesNotContain(p.bobAccount().toString());
    before.assertUnchanged();
  }

  @Test
  void aDepositToAnotherCustomersOrAnUnknownAccountIsRefusedWithAccountNotFound() {
    Parties p = parties("EUR", 1_000);
    Snapshot before = p.snapshot(client);

    assertProblem(
        deposit(p.alice(), p.bobAccount(), 100, "EUR"), HttpStatus.NOT_FOUND, "account_not_found");
    assertProblem(
        deposit(p.alice(), UUID.randomUUID(), 100, "EUR"),
        HttpStatus.NOT_FOUND,
        "account_not_found");

    before.assertUnchanged();
  }

  @Test
  void aDepositToAFrozenAccountIsRefusedWithAccountNotActive() {
    Parties p = parties("EUR", 1_000);
    changeStatus(sharedOps, p.aliceAccount(), "freeze");
    Snapshot before = p.snapshot(client);

    assertProblem(
        deposit(p.alice(), p.aliceAccount(), 100, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "account_not_active");

    before.assertUnchanged();
  }

  @Test
  void aDepositInAnotherCurrencyThanTheAccountIsRefusedWithCurrencyMismatch() {
    Parties p = parties("EUR", 1_000);
    Snapshot before = p.snapshot(client);

    assertProblem(
        deposit(p.alice(), p.aliceAccount(), 100, "USD"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "currency_mismatch");

    before.assertUnchanged();
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

  private Parties parties(String currency, long aliceFunds) {
    return customers.open(client, currency, aliceFunds);
  }

  /**
   * Runs {@code request} on {@code count} threads released at once; every answer is a 202 or a 422
   * with {@code refusal}. Returns the statuses.
   */
  private static List<Integer> concurrently(
      int count, String refusal, Supplier<EntityExchangeResult<byte[]>> request) {
    ExecutorService threads = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        answers.add(
            threads.submit(
                () -> {
                  start.await();
                  EntityExchangeResult<byte[]> result = request.get();
                  if (result.getStatus().value() != 202) {
                    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, refusal);
                  }
                  return result.getStatus().value();
                }));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get(30, TimeUnit.SECONDS));
      }
      return statuses;
    } catch (Exception e) {
      throw new AssertionError("concurrent requests failed", e);
    } finally {
      threads.shutdownNow();
    }
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  private JsonNode changeStatus(User user, UUID account, String action) {
    return PaystreamClient.json(
        http.post()
            .uri("/api/v1/accounts/{id}/{action}", account, action)
            .headers(h -> h.setBearerAuth(user.token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult());
  }

  private EntityExchangeResult<byte[]> deposit(
      User user, UUID account, long amount, String currency) {
    return post(
        user,
        "/api/v1/deposits",
        Map.of(
            "accountId",
            account.toString(),
            "amount",
            amount,
            "currency",
            currency,
            "reference",
            "rejection test"));
  }

  private static Map<String, Object> transferBody(UUID from, UUID to, long amount) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fromAccountId", from.toString());
    body.put("toAccountId", to.toString());
    body.put("amount", amount);
    body.put("currency", "EUR");
    body.put("description", "rejection test");
    return body;
  }

  private EntityExchangeResult<byte[]> post(User user, String path, Map<String, Object> body) {
    return http.post()
        .uri(path)
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", key())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectBody()
        .returnResult();
  }
}
