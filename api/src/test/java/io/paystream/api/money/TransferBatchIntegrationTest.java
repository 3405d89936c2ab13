package io.paystream.api.money;

import static io.paystream.api.testing.MoneyAssertions.assertLedgerBalanced;
import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
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
 * {@code POST /api/v1/transfer-batches}: up to 100 transfers from one payer account, accepted all
 * or none. One refused transfer refuses the batch with its index ({@code leg}) and code, and
 * nothing moves; accepted, each transfer completes or fails on its own and the batch's status
 * follows them.
 */
class TransferBatchIntegrationTest extends ApiIntegrationTest {

  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aBatchDebitsAllItsTransfersAtOnceAndCompletesWithThem() {
    User payer = client.newCustomer();
    UUID from = client.openAccount(payer, "EUR");
    client.deposit(payer, from, 10_000, "EUR");
    List<UUID> payees = payees(3);

    EntityExchangeResult<byte[]> result =
        post(
            payer,
            key(),
            batch(
                from,
                leg(payees.get(0), 1_000, Map.of("payslip", "2026-12/7")),
                leg(payees.get(1), 2_000, null),
                leg(payees.get(2), 3_000, null)));

    assertThat(result.getStatus()).as(body(result)).isEqualTo(HttpStatus.ACCEPTED);
    JsonNode accepted = PaystreamClient.json(result);
    String id = accepted.get("id").asString();
    assertThat(result.getResponseHeaders().getLocation())
        .hasToString("/api/v1/transfer-batches/" + id);
    assertThat(accepted.get("status").asString()).isEqualTo("PENDING");
    assertThat(accepted.get("transfers"))
        .extracting(leg -> leg.get("amount").asLong())
        .containsExactly(1_000L, 2_000L, 3_000L);
    assertThat(accepted.get("transfers").get(0).get("metadata").get("payslip").asString())
        .isEqualTo("2026-12/7");
    assertThat(client.balance(payer, from)).as("all debits before the 202").isEqualTo(4_000);

    JsonNode done =
        Eventually.await(
            SETTLE,
            "batch " + id + " to complete",
            () -> client.get(payer, "/api/v1/transfer-batches/" + id),
            batch -> !"PENDING".equals(batch.get("status").asString()));
    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(done.get("transfers"))
        .allSatisfy(leg -> assertThat(leg.get("status").asString()).isEqualTo("COMPLETED"));
    for (int i = 0; i < 3; i++) {
      String transfer = done.get("transfers").get(i).get("id").asString();
      assertThat(client.getTransfer(payer, UUID.fromString(transfer)).get("toAccountId").asString())
          .isEqualTo(payees.get(i).toString());
    }
    assertThat(client.get(client.ops(), "/api/v1/transfer-batches/" + id).get("id").asString())
        .isEqualTo(id);
  }

  @Test
  void oneRefusedTransferRefusesTheBatchNamingItsIndexAndNothingMoves() {
    User payer = client.newCustomer();
    UUID from = client.openAccount(payer, "EUR");
    client.deposit(payer, from, 1_000, "EUR");
    List<UUID> payees = payees(2);
    User stranger = client.newCustomer();

    // Each fits alone; together the third runs out of money.
    JsonNode poor =
        assertProblem(
            post(
                payer,
                key(),
                batch(
                    from,
                    leg(payees.get(0), 400, null),
                    leg(payees.get(1), 400, null),
                    leg(payees.get(0), 400, null),
                    leg(payees.get(1), 100, null))),
            HttpStatus.UNPROCESSABLE_CONTENT,
            "insufficient_funds");
    assertThat(poor.get("leg").asInt()).isEqualTo(2);
    JsonNode unknown =
        assertProblem(
            post(
                payer,
                key(),
                batch(from, leg(payees.get(0), 1, null), leg(UUID.randomUUID(), 1, null))),
            HttpStatus.NOT_FOUND,
            "account_not_found");
    assertThat(unknown.get("leg").asInt()).isEqualTo(1);
    JsonNode notHers =
        assertProblem(
            post(stranger, key(), batch(from, leg(payees.get(0), 1, null))),
            HttpStatus.NOT_FOUND,
            "account_not_found");
    assertThat(notHers.get("leg").asInt()).isZero();
    JsonNode zero =
        assertProblem(
            post(
                payer,
                key(),
                batch(from, leg(payees.get(0), 5, null), leg(payees.get(1), 0, null))),
            HttpStatus.UNPROCESSABLE_CONTENT,
            "amount_out_of_range");
    assertThat(zero.get("leg").asInt()).isEqualTo(1);

    assertThat(client.balance(payer, from)).isEqualTo(1_000);
    assertThat(client.get(payer, "/api/v1/accounts/" + from + "/transactions").get("items"))
        .hasSize(1);
  }

  @Test
  void badTransfersAreRefusedNamingTheirFields() {
    User payer = client.newCustomer();
    UUID from = client.openAccount(payer, "EUR");
    UUID to = payees(1).get(0);
    List<Map<String, Object>> tooMany = new ArrayList<>();
    for (int i = 0; i <= TransferBatchController.LEGS_MAX; i++) {
      tooMany.add(leg(to, 1, null));
    }
    Map<String, Object> noAmount = new LinkedHashMap<>();
    noAmount.put("toAccountId", to.toString());

    record Bad(Object body, List<String> fields) {}
    for (Bad bad :
        List.of(
            new Bad(batch(from), List.of("transfers")),
            new Bad(
                Map.of("fromAccountId", from.toString(), "currency", "EUR"), List.of("transfers")),
            new Bad(batchOf(from, tooMany), List.of("transfers")),
            new Bad(batch(from, leg(to, 1, null), noAmount), List.of("transfers[1].amount")),
            new Bad(
                batch(from, leg(to, 1, Map.of("bad key", "x"))),
                List.of("transfers[0].metadata.bad key")),
            new Bad(
                Map.of("currency", "eur", "transfers", List.of(leg(to, 1, null))),
                List.of("fromAccountId", "currency")))) {
      JsonNode problem =
          assertProblem(
              post(payer, key(), bad.body()), HttpStatus.BAD_REQUEST, "validation_failed");
      assertThat(errorFields(problem)).as(bad.toString()).containsExactlyElementsOf(bad.fields());
    }
    assertProblem(
        http.get()
            .uri("/api/v1/transfer-batches/{id}", UUID.randomUUID())
            .headers(h -> h.setBearerAuth(payer.token()))
            .exchange()
            .expectBody()
            .returnResult(),
        HttpStatus.NOT_FOUND,
        "transfer_batch_not_found");
  }

  @Test
  void racingBatchesWithDuplicateKeysAreNeverHalfAppliedAndMoveMoneyOnce() {
    User payer = client.newCustomer();
    UUID from = client.openAccount(payer, "EUR");
    client.deposit(payer, from, 5_000, "EUR");
    List<UUID> payees = payees(3);
    // 12 batches of 3 transfers (600 each, 7 200 in all) against 5 000, each sent twice.
    List<String> keys = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      keys.add(key());
      bodies.add(
          JSON.writeValueAsString(
              batch(
                  from,
                  leg(payees.get(0), 100, null),
                  leg(payees.get(1), 200, null),
                  leg(payees.get(2), 300, null))));
    }
    WebClient web = WebClient.builder().baseUrl("http://localhost:" + port).build();
    List<Map.Entry<Integer, String>> answers =
        Flux.range(0, 24)
            .flatMap(
                n ->
                    web.post()
                        .uri("/api/v1/transfer-batches")
                        .headers(h -> h.setBearerAuth(payer.token()))
                        .header("Idempotency-Key", keys.get(n / 2))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(bodies.get(n / 2))
                        .exchangeToMono(
                            response ->
                                response
                                    .bodyToMono(String.class)
                                    .map(
                                        text ->
                                            Map.entry(
                                                n / 2,
                                                response.statusCode().value() + " " + text))),
                8)
            .collectList()
            .block(Duration.ofMinutes(2));

    assertThat(answers).hasSize(24);
    Map<Integer, Set<String>> batchesByKey = new HashMap<>();
    for (Map.Entry<Integer, String> answer : answers) {
      int status = Integer.parseInt(answer.getValue().substring(0, 3));
      JsonNode document = JSON.readTree(answer.getValue().substring(4));
      if (status == 202) {
        assertThat(document.get("transfers")).hasSize(3);
        batchesByKey
            .computeIfAbsent(answer.getKey(), k -> new HashSet<>())
            .add(document.get("id").asString());
      } else {
        assertThat(status).as(answer.getValue()).isIn(409, 422);
        assertThat(document.get("code").asString())
            .isIn("insufficient_funds", "idempotency_key_in_use");
      }
    }
    // 8 batches of 600 fit in 5 000; each key made one batch at most.
    assertThat(batchesByKey).hasSize(8);
    assertThat(batchesByKey.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    assertThat(client.balance(payer, from)).isEqualTo(200);
    for (Set<String> ids : batchesByKey.values()) {
      String id = ids.iterator().next();
      Eventually.await(
          SETTLE,
          "batch " + id,
          () -> client.get(payer, "/api/v1/transfer-batches/" + id),
          batch -> "COMPLETED".equals(batch.get("status").asString()));
    }
    assertThat(
            client.get(payer, "/api/v1/accounts/" + from + "/transactions?limit=100").get("items"))
        .hasSize(1 + 8 * 3);
    assertLedgerBalanced(client, client.ops());
  }

  @Test
  void aTransferWhoseCreditFailsLeavesTheBatchPartiallyFailed() throws Exception {
    User payer = client.newCustomer();
    UUID from = client.openAccount(payer, "EUR");
    client.deposit(payer, from, 1_000, "EUR");
    List<UUID> payees = payees(2);
    String id;
    // As in CreditRefundIntegrationTest: the second payee is frozen by a transaction that commits
    // after the batch's debits, so that transfer's credit finds it frozen.
    try (Connection db = CreditRefundIntegrationTest.connect()) {
      db.setAutoCommit(false);
      CreditRefundIntegrationTest.setStatusUncommitted(db, payees.get(1), "FROZEN");
      EntityExchangeResult<byte[]> result =
          post(
              payer,
              key(),
              batch(from, leg(payees.get(0), 100, null), leg(payees.get(1), 200, null)));
      assertThat(result.getStatus()).as(body(result)).isEqualTo(HttpStatus.ACCEPTED);
      id = PaystreamClient.json(result).get("id").asString();
      db.commit();
    }

    JsonNode done =
        Eventually.await(
            SETTLE,
            "batch " + id + " to finish",
            () -> client.get(payer, "/api/v1/transfer-batches/" + id),
            batch -> !"PENDING".equals(batch.get("status").asString()));
    assertThat(done.get("status").asString()).isEqualTo("PARTIALLY_FAILED");
    assertThat(done.get("transfers"))
        .extracting(leg -> leg.get("status").asString())
        .containsExactly("COMPLETED", "FAILED");
    assertThat(client.balance(payer, from)).isEqualTo(900);
    assertLedgerBalanced(client, client.ops());
  }

  private List<UUID> payees(int n) {
    List<UUID> payees = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      payees.add(client.openAccount(client.newCustomer(), "EUR"));
    }
    return payees;
  }

  private static Map<String, Object> leg(UUID to, long amount, Map<String, String> metadata) {
    Map<String, Object> leg = new LinkedHashMap<>();
    leg.put("toAccountId", to.toString());
    leg.put("amount", amount);
    leg.put("description", "batch leg");
    if (metadata != null) {
      leg.put("metadata", metadata);
    }
    return leg;
  }

  @SafeVarargs
  private static Map<String, Object> batch(UUID from, Map<String, Object>... legs) {
    return batchOf(from, List.of(legs));
  }

  private static Map<String, Object> batchOf(UUID from, List<Map<String, Object>> legs) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fromAccountId", from.toString());
    body.put("currency", "EUR");
    body.put("transfers", legs);
    return body;
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  private static String body(EntityExchangeResult<byte[]> result) {
    return new String(result.getResponseBody());
  }

  private EntityExchangeResult<byte[]> post(User user, String key, Object body) {
    return client.moneyPost(user, "/api/v1/transfer-batches", key, body);
  }
}
