package io.paystream.api.money;

import static io.paystream.api.testing.MoneyAssertions.assertLedgerBalanced;
import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/transfers/{id}/refunds} and {@code GET} of the same: money back from the
 * payee to the payer, in parts, never more than the transfer in total even when many refunds race,
 * idempotent, and through the saga of a transfer (a payer's account that is closed makes the refund
 * FAILED and moves nothing).
 */
class RefundIntegrationTest extends ApiIntegrationTest {

  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A payer, a merchant (the payee) and a completed transfer between them. */
  private record Paid(
      User payer, UUID payerAccount, User merchant, UUID merchantAccount, UUID id) {}

  private Paid paid(long funding, long amount) {
    User payer = client.newCustomer();
    User merchant = client.newCustomer();
    UUID payerAccount = client.openAccount(payer, "EUR");
    UUID merchantAccount = client.openAccount(merchant, "EUR");
    client.deposit(payer, payerAccount, funding, "EUR");
    UUID id = client.acceptedTransfer(payer, payerAccount, merchantAccount, amount, "EUR");
    assertThat(client.awaitTerminal(payer, id, SETTLE).get("status").asString())
        .isEqualTo("COMPLETED");
    return new Paid(payer, payerAccount, merchant, merchantAccount, id);
  }

  @Test
  void partialRefundsReturnMoneyUntilTheTransfersAmountAndTheTransferListsThem() {
    Paid paid = paid(1_000, 1_000);

    JsonNode first = accepted(refund(paid.merchant(), paid.id(), key(), body(300L, "damaged")));
    assertThat(first.get("refundOf").asString()).isEqualTo(paid.id().toString());
    assertThat(first.get("fromAccountId").asString()).isEqualTo(paid.merchantAccount().toString());
    assertThat(first.get("toAccountId").asString()).isEqualTo(paid.payerAccount().toString());
    assertThat(first.get("amount").asLong()).isEqualTo(300);
    assertThat(first.get("description").asString()).isEqualTo("damaged");
    settle(paid.merchant(), first);
    JsonNode rest = accepted(refund(paid.merchant(), paid.id(), key(), body(null, null)));
    assertThat(rest.get("amount").asLong()).isEqualTo(700);
    settle(paid.merchant(), rest);

    assertThat(client.balance(paid.payer(), paid.payerAccount())).isEqualTo(1_000);
    assertThat(client.balance(paid.merchant(), paid.merchantAccount())).isZero();
    JsonNode refunds = client.get(paid.payer(), "/api/v1/transfers/" + paid.id() + "/refunds");
    assertThat(refunds.get("refundedAmount").asLong()).isEqualTo(1_000);
    assertThat(refunds.get("refundableAmount").asLong()).isZero();
    assertThat(refunds.get("items"))
        .extracting(item -> item.get("amount").asLong())
        .containsExactly(300L, 700L);
    assertProblem(
        refund(paid.merchant(), paid.id(), key(), body(1L, null)),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "refund_exceeds_transfer");
    // A refund is not refundable in turn.
    assertProblem(
        refund(paid.payer(), UUID.fromString(first.get("id").asString()), key(), body(1L, null)),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "transfer_not_refundable");
    assertThat(client.getTransfer(paid.payer(), paid.id()).get("status").asString())
        .isEqualTo("COMPLETED");
  }

  @Test
  void racingPartialRefundsWithDuplicatesNeverReturnMoreThanTheTransfer() {
    Paid paid = paid(5_000, 1_000);
    client.deposit(paid.merchant(), paid.merchantAccount(), 10_000, "EUR");
    // 30 refunds of 70 (2 100 in all) for a transfer of 1 000, each sent twice with its key.
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      keys.add(key());
    }
    WebClient web = WebClient.builder().baseUrl("http://localhost:" + port).build();
    String body = JSON.writeValueAsString(body(70L, null));
    List<int[]> statuses = new ArrayList<>();
    Map<String, Set<String>> idsByKey = new HashMap<>();
    Flux.fromIterable(keys)
        .flatMap(k -> Flux.just(k, k))
        .flatMap(
            k ->
                web.post()
                    .uri("/api/v1/transfers/{id}/refunds", paid.id())
                    .headers(h -> h.setBearerAuth(paid.merchant().token()))
                    .header("Idempotency-Key", k)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body)
                    .exchangeToMono(
                        response ->
                            response
                                .bodyToMono(String.class)
                                .map(
                                    text ->
                                        Map.entry(k, response.statusCode().value() + " " + text))),
            16)
        .collectList()
        .block(Duration.ofMinutes(2))
        .forEach(
            answer -> {
              int status = Integer.parseInt(answer.getValue().substring(0, 3));
              statuses.add(new int[] {status});
              JsonNode document = JSON.readTree(answer.getValue().substring(4));
              if (status == 202) {
                idsByKey
                    .computeIfAbsent(answer.getKey(), k -> new HashSet<>())
                    .add(document.get("id").asString());
              } else {
                assertThat(status).as(answer.getValue()).isIn(409, 422);
                assertThat(document.get("code").asString())
                    .isIn("refund_exceeds_transfer", "idempotency_key_in_use");
              }
            });

    assertThat(statuses).hasSize(60);
    // 14 refunds of 70 fit in 1 000; each key made one refund at most.
    assertThat(idsByKey).hasSize(14);
    assertThat(idsByKey.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    for (Set<String> ids : idsByKey.values()) {
      client.awaitTerminal(paid.merchant(), UUID.fromString(ids.iterator().next()), SETTLE);
    }
    JsonNode refunds = client.get(paid.merchant(), "/api/v1/transfers/" + paid.id() + "/refunds");
    assertThat(refunds.get("items")).hasSize(14);
    assertThat(refunds.get("refundedAmount").asLong()).isEqualTo(980);
    assertThat(refunds.get("refundableAmount").asLong()).isEqualTo(20);
    assertThat(client.balance(paid.payer(), paid.payerAccount())).isEqualTo(4_000 + 980);
    assertThat(client.balance(paid.merchant(), paid.merchantAccount())).isEqualTo(11_000 - 980);
    assertLedgerBalanced(client, client.ops());
  }

  @Test
  void aRefundThePayersAccountCannotTakeAfterTheDebitFailsMovesNothingAndStaysRefundable()
      throws Exception {
    Paid paid = paid(400, 400);
    UUID refund;
    // As in CreditRefundIntegrationTest: the payer's account is frozen by a transaction that
    // commits after the refund's debit, so the refund's credit finds it frozen.
    try (Connection db = CreditRefundIntegrationTest.connect()) {
      db.setAutoCommit(false);
      CreditRefundIntegrationTest.setStatusUncommitted(db, paid.payerAccount(), "FROZEN");
      refund =
          UUID.fromString(
              accepted(refund(paid.merchant(), paid.id(), key(), body(150L, null)))
                  .get("id")
                  .asString());
      assertThat(client.balance(paid.merchant(), paid.merchantAccount()))
          .as("the refund's debit committed before the 202")
          .isEqualTo(250);
      db.commit();
    }
    JsonNode failed = client.awaitTerminal(paid.merchant(), refund, SETTLE);

    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    assertThat(failed.get("failureReason").asString()).contains("frozen");
    assertThat(client.balance(paid.merchant(), paid.merchantAccount())).isEqualTo(400);
    assertThat(client.balance(paid.payer(), paid.payerAccount())).isZero();
    JsonNode refunds = client.get(paid.merchant(), "/api/v1/transfers/" + paid.id() + "/refunds");
    assertThat(refunds.get("refundedAmount").asLong()).isZero();
    assertThat(refunds.get("refundableAmount").asLong()).isEqualTo(400);
    assertThat(refunds.get("items")).hasSize(1);
    assertLedgerBalanced(client, client.ops());
  }

  @Test
  void aRefundToAnAccountClosedBeforehandIsRefusedAndMovesNothing() {
    Paid paid = paid(400, 400);
    EntityExchangeResult<byte[]> closed =
        http.post()
            .uri("/api/v1/accounts/{id}/close", paid.payerAccount())
            .headers(h -> h.setBearerAuth(paid.payer().token()))
            .exchange()
            .expectBody()
            .returnResult();
    assertThat(closed.getStatus()).isEqualTo(HttpStatus.OK);

    assertProblem(
        refund(paid.merchant(), paid.id(), key(), body(150L, null)),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "account_not_active");
    assertThat(client.balance(paid.merchant(), paid.merchantAccount())).isEqualTo(400);
    assertThat(
            client
                .get(paid.merchant(), "/api/v1/transfers/" + paid.id() + "/refunds")
                .get("refundableAmount")
                .asLong())
        .isEqualTo(400);
  }

  @Test
  void onlyThePayeeOrOpsWithAReasonMayRefund() {
    Paid paid = paid(500, 500);
    User stranger = client.newCustomer();
    User ops = client.ops();

    assertProblem(
        refund(paid.payer(), paid.id(), key(), body(10L, null)), HttpStatus.FORBIDDEN, "forbidden");
    assertProblem(
        refund(stranger, paid.id(), key(), body(10L, null)),
        HttpStatus.NOT_FOUND,
        "transfer_not_found");
    assertProblem(
        refund(stranger, UUID.randomUUID(), key(), body(10L, null)),
        HttpStatus.NOT_FOUND,
        "transfer_not_found");
    JsonNode noReason =
        assertProblem(
            refund(ops, paid.id(), key(), body(10L, null)),
            HttpStatus.BAD_REQUEST,
            "validation_failed");
    assertThat(errorFields(noReason)).containsExactly("reason");
    assertProblem(
        http.get()
            .uri("/api/v1/transfers/{id}/refunds", paid.id())
            .headers(h -> h.setBearerAuth(stranger.token()))
            .exchange()
            .expectBody()
            .returnResult(),
        HttpStatus.NOT_FOUND,
        "transfer_not_found");
    assertThat(client.balance(paid.merchant(), paid.merchantAccount())).isEqualTo(500);

    JsonNode byOps = accepted(refund(ops, paid.id(), key(), body(10L, "chargeback 4711")));
    assertThat(byOps.get("description").asString()).isEqualTo("chargeback 4711");
    settle(ops, byOps);
    assertThat(client.balance(paid.payer(), paid.payerAccount())).isEqualTo(10);
  }

  @Test
  void aRefundIsIdempotentAndRefusalsMoveNothing() {
    Paid paid = paid(800, 800);
    String key = key();

    JsonNode first = accepted(refund(paid.merchant(), paid.id(), key, body(100L, null)));
    EntityExchangeResult<byte[]> again = refund(paid.merchant(), paid.id(), key, body(100L, null));
    assertThat(again.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(PaystreamClient.json(again).get("id").asString())
        .isEqualTo(first.get("id").asString());
    assertProblem(
        refund(paid.merchant(), paid.id(), key, body(200L, null)),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "idempotency_key_reused");
    settle(paid.merchant(), first);

    // The merchant spends what it holds: a refund it cannot pay is refused, nothing moves.
    UUID elsewhere = client.openAccount(paid.merchant(), "EUR");
    client.awaitTerminal(
        paid.merchant(),
        client.acceptedTransfer(paid.merchant(), paid.merchantAccount(), elsewhere, 700, "EUR"),
        SETTLE);
    assertProblem(
        refund(paid.merchant(), paid.id(), key(), body(50L, null)),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "insufficient_funds");
    JsonNode bad =
        assertProblem(
            refund(paid.merchant(), paid.id(), key(), Map.of("amount", 10, "reason", "a\u0000b")),
            HttpStatus.BAD_REQUEST,
            "validation_failed");
    assertThat(errorFields(bad)).containsExactly("reason");
    assertProblem(
        refund(paid.merchant(), paid.id(), key(), body(0L, null)),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "amount_out_of_range");
    assertProblem(
        http.post()
            .uri("/api/v1/transfers/{id}/refunds", paid.id())
            .headers(h -> h.setBearerAuth(paid.merchant().token()))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body(10L, null))
            .exchange()
            .expectBody()
            .returnResult(),
        HttpStatus.BAD_REQUEST,
        "idempotency_key_missing");
    assertThat(client.balance(paid.payer(), paid.payerAccount())).isEqualTo(100);
    assertThat(client.balance(paid.merchant(), paid.merchantAccount())).isZero();
    assertThat(client.balance(paid.merchant(), elsewhere)).isEqualTo(700);
  }

  private void settle(User user, JsonNode refund) {
    assertThat(
            client
                .awaitTerminal(user, UUID.fromString(refund.get("id").asString()), SETTLE)
                .get("status")
                .asString())
        .isEqualTo("COMPLETED");
  }

  private static JsonNode accepted(EntityExchangeResult<byte[]> result) {
    assertThat(result.getStatus())
        .as(new String(result.getResponseBody()))
        .isEqualTo(HttpStatus.ACCEPTED);
    assertThat(result.getResponseHeaders().getLocation()).isNotNull();
    return PaystreamClient.json(result);
  }

  private static Map<String, Object> body(Long amount, String reason) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (amount != null) {
      body.put("amount", amount);
    }
    if (reason != null) {
      body.put("reason", reason);
    }
    return body;
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  private EntityExchangeResult<byte[]> refund(User user, UUID transfer, String key, Object body) {
    return client.moneyPost(user, "/api/v1/transfers/" + transfer + "/refunds", key, body);
  }
}
