package io.paystream.api.idempotency;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.MoneyAssertions;
import io.paystream.api.testing.MoneyAssertions.Snapshot;
import io.paystream.api.testing.Parties;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** CONTRACT.md, Idempotency: every POST that moves money runs at most once per (user, key). */
class IdempotencyIntegrationTest extends ApiIntegrationTest {

  private static final String REPLAYED = "Idempotent-Replayed";
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

  /** Identical requests sent at once with one key; enough to overlap on two cores. */
  private static final int CONCURRENT_REQUESTS = 8;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired ConnectionFactory connectionFactory;
  @Autowired MeterRegistry meters;

  @Test
  void sameKeyAndSameBodyReplaysTheOriginalAnswerAndMovesMoneyOnce() {
    Parties p = parties(10_000);
    String key = UUID.randomUUID().toString();

    EntityExchangeResult<byte[]> first =
        client.transfer(p.alice(), key, p.aliceAccount(), p.bobAccount(), 1_000, "EUR");
    assertThat(first.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(first.getResponseHeaders().getFirst(REPLAYED)).isNull();
    UUID transfer = UUID.fromString(PaystreamClient.json(first).get("id").asString());
    assertThat(client.awaitTerminal(p.alice(), transfer, SETTLE_TIMEOUT).get("status").asString())
        .isEqualTo("COMPLETED");

    // Replayed after completion: still the original 202 with the PENDING body, byte for byte.
    for (int attempt = 0; attempt < 2; attempt++) {
      EntityExchangeResult<byte[]> replay =
          client.transfer(p.alice(), key, p.aliceAccount(), p.bobAccount(), 1_000, "EUR");
      assertThat(replay.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
      assertThat(replay.getResponseHeaders().getFirst(REPLAYED)).isEqualTo("true");
      assertThat(replay.getResponseBody()).isEqualTo(first.getResponseBody());
      assertThat(replay.getResponseHeaders().getLocation())
          .isEqualTo(first.getResponseHeaders().getLocation())
          .hasToString("/api/v1/transfers/" + transfer);
    }
    assertThat(client.balance(p.alice(), p.aliceAccount())).isEqualTo(9_000);
    assertThat(client.balance(p.bob(), p.bobAccount())).isEqualTo(1_000);
  }

  @Test
  void theSameBodyWithOtherPropertyOrderAndWhitespaceIsAReplayNotAReuse() {
    Parties p = parties(10_000);
    String key = UUID.randomUUID().toString();
    String body =
        """
        {"fromAccountId":"%s","toAccountId":"%s","amount":700,"currency":"EUR",\
        "description":"rent"}"""
            .formatted(p.aliceAccount(), p.bobAccount());
    String reordered =
        """
        {
          "description" : "rent",
          "currency" : "EUR",   "amount" : 700,
          "toAccountId" : "%s", "fromAccountId" : "%s"
        }"""
            .formatted(p.bobAccount(), p.aliceAccount());

    EntityExchangeResult<byte[]> first = postRaw(p.alice(), "/api/v1/transfers", key, body);
    EntityExchangeResult<byte[]> again = postRaw(p.alice(), "/api/v1/transfers", key, reordered);

    assertThat(first.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(again.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(again.getResponseHeaders().getFirst(REPLAYED)).isEqualTo("true");
    assertThat(again.getResponseBody()).isEqualTo(first.getResponseBody());
    assertThat(client.balance(p.alice(), p.aliceAccount())).isEqualTo(9_300);
  }

  @Test
  void sameKeyWithADifferentBodyIsRefusedAndMovesNothing() {
    Parties p = parties(10_000);
    User carol = p.bob();
    UUID carolEur = client.openAccount(carol, "EUR");
    String key = UUID.randomUUID().toString();
    UUID transfer =
        UUID.fromString(
            PaystreamClient.json(
                    client.transfer(p.alice(), key, p.aliceAccount(), p.bobAccount(), 1_000, "EUR"))
                .get("id")
                .asString());
    client.awaitTerminal(p.alice(), transfer, SETTLE_TIMEOUT);
    Snapshot before =
        MoneyAssertions.snapshot(client)
            .of(p.alice(), p.aliceAccount())
            .of(p.bob(), p.bobAccount())
            .of(carol, carolEur)
            .take();

    List<EntityExchangeResult<byte[]>> reuses =
        List.of(
            client.transfer(p.alice(), key, p.aliceAccount(), p.bobAccount(), 2_000, "EUR"),
            client.transfer(p.alice(), key, p.aliceAccount(), carolEur, 1_000, "EUR"),
            postJson(
                p.alice(),
                "/api/v1/transfers",
                key,
                Map.of(
                    "fromAccountId",
                    p.aliceAccount(),
                    "toAccountId",
                    p.bobAccount(),
                    "amount",
                    1_000,
                    "currency",
                    "EUR",
                    "description",
                    "another description")));

    for (EntityExchangeResult<byte[]> reuse : reuses) {
      assertProblem(reuse, HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused");
      assertThat(reuse.getResponseHeaders().getFirst(REPLAYED)).isNull();
    }
    before.assertUnchanged();
    assertThat(before.balance(p.aliceAccount())).isEqualTo(9_000);
  }

  @Test
  void aRequestWithoutAKeyIsRefusedAndMovesNothing() {
    Parties p = parties(10_000);
    Snapshot before = p.snapshot(client);

    EntityExchangeResult<byte[]> transfer =
        postJson(
            p.alice(),
            "/api/v1/transfers",
            null,
            transferBody(p.aliceAccount(), p.bobAccount(), 1_000));
    EntityExchangeResult<byte[]> emptyKey =
        postJson(
            p.alice(),
            "/api/v1/transfers",
            "",
            transferBody(p.aliceAccount(), p.bobAccount(), 1_000));
    EntityExchangeResult<byte[]> deposit =
        postJson(p.alice(), "/api/v1/deposits", null, depositBody(p.aliceAccount(), 1_000));

    assertProblem(transfer, HttpStatus.BAD_REQUEST, "idempotency_key_missing");
    assertProblem(emptyKey, HttpStatus.BAD_REQUEST, "idempotency_key_missing");
    assertProblem(deposit, HttpStatus.BAD_REQUEST, "idempotency_key_missing");
    before.assertUnchanged();
  }

  @Test
  void aKeyThatIsTooLongOrNotPrintableAsciiIsRefusedAndMovesNothing() {
    Parties p = parties(10_000);
    Snapshot before = p.snapshot(client);

    for (String key : List.of("k".repeat(256), "tab\tinside", "caf\u00e9")) {
      EntityExchangeResult<byte[]> refused =
          client.transfer(p.alice(), key, p.aliceAccount(), p.bobAccount(), 1_000, "EUR");
      JsonNode problem = assertProblem(refused, HttpStatus.BAD_REQUEST, "validation_failed");
      assertThat(errorFields(problem)).containsExactly("Idempotency-Key");
    }
    before.assertUnchanged();

    // The boundaries themselves are keys: 255 characters, and every printable ASCII character.
    assertThat(
            client
                .transfer(p.alice(), "k".repeat(255), p.aliceAccount(), p.bobAccount(), 1, "EUR")
                .getStatus())
        .isEqualTo(HttpStatus.ACCEPTED);
    assertThat(
            client
                .transfer(
                    p.alice(),
                    "a ~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}z",
                    p.aliceAccount(),
                    p.bobAccount(),
                    1,
                    "EUR")
                .getStatus())
        .isEqualTo(HttpStatus.ACCEPTED);
  }

  @Test
  void keysAreScopedPerUserSoAnotherUserMayUseTheSameKey() {
    Parties p = parties(10_000);
    client.deposit(p.bob(), p.bobAccount(), 5_000, "EUR");
    String key = UUID.randomUUID().toString();

    EntityExchangeResult<byte[]> byAlice =
        client.transfer(p.alice(), key, p.aliceAccount(), p.bobAccount(), 1_000, "EUR");
    EntityExchangeResult<byte[]> byBob =
        client.transfer(p.bob(), key, p.bobAccount(), p.aliceAccount(), 300, "EUR");

    assertThat(byAlice.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(byBob.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(byBob.getResponseHeaders().getFirst(REPLAYED)).isNull();
    UUID aliceTransfer = id(byAlice);
    UUID bobTransfer = id(byBob);
    assertThat(bobTransfer).isNotEqualTo(aliceTransfer);
    client.awaitTerminal(p.alice(), aliceTransfer, SETTLE_TIMEOUT);
    assertThat(client.awaitTerminal(p.bob(), bobTransfer, SETTLE_TIMEOUT).get("status").asString())
        .isEqualTo("COMPLETED");
    assertThat(client.balance(p.alice(), p.aliceAccount())).isEqualTo(10_000 - 1_000 + 300);
    assertThat(client.balance(p.bob(), p.bobAccount())).isEqualTo(5_000 + 1_000 - 300);
  }

  @Test
  void aKeyUsedForADepositCannotBeReusedForATransferNorTheOtherWayRound() {
    Parties p = parties(10_000);
    String depositKey = UUID.randomUUID().toString();
    assertThat(
            postJson(p.alice(), "/api/v1/deposits", depositKey, depositBody(p.aliceAccount(), 500))
                .getStatus())
        .isEqualTo(HttpStatus.CREATED);
    String transferKey = UUID.randomUUID().toString();
    UUID transfer =
        id(client.transfer(p.alice(), transferKey, p.aliceAccount(), p.bobAccount(), 200, "EUR"));
    client.awaitTerminal(p.alice(), transfer, SETTLE_TIMEOUT);
    Snapshot before = p.snapshot(client);

    assertProblem(
        client.transfer(p.alice(), depositKey, p.aliceAccount(), p.bobAccount(), 500, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "idempotency_key_reused");
    assertProblem(
        postJson(p.alice(), "/api/v1/deposits", transferKey, depositBody(p.aliceAccount(), 200)),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "idempotency_key_reused");

    before.assertUnchanged();
    assertThat(before.balance(p.aliceAccount())).isEqualTo(10_000 + 500 - 200);
  }

  @Test
  void aRefusedTransferIsReplayedAsRefusedEvenAfterTheAccountIsFunded() {
    Parties p = parties(0);
    String key = UUID.randomUUID().toString();

    EntityExchangeResult<byte[]> refused =
        client.transfer(p.alice(), key, p.aliceAccount(), p.bobAccount(), 500, "EUR");
    assertProblem(refused, HttpStatus.UNPROCESSABLE_CONTENT, "insufficient_funds");
    client.deposit(p.alice(), p.aliceAccount(), 1_000, "EUR");
    EntityExchangeResult<byte[]> replay =
        client.transfer(p.alice(), key, p.aliceAccount(), p.bobAccount(), 500, "EUR");

    assertProblem(replay, HttpStatus.UNPROCESSABLE_CONTENT, "insufficient_funds");
    assertThat(replay.getResponseHeaders().getFirst(REPLAYED)).isEqualTo("true");
    assertThat(replay.getResponseBody()).isEqualTo(refused.getResponseBody());
    assertThat(client.balance(p.alice(), p.aliceAccount())).isEqualTo(1_000);
    assertThat(client.balance(p.bob(), p.bobAccount())).isZero();
  }

  @Test
  void concurrentIdenticalRequestsWithOneKeyExecuteExactlyOnce() {
    Parties p = parties(10_000);
    String key = UUID.randomUUID().toString();
    Map<String, Object> body = transferBody(p.aliceAccount(), p.bobAccount(), 1_000);
    WebClient web = WebClient.create("http://localhost:" + port);

    List<ResponseEntity<String>> answers =
        Flux.range(0, CONCURRENT_REQUESTS)
            .flatMap(
                i ->
                    web.post()
                        .uri("/api/v1/transfers")
                        .headers(h -> h.setBearerAuth(p.alice().token()))
                        .header("Idempotency-Key", key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(body)
                        .exchangeToMono(response -> response.toEntity(String.class)),
                CONCURRENT_REQUESTS)
            .collectList()
            .block(Duration.ofSeconds(30));

    assertThat(answers).hasSize(CONCURRENT_REQUESTS);
    List<ResponseEntity<String>> executed =
        answers.stream()
            .filter(
                a -> a.getStatusCode().value() == 202 && a.getHeaders().getFirst(REPLAYED) == null)
            .toList();
    assertThat(executed).as("answers %s", answers).hasSize(1);
    String original = executed.get(0).getBody();
    for (ResponseEntity<String> answer : answers) {
      if (answer.getStatusCode().value() == 202) {
        assertThat(answer.getBody()).as("every 202 is the one transfer").isEqualTo(original);
      } else {
        assertThat(answer.getStatusCode().value()).as("answer %s", answer).isEqualTo(409);
        assertThat(
                answer
                    .getHeaders()
                    .getContentType()
                    .isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
            .isTrue();
        assertThat(answer.getBody()).contains("\"code\":\"idempotency_key_in_use\"");
      }
    }
    UUID transfer = UUID.fromString(JSON.readTree(original).get("id").asString());
    assertThat(client.awaitTerminal(p.alice(), transfer, SETTLE_TIMEOUT).get("status").asString())
        .isEqualTo("COMPLETED");
    assertThat(client.balance(p.alice(), p.aliceAccount())).isEqualTo(9_000);
    assertThat(client.balance(p.bob(), p.bobAccount())).isEqualTo(1_000);
  }

  @Test
  void aDepositReplaysItsOriginal201AndCreditsOnce() {
    Parties p = parties(0);
    String key = UUID.randomUUID().toString();

    EntityExchangeResult<byte[]> first =
        postJson(p.alice(), "/api/v1/deposits", key, depositBody(p.aliceAccount(), 2_500));
    EntityExchangeResult<byte[]> replay =
        postJson(p.alice(), "/api/v1/deposits", key, depositBody(p.aliceAccount(), 2_500));
    EntityExchangeResult<byte[]> reuse =
        postJson(p.alice(), "/api/v1/deposits", key, depositBody(p.aliceAccount(), 2_501));

    assertThat(first.getStatus()).isEqualTo(HttpStatus.CREATED);
    assertThat(first.getResponseHeaders().getFirst(REPLAYED)).isNull();
    JsonNode deposit = PaystreamClient.json(first);
    assertThat(deposit.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(deposit.get("amount").asLong()).isEqualTo(2_500);
    assertThat(replay.getStatus()).isEqualTo(HttpStatus.CREATED);
    assertThat(replay.getResponseHeaders().getFirst(REPLAYED)).isEqualTo("true");
    assertThat(replay.getResponseBody()).isEqualTo(first.getResponseBody());
    assertProblem(reuse, HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused");
    assertThat(client.balance(p.alice(), p.aliceAccount())).isEqualTo(2_500);
  }

  // --- fixtures -------------------------------------------------------------------------------
  @Test
  void aClientThatGoesAwayMidTransferLeavesTheTransferWholeAndItsAnswerStored() {
    Parties p = parties(10_000);
    String key = UUID.randomUUID().toString();
    // Another transaction holds the payer's row: the transfer stops at its debit, inside its
    // transaction, while the client gives up and closes the connection.
    Connection locker = Mono.from(connectionFactory.create()).block(SETTLE_TIMEOUT);
    try {
      Mono.from(locker.beginTransaction()).block(SETTLE_TIMEOUT);
      Flux.from(
              locker
                  .createStatement("SELECT id FROM account WHERE id = $1 FOR UPDATE")
                  .bind("$1", p.aliceAccount())
                  .execute())
          .flatMap(result -> result.map((row, metadata) -> row.get(0)))
          .blockLast(SETTLE_TIMEOUT);

      long abandonedBefore = abandonedTransferRequests();
      WebClient web = WebClient.create("http://localhost:" + port);
      assertThatThrownBy(
              () ->
                  web.post()
                      .uri("/api/v1/transfers")
                      .headers(h -> h.setBearerAuth(p.alice().token()))
                      .header("Idempotency-Key", key)
                      .contentType(MediaType.APPLICATION_JSON)
                      .bodyValue(transferBody(p.aliceAccount(), p.bobAccount(), 1_000))
                      .retrieve()
                      .toBodilessEntity()
                      .timeout(Duration.ofSeconds(1))
                      .block())
          .as("the client gave up while the debit waited")
          .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
      // Only once the server has seen the connection close does releasing the lock show what a
      // transfer that lost its client mid-transaction does.
      Eventually.await(
          SETTLE_TIMEOUT,
          "the server to record the transfer request its client abandoned",
          this::abandonedTransferRequests,
          abandoned -> abandoned > abandonedBefore);
    } finally {
      Mono.from(locker.rollbackTransaction()).block(SETTLE_TIMEOUT);
      Mono.from(locker.close()).block(SETTLE_TIMEOUT);
    }

    // The abandoned request finishes (the key is busy meanwhile: 409), and its answer is stored.
    EntityExchangeResult<byte[]> replay =
        Eventually.await(
            SETTLE_TIMEOUT,
            "the abandoned request to finish and free its key",
            () -> client.transfer(p.alice(), key, p.aliceAccount(), p.bobAccount(), 1_000, "EUR"),
            answer -> answer.getStatus().value() != 409);
    assertThat(replay.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(replay.getResponseHeaders().getFirst(REPLAYED))
        .as("the transfer the client abandoned was committed whole, not rolled back")
        .isEqualTo("true");
    UUID transfer = UUID.fromString(PaystreamClient.json(replay).get("id").asString());
    assertThat(client.awaitTerminal(p.alice(), transfer, SETTLE_TIMEOUT).get("status").asString())
        .isEqualTo("COMPLETED");
    assertThat(client.balance(p.alice(), p.aliceAccount())).isEqualTo(9_000);
    assertThat(client.balance(p.bob(), p.bobAccount())).isEqualTo(1_000);
    assertThat(
            client
                .get(client.ops(), "/api/v1/ops/transfers?accountId=" + p.aliceAccount())
                .get("items"))
        .as("one transfer from the payer's account, none left behind half-written")
        .hasSize(1);
  }

  /**
   * Transfer requests the server stopped serving because their client closed the connection: the
   * HTTP server observation records them with status UNKNOWN (it reports the connection aborted).
   */
  private long abandonedTransferRequests() {
    return meters
        .find("http.server.requests")
        .tag("method", "POST")
        .tag("uri", "/api/v1/transfers")
        .tag("status", "UNKNOWN")
        .timers()
        .stream()
        .mapToLong(Timer::count)
        .sum();
  }

  /** Alice and Bob, shared by the tests of this class; fresh accounts for each test. */
  private static final Parties.Customers customers = new Parties.Customers();

  /** Alice with a fresh EUR account funded with {@code aliceFunds}, Bob with an empty one. */
  private Parties parties(long aliceFunds) {
    return customers.open(client, "EUR", aliceFunds);
  }

  private static Map<String, Object> transferBody(UUID from, UUID to, long amount) {
    return Map.of(
        "fromAccountId",
        from.toString(),
        "toAccountId",
        to.toString(),
        "amount",
        amount,
        "currency",
        "EUR",
        "description",
        "test transfer");
  }

  private static Map<String, Object> depositBody(UUID account, long amount) {
    return Map.of(
        "accountId",
        account.toString(),
        "amount",
        amount,
        "currency",
        "EUR",
        "reference",
        "test funding");
  }

  /** POSTs a JSON body; a null key sends no Idempotency-Key header at all. */
  private EntityExchangeResult<byte[]> postJson(
      User user, String path, String key, Map<String, Object> body) {
    return http.post()
        .uri(path)
        .headers(h -> h.setBearerAuth(user.token()))
        .headers(
            h -> {
              if (key != null) {
                h.set("Idempotency-Key", key);
              }
            })
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> postRaw(User user, String path, String key, String body) {
    return http.post()
        .uri(path)
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectBody()
        .returnResult();
  }

  private static UUID id(EntityExchangeResult<byte[]> result) {
    assertThat(result.getStatus().is2xxSuccessful()).as(MoneyAssertions.describe(result)).isTrue();
    return UUID.fromString(PaystreamClient.json(result).get("id").asString());
  }
}
