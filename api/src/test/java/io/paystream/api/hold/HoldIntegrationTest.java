package io.paystream.api.hold;

import static io.paystream.api.testing.MoneyAssertions.assertLedgerBalanced;
import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.api.live.LiveStatusIntegrationTest;
import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import io.paystream.persistence.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Holds through the HTTP contract: placing one lowers the payer's available balance and not its
 * balance, no transfer can spend it, and it ends exactly once, captured (in full or in part) into a
 * transfer that completes like any other, voided, or expired by the sweep; each ending refused
 * afterwards with its stable code, and every call idempotent.
 */
class HoldIntegrationTest extends ApiIntegrationTest {

  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired private HoldExpiry expiry;

  /** A payer with funds, a merchant (the payee), and their accounts. */
  private record Parties(User payer, UUID payerAccount, User merchant, UUID merchantAccount) {}

  private Parties parties(long funding) {
    User payer = client.newCustomer();
    User merchant = client.newCustomer();
    UUID payerAccount = client.openAccount(payer, "EUR");
    UUID merchantAccount = client.openAccount(merchant, "EUR");
    client.deposit(payer, payerAccount, funding, "EUR");
    return new Parties(payer, payerAccount, merchant, merchantAccount);
  }

  private EntityExchangeResult<byte[]> place(Parties parties, long amount, String expiresAt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fromAccountId", parties.payerAccount());
    body.put("toAccountId", parties.merchantAccount());
    body.put("amount", amount);
    body.put("currency", "EUR");
    body.put("description", "order 42");
    body.put("metadata", Map.of("orderId", "42"));
    if (expiresAt != null) {
      body.put("expiresAt", expiresAt);
    }
    return client.moneyPost(parties.payer(), "/api/v1/holds", key(), body);
  }

  private UUID placed(Parties parties, long amount) {
    EntityExchangeResult<byte[]> result = place(parties, amount, null);
    assertThat(result.getStatus()).as(new String(body(result))).isEqualTo(HttpStatus.CREATED);
    return UUID.fromString(PaystreamClient.json(result).get("id").asString());
  }

  private EntityExchangeResult<byte[]> capture(User user, UUID hold, String key, Long amount) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (amount != null) {
      body.put("amount", amount);
    }
    return client.moneyPost(user, "/api/v1/holds/" + hold + "/capture", key, body);
  }

  private EntityExchangeResult<byte[]> voidHold(User user, UUID hold, String key) {
    return client.moneyPost(user, "/api/v1/holds/" + hold + "/void", key, Map.of());
  }

  private JsonNode available(User user, UUID account) {
    return client.account(user, account);
  }

  @Test
  void aHoldLowersTheAvailableBalanceOnlyAndNoTransferCanSpendIt() {
    Parties parties = parties(1_000);
    EntityExchangeResult<byte[]> result = place(parties, 600, null);

    assertThat(result.getStatus()).isEqualTo(HttpStatus.CREATED);
    JsonNode hold = PaystreamClient.json(result);
    assertThat(result.getResponseHeaders().getLocation())
        .hasToString("/api/v1/holds/" + hold.get("id").asString());
    assertThat(hold.get("status").asString()).isEqualTo("HELD");
    assertThat(hold.get("amount").asLong()).isEqualTo(600);
    assertThat(hold.get("metadata").get("orderId").asString()).isEqualTo("42");
    assertThat(hold.get("capturedAmount").isNull()).isTrue();
    Instant expires = Instant.parse(hold.get("expiresAt").asString());
    assertThat(expires)
        .isBetween(
            Instant.now().plus(Duration.ofDays(7)).minusSeconds(60),
            Instant.now().plus(Duration.ofDays(7)));
    JsonNode account = available(parties.payer(), parties.payerAccount());
    assertThat(account.get("balance").asLong()).isEqualTo(1_000);
    assertThat(account.get("availableBalance").asLong()).isEqualTo(400);
    JsonNode balance =
        client.get(parties.payer(), "/api/v1/accounts/" + parties.payerAccount() + "/balance");
    assertThat(balance.get("availableBalance").asLong()).isEqualTo(400);

    assertProblem(
        client.transfer(
            parties.payer(), key(), parties.payerAccount(), parties.merchantAccount(), 401, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "insufficient_funds");
    assertProblem(
        place(parties, 401, null), HttpStatus.UNPROCESSABLE_CONTENT, "insufficient_funds");
    assertProblem(
        client.moneyPost(
            parties.payer(),
            "/api/v1/withdrawals",
            key(),
            Map.of(
                "accountId",
                parties.payerAccount(),
                "amount",
                401,
                "currency",
                "EUR",
                "destination",
                "DE89370400440532013000")),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "insufficient_funds");
    UUID spent =
        client.acceptedTransfer(
            parties.payer(), parties.payerAccount(), parties.merchantAccount(), 400, "EUR");
    client.awaitTerminal(parties.payer(), spent, SETTLE);
    account = available(parties.payer(), parties.payerAccount());
    assertThat(account.get("balance").asLong()).isEqualTo(600);
    assertThat(account.get("availableBalance").asLong()).isZero();
    // The database refuses more held than the balance, whatever the code does.
    assertThatThrownBy(
            () ->
                TestDatabase.sql(
                    "UPDATE account SET held = 601 WHERE id = '" + parties.payerAccount() + "'"))
        .hasMessageContaining("account_held_within_balance");
  }

  @Test
  void aPartialCaptureTransfersThatMuchAndReleasesTheRestOnceOnly() {
    Parties parties = parties(1_000);
    List<ServerSentEvent<String>> events = Collections.synchronizedList(new ArrayList<>());
    Disposable stream =
        LiveStatusIntegrationTest.listen(
            port,
            parties.merchant(),
            "/api/v1/accounts/" + parties.merchantAccount() + "/events",
            null,
            events);
    try {
      UUID hold = placed(parties, 600);
      String captureKey = key();
      EntityExchangeResult<byte[]> captured = capture(parties.merchant(), hold, captureKey, 250L);

      assertThat(captured.getStatus()).as(new String(body(captured))).isEqualTo(HttpStatus.OK);
      JsonNode document = PaystreamClient.json(captured);
      assertThat(document.get("status").asString()).isEqualTo("CAPTURED");
      assertThat(document.get("capturedAmount").asLong()).isEqualTo(250);
      UUID transfer = UUID.fromString(document.get("transferId").asString());
      JsonNode completed = client.awaitTerminal(parties.payer(), transfer, SETTLE);
      assertThat(completed.get("status").asString()).isEqualTo("COMPLETED");
      assertThat(completed.get("amount").asLong()).isEqualTo(250);
      assertThat(completed.get("description").asString()).isEqualTo("order 42");
      assertThat(completed.get("metadata").get("orderId").asString()).isEqualTo("42");
      JsonNode payer = available(parties.payer(), parties.payerAccount());
      assertThat(payer.get("balance").asLong()).isEqualTo(750);
      assertThat(payer.get("availableBalance").asLong()).isEqualTo(750);
      assertThat(client.balance(parties.merchant(), parties.merchantAccount())).isEqualTo(250);

      // The same key replays the capture; anything else finds it captured.
      EntityExchangeResult<byte[]> replay = capture(parties.merchant(), hold, captureKey, 250L);
      assertThat(replay.getStatus()).isEqualTo(HttpStatus.OK);
      assertThat(PaystreamClient.json(replay).get("transferId").asString())
          .isEqualTo(transfer.toString());
      assertProblem(
          capture(parties.merchant(), hold, key(), 100L), HttpStatus.CONFLICT, "hold_captured");
      assertProblem(
          voidHold(parties.merchant(), hold, key()), HttpStatus.CONFLICT, "hold_captured");
      assertThat(client.balance(parties.payer(), parties.payerAccount())).isEqualTo(750);

      Eventually.await(
          SETTLE,
          "the merchant's stream to carry the hold's events and its transfer's",
          () ->
              types(events)
                  .containsAll(List.of("hold.created", "hold.captured", "transfer.completed")));
      List<String> types = types(events);
      assertThat(types.indexOf("hold.created")).isLessThan(types.indexOf("hold.captured"));
    } finally {
      stream.dispose();
    }
    JsonNode check = assertLedgerBalanced(client, client.ops());
    assertThat(check.get("unreconciledHolds").asLong()).isZero();
  }

  private static List<String> types(List<ServerSentEvent<String>> events) {
    synchronized (events) {
      return events.stream().map(ServerSentEvent::event).toList();
    }
  }

  @Test
  void onlyThePayeeOrOpsVoidsAndAVoidedOrOverdrawnCaptureIsRefused() {
    Parties parties = parties(1_000);
    UUID hold = placed(parties, 300);

    assertProblem(voidHold(parties.payer(), hold, key()), HttpStatus.FORBIDDEN, "forbidden");
    assertProblem(
        capture(parties.merchant(), hold, key(), 301L),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "capture_exceeds_hold");
    User stranger = client.newCustomer();
    assertProblem(voidHold(stranger, hold, key()), HttpStatus.NOT_FOUND, "hold_not_found");
    assertProblem(capture(stranger, hold, key(), null), HttpStatus.NOT_FOUND, "hold_not_found");
    http.get()
        .uri("/api/v1/holds/{id}", hold)
        .headers(h -> h.setBearerAuth(stranger.token()))
        .exchange()
        .expectStatus()
        .isNotFound();

    EntityExchangeResult<byte[]> voided = voidHold(parties.merchant(), hold, key());
    assertThat(voided.getStatus()).isEqualTo(HttpStatus.OK);
    assertThat(PaystreamClient.json(voided).get("status").asString()).isEqualTo("VOIDED");
    JsonNode payer = available(parties.payer(), parties.payerAccount());
    assertThat(payer.get("balance").asLong()).isEqualTo(1_000);
    assertThat(payer.get("availableBalance").asLong()).isEqualTo(1_000);
    assertProblem(capture(parties.payer(), hold, key(), null), HttpStatus.CONFLICT, "hold_voided");
    assertProblem(voidHold(parties.merchant(), hold, key()), HttpStatus.CONFLICT, "hold_voided");

    // The payer's owner may capture (in full here): they authorised it when placing the hold.
    UUID second = placed(parties, 200);
    EntityExchangeResult<byte[]> captured = capture(parties.payer(), second, key(), null);
    assertThat(captured.getStatus()).isEqualTo(HttpStatus.OK);
    assertThat(PaystreamClient.json(captured).get("capturedAmount").asLong()).isEqualTo(200);
    JsonNode list =
        client.get(parties.merchant(), "/api/v1/accounts/" + parties.merchantAccount() + "/holds");
    assertThat(list.get("items"))
        .extracting(item -> item.get("status").asString())
        .containsExactly("CAPTURED", "VOIDED");
    JsonNode voidedOnly =
        client.get(
            parties.payer(), "/api/v1/accounts/" + parties.payerAccount() + "/holds?status=VOIDED");
    assertThat(voidedOnly.get("items")).hasSize(1);
    http.get()
        .uri("/api/v1/accounts/{id}/holds", parties.payerAccount())
        .headers(h -> h.setBearerAuth(stranger.token()))
        .exchange()
        .expectStatus()
        .isNotFound();
    assertLedgerBalanced(client, client.ops());
  }

  @Test
  void aHoldExpiresOnItsOwnAndCannotBeCapturedAfterwards() {
    Parties parties = parties(1_000);
    Instant expiresAt = Instant.now().plusSeconds(2);
    EntityExchangeResult<byte[]> result = place(parties, 700, expiresAt.toString());
    assertThat(result.getStatus()).as(new String(body(result))).isEqualTo(HttpStatus.CREATED);
    UUID hold = UUID.fromString(PaystreamClient.json(result).get("id").asString());
    assertThat(available(parties.payer(), parties.payerAccount()).get("availableBalance").asLong())
        .isEqualTo(300);

    JsonNode expired =
        Eventually.await(
            Duration.ofSeconds(15),
            "hold " + hold + " to expire",
            () -> client.get(parties.payer(), "/api/v1/holds/" + hold),
            document -> "EXPIRED".equals(document.get("status").asString()));

    // The sweep runs every second on every instance: the hold outlived its expiry by little.
    assertThat(Instant.parse(expired.get("updatedAt").asString()))
        .isBetween(expiresAt, expiresAt.plusSeconds(5));
    JsonNode payer = available(parties.payer(), parties.payerAccount());
    assertThat(payer.get("balance").asLong()).isEqualTo(1_000);
    assertThat(payer.get("availableBalance").asLong()).isEqualTo(1_000);
    assertProblem(
        capture(parties.merchant(), hold, key(), null), HttpStatus.CONFLICT, "hold_expired");
    assertProblem(voidHold(parties.merchant(), hold, key()), HttpStatus.CONFLICT, "hold_expired");
    assertThatThrownBy(
            () ->
                TestDatabase.sql(
                    "UPDATE hold SET status = 'HELD', released_at = NULL WHERE id = '"
                        + hold
                        + "'"))
        .hasMessageContaining("final");
    assertLedgerBalanced(client, client.ops());
  }

  @Test
  void sweepsRacingAsOnManyInstancesExpireEachHoldExactlyOnce() throws InterruptedException {
    Parties parties = parties(10_000);
    List<ServerSentEvent<String>> events = Collections.synchronizedList(new ArrayList<>());
    Disposable stream =
        LiveStatusIntegrationTest.listen(
            port,
            parties.payer(),
            "/api/v1/accounts/" + parties.payerAccount() + "/events",
            null,
            events);
    try {
      Instant expiresAt = Instant.now().plusSeconds(2);
      List<String> holds = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        EntityExchangeResult<byte[]> result = place(parties, 100, expiresAt.toString());
        assertThat(result.getStatus()).isEqualTo(HttpStatus.CREATED);
        holds.add(PaystreamClient.json(result).get("id").asString());
      }
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()));

      // Four sweeps at once, as four instances would run theirs, besides this one's schedule.
      List<Long> swept =
          Flux.range(0, 4)
              .flatMap(i -> expiry.sweep().subscribeOn(Schedulers.boundedElastic()))
              .collectList()
              .block(Duration.ofSeconds(30));

      assertThat(swept.stream().mapToLong(Long::longValue).sum()).isBetween(0L, 12L);
      Eventually.await(
          SETTLE,
          "every hold's hold.expired on the payer's stream",
          () -> expired(events).size() >= 12);
      Thread.sleep(1_500);
      assertThat(expired(events)).hasSize(12);
      assertThat(expired(events).stream().distinct()).containsExactlyInAnyOrderElementsOf(holds);
      JsonNode payer = available(parties.payer(), parties.payerAccount());
      assertThat(payer.get("availableBalance").asLong()).isEqualTo(10_000);
    } finally {
      stream.dispose();
    }
    JsonNode check = assertLedgerBalanced(client, client.ops());
    assertThat(check.get("unreconciledHolds").asLong()).isZero();
  }

  /** The hold ids of the hold.expired events among {@code events}, in order. */
  private static List<String> expired(List<ServerSentEvent<String>> events) {
    synchronized (events) {
      return events.stream()
          .filter(event -> "hold.expired".equals(event.event()))
          .map(event -> JSON.readTree(event.data()).get("id").asString())
          .toList();
    }
  }

  @Test
  void aCaptureTheTransferRefusesLeavesTheHoldHeld() {
    Parties parties = parties(1_000);
    UUID hold = placed(parties, 500);
    User ops = client.ops();
    http.post()
        .uri("/api/v1/accounts/{id}/freeze", parties.payerAccount())
        .headers(h -> h.setBearerAuth(ops.token()))
        .exchange()
        .expectStatus()
        .isOk();

    assertProblem(
        capture(parties.merchant(), hold, key(), null),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "account_not_active");

    JsonNode document = client.get(parties.merchant(), "/api/v1/holds/" + hold);
    assertThat(document.get("status").asString()).isEqualTo("HELD");
    JsonNode payer = client.account(ops, parties.payerAccount());
    assertThat(payer.get("balance").asLong()).isEqualTo(1_000);
    assertThat(payer.get("availableBalance").asLong()).isEqualTo(500);
    // A void needs no movable account: it only releases. An operator's reason is audited.
    EntityExchangeResult<byte[]> voided =
        client.moneyPost(
            ops, "/api/v1/holds/" + hold + "/void", key(), Map.of("reason", "account frozen"));
    assertThat(voided.getStatus()).isEqualTo(HttpStatus.OK);
    JsonNode audited =
        client
            .get(ops, "/api/v1/ops/audit?type=money.accepted&limit=100")
            .get("items")
            .valueStream()
            .filter(
                event ->
                    hold.toString().equals(event.get("metadata").path("resourceId").asString()))
            .filter(event -> event.get("metadata").get("operation").asString().endsWith("/void"))
            .findFirst()
            .orElseThrow();
    assertThat(audited.get("metadata").get("reason").asString()).isEqualTo("account frozen");
    assertThat(client.account(ops, parties.payerAccount()).get("availableBalance").asLong())
        .isEqualTo(1_000);
    assertLedgerBalanced(client, ops);
  }

  @Test
  void racingCapturesAndVoidsOfOneHoldWithDuplicatesEndItExactlyOnce() {
    Parties parties = parties(10_000);
    UUID hold = placed(parties, 5_000);
    WebClient web = WebClient.builder().baseUrl("http://localhost:" + port).build();
    List<String[]> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String[] capture = {"capture", key()};
      String[] voiding = {"void", key()};
      calls.add(capture);
      calls.add(capture);
      calls.add(voiding);
      calls.add(voiding);
    }
    Collections.shuffle(calls);
    List<String> answers =
        Flux.fromIterable(calls)
            .flatMap(
                call ->
                    web.post()
                        .uri("/api/v1/holds/{id}/" + call[0], hold)
                        .headers(h -> h.setBearerAuth(parties.merchant().token()))
                        .header("Idempotency-Key", call[1])
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(call[0].equals("capture") ? "{\"amount\": 1200}" : "{}")
                        .exchangeToMono(
                            response ->
                                response
                                    .bodyToMono(String.class)
                                    .map(
                                        text ->
                                            call[0]
                                                + " "
                                                + call[1]
                                                + " "
                                                + response.statusCode().value()
                                                + " "
                                                + text)),
                16)
            .collectList()
            .block(Duration.ofMinutes(2));

    List<String> won =
        answers.stream().filter(answer -> answer.split(" ")[2].equals("200")).toList();
    // One key won (its duplicate replays it, or waited on the key: 409 idempotency_key_in_use).
    assertThat(won.stream().map(answer -> answer.split(" ")[1]).distinct()).hasSize(1);
    String winner = won.get(0).split(" ")[0];
    String code = winner.equals("capture") ? "hold_captured" : "hold_voided";
    assertThat(answers)
        .filteredOn(answer -> !answer.split(" ")[2].equals("200"))
        .allSatisfy(answer -> assertThat(answer).containsAnyOf(code, "idempotency_key_in_use"));
    JsonNode document = client.get(parties.merchant(), "/api/v1/holds/" + hold);
    long moved = 0;
    if (winner.equals("capture")) {
      assertThat(document.get("status").asString()).isEqualTo("CAPTURED");
      client.awaitTerminal(
          parties.merchant(), UUID.fromString(document.get("transferId").asString()), SETTLE);
      moved = 1_200;
    } else {
      assertThat(document.get("status").asString()).isEqualTo("VOIDED");
    }
    JsonNode payer = available(parties.payer(), parties.payerAccount());
    assertThat(payer.get("balance").asLong()).isEqualTo(10_000 - moved);
    assertThat(payer.get("availableBalance").asLong()).isEqualTo(10_000 - moved);
    assertThat(client.balance(parties.merchant(), parties.merchantAccount())).isEqualTo(moved);
    JsonNode check = assertLedgerBalanced(client, client.ops());
    assertThat(check.get("unreconciledHolds").asLong()).isZero();
  }

  @Test
  void racingHoldsAndTransfersNeverSpendMoreThanTheBalance() {
    Parties parties = parties(1_000);
    WebClient web = WebClient.builder().baseUrl("http://localhost:" + port).build();
    // 20 holds and 20 transfers of 100 race for a balance of 1 000: at most 10 succeed in all.
    List<String[]> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(new String[] {"/api/v1/holds", key()});
      calls.add(new String[] {"/api/v1/transfers", key()});
    }
    String body =
        "{\"fromAccountId\": \"%s\", \"toAccountId\": \"%s\", \"amount\": 100, \"currency\": \"EUR\"}"
            .formatted(parties.payerAccount(), parties.merchantAccount());
    List<Integer> statuses =
        Flux.fromIterable(calls)
            .flatMap(
                call ->
                    web.post()
                        .uri(call[0])
                        .headers(h -> h.setBearerAuth(parties.payer().token()))
                        .header("Idempotency-Key", call[1])
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(body)
                        .exchangeToMono(
                            response ->
                                response.releaseBody().thenReturn(response.statusCode().value())),
                16)
            .collectList()
            .block(Duration.ofMinutes(2));

    assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(201, 202, 422));
    assertThat(statuses.stream().filter(status -> status != 422)).hasSize(10);
    JsonNode payer = available(parties.payer(), parties.payerAccount());
    assertThat(payer.get("availableBalance").asLong()).isZero();
    JsonNode check = assertLedgerBalanced(client, client.ops());
    assertThat(check.get("unreconciledHolds").asLong()).isZero();
  }

  @Test
  void badHoldsAreRefusedAndMoveNothing() {
    Parties parties = parties(1_000);
    for (String expiresAt :
        List.of(
            "2026-01-01T00:00:00Z",
            Instant.now().plus(Duration.ofDays(8)).toString(),
            "2030-01-01T00:00:00",
            "soon")) {
      JsonNode problem =
          assertProblem(
              place(parties, 100, expiresAt), HttpStatus.BAD_REQUEST, "validation_failed");
      assertThat(errorFields(problem)).containsExactly("expiresAt");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fromAccountId", parties.payerAccount());
    body.put("toAccountId", parties.payerAccount());
    body.put("amount", 100);
    body.put("currency", "EUR");
    assertProblem(
        client.moneyPost(parties.payer(), "/api/v1/holds", key(), body),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "same_account");
    body.put("toAccountId", parties.merchantAccount());
    body.put("metadata", Map.of("n", 1));
    assertThat(
            errorFields(
                assertProblem(
                    client.moneyPost(parties.payer(), "/api/v1/holds", key(), body),
                    HttpStatus.BAD_REQUEST,
                    "validation_failed")))
        .containsExactly("metadata.n");
    // The merchant cannot hold the payer's money.
    body.remove("metadata");
    assertProblem(
        client.moneyPost(parties.merchant(), "/api/v1/holds", key(), body),
        HttpStatus.NOT_FOUND,
        "account_not_found");
    assertProblem(
        capture(parties.merchant(), UUID.randomUUID(), key(), null),
        HttpStatus.NOT_FOUND,
        "hold_not_found");

    JsonNode payer = available(parties.payer(), parties.payerAccount());
    assertThat(payer.get("availableBalance").asLong()).isEqualTo(1_000);
    assertThat(
            client
                .get(parties.payer(), "/api/v1/accounts/" + parties.payerAccount() + "/holds")
                .get("items"))
        .isEmpty();
  }

  @Test
  void theBalanceAtAnInstantShowsWhatWasHeldThen() throws InterruptedException {
    Parties parties = parties(1_000);
    Instant before = Instant.now();
    Thread.sleep(20);
    UUID hold = placed(parties, 400);
    Thread.sleep(20);
    Instant held = Instant.now();
    Thread.sleep(20);
    EntityExchangeResult<byte[]> captured = capture(parties.merchant(), hold, key(), 150L);
    assertThat(captured.getStatus()).isEqualTo(HttpStatus.OK);
    client.awaitTerminal(
        parties.payer(),
        UUID.fromString(PaystreamClient.json(captured).get("transferId").asString()),
        SETTLE);
    Thread.sleep(20);
    Instant after = Instant.now();

    String path = "/api/v1/accounts/" + parties.payerAccount() + "/balance?at=";
    JsonNode atBefore = client.get(parties.payer(), path + before);
    assertThat(atBefore.get("balance").asLong()).isEqualTo(1_000);
    assertThat(atBefore.get("availableBalance").asLong()).isEqualTo(1_000);
    JsonNode atHeld = client.get(parties.payer(), path + held);
    assertThat(atHeld.get("balance").asLong()).isEqualTo(1_000);
    assertThat(atHeld.get("availableBalance").asLong()).isEqualTo(600);
    JsonNode atAfter = client.get(parties.payer(), path + after);
    assertThat(atAfter.get("balance").asLong()).isEqualTo(850);
    assertThat(atAfter.get("availableBalance").asLong()).isEqualTo(850);
    JsonNode check = client.get(client.ops(), "/api/v1/ops/ledger/check?at=" + held);
    assertThat(check.get("balanced").asBoolean()).isTrue();
    assertThat(check.get("heldByCurrency").toString()).contains("EUR");
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  private static byte[] body(EntityExchangeResult<byte[]> result) {
    return result.getResponseBody() == null ? new byte[0] : result.getResponseBody();
  }
}
