package io.paystream.api.money;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.live.LiveStatusIntegrationTest;
import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Metadata on transfers, deposits and withdrawals (issue 23): kept exactly, returned wherever the
 * object is (the POST's answer, GET, the ops searches, the events streams and webhooks carry),
 * found by one key and value in history and the ops searches, part of the idempotency fingerprint
 * in canonical form, and refused with 400 {@code validation_failed} naming the key, moving nothing.
 */
class MetadataIntegrationTest extends ApiIntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final String IBAN = "DE89370400440532013000";

  @Test
  void aTransfersMetadataIsKeptAndReturnedEverywhereTheTransferIs() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    client.deposit(alice, from, 1_000, "EUR");
    Map<String, Object> metadata = ordered("orderId", "A-1001", "channel", "app", "note", "");

    JsonNode accepted =
        created(post(alice, "/api/v1/transfers", transfer(from, to, 100, metadata)));
    assertThat(labels(accepted)).isEqualTo(metadata);
    UUID id = UUID.fromString(accepted.get("id").asString());
    JsonNode completed = client.awaitTerminal(alice, id, SETTLE);
    assertThat(completed.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(labels(completed)).isEqualTo(metadata);

    List<ServerSentEvent<String>> events =
        LiveStatusIntegrationTest.events(port, alice, "/api/v1/transfers/" + id + "/events", null)
            .collectList()
            .block(SETTLE);
    assertThat(events)
        .extracting(ServerSentEvent::event)
        .containsExactly("transfer.pending", "transfer.completed");
    for (ServerSentEvent<String> event : events) {
      assertThat(labels(JSON.readTree(event.data()))).as(event.event()).isEqualTo(metadata);
    }

    JsonNode found =
        client.get(client.ops(), "/api/v1/ops/transfers?metadataKey=orderId&metadataValue=A-1001");
    assertThat(found.get("items")).hasSize(1);
    assertThat(found.get("items").get(0).get("id").asString()).isEqualTo(id.toString());
    assertThat(labels(found.get("items").get(0))).isEqualTo(metadata);

    // Without metadata, the document says so with an empty object.
    JsonNode plain = created(post(alice, "/api/v1/transfers", transfer(from, to, 1, null)));
    assertThat(plain.get("metadata").isObject()).isTrue();
    assertThat(plain.get("metadata").size()).isZero();
  }

  @Test
  void historyFindsTheEntriesOfTheLabelledMovementsOnly() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    String order = "order-" + UUID.randomUUID();
    JsonNode deposit =
        created(
            post(
                alice,
                "/api/v1/deposits",
                Map.of(
                    "accountId",
                    from.toString(),
                    "amount",
                    5_000,
                    "currency",
                    "EUR",
                    "reference",
                    "top-up",
                    "metadata",
                    Map.of("order", order, "kind", "top-up"))));
    assertThat(labels(deposit)).isEqualTo(Map.of("order", order, "kind", "top-up"));
    UUID labelled =
        UUID.fromString(
            created(
                    post(
                        alice,
                        "/api/v1/transfers",
                        transfer(from, to, 700, Map.of("order", order))))
                .get("id")
                .asString());
    UUID other =
        UUID.fromString(
            created(
                    post(
                        alice,
                        "/api/v1/transfers",
                        transfer(from, to, 55, Map.of("order", order + "-x"))))
                .get("id")
                .asString());
    client.awaitTerminal(alice, labelled, SETTLE);
    client.awaitTerminal(alice, other, SETTLE);

    JsonNode payer = history(alice, from, "order", order);
    assertThat(payer.get("items"))
        .extracting(item -> item.get("amount").asLong())
        .containsExactly(700L, 5_000L);
    JsonNode payee = history(alice, to, "order", order);
    assertThat(payee.get("items")).hasSize(1);
    assertThat(payee.get("items").get(0).get("transferId").asString())
        .isEqualTo(labelled.toString());
    assertThat(history(alice, from, "kind", "top-up").get("items")).hasSize(1);
    assertThat(history(alice, from, "order", "nothing-like-it").get("items")).isEmpty();
    // Without a search, every entry.
    assertThat(client.get(alice, "/api/v1/accounts/" + from + "/transactions").get("items"))
        .hasSize(3);
  }

  @Test
  void aWithdrawalsMetadataIsReturnedAndFoundByTheOpsSearch() {
    User alice = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");
    client.deposit(alice, account, 1_000, "EUR");
    String payout = "payout-" + UUID.randomUUID();

    EntityExchangeResult<byte[]> result =
        post(
            alice,
            "/api/v1/withdrawals",
            Map.of(
                "accountId",
                account.toString(),
                "amount",
                100,
                "currency",
                "EUR",
                "destination",
                IBAN,
                "metadata",
                Map.of("payout", payout)));
    assertThat(result.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    JsonNode accepted = PaystreamClient.json(result);
    assertThat(labels(accepted)).isEqualTo(Map.of("payout", payout));
    String id = accepted.get("id").asString();
    assertThat(labels(client.get(alice, "/api/v1/withdrawals/" + id)))
        .isEqualTo(Map.of("payout", payout));

    JsonNode found =
        client.get(
            client.ops(), "/api/v1/ops/withdrawals?metadataKey=payout&metadataValue=" + payout);
    assertThat(found.get("items"))
        .extracting(item -> item.get("id").asString())
        .containsExactly(id);
  }

  @Test
  void theSameKeyWithTheSamePairsInAnotherOrderIsAReplayAndWithAnotherValueIsRefused() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    client.deposit(alice, from, 1_000, "EUR");
    String key = UUID.randomUUID().toString();

    EntityExchangeResult<byte[]> first =
        post(alice, "/api/v1/transfers", key, transfer(from, to, 10, ordered("a", "1", "b", "2")));
    EntityExchangeResult<byte[]> again =
        post(alice, "/api/v1/transfers", key, transfer(from, to, 10, ordered("b", "2", "a", "1")));
    EntityExchangeResult<byte[]> changed =
        post(alice, "/api/v1/transfers", key, transfer(from, to, 10, ordered("a", "1", "b", "3")));

    assertThat(first.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(again.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(PaystreamClient.json(again).get("id").asString())
        .isEqualTo(PaystreamClient.json(first).get("id").asString());
    assertProblem(changed, HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused");
    assertThat(client.balance(alice, from)).isEqualTo(990);
  }

  @Test
  void badMetadataIsRefusedNamingTheKeyAndMovesNothing() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    client.deposit(alice, from, 1_000, "EUR");
    Map<String, Object> tooMany = new LinkedHashMap<>();
    IntStream.range(0, 21).forEach(i -> tooMany.put("k" + i, "v"));
    record Bad(Object metadata, String field) {}
    List<Bad> cases =
        List.of(
            new Bad(tooMany, "metadata"),
            new Bad(Map.of("bad key", "v"), "metadata.bad key"),
            new Bad(Map.of("k".repeat(41), "v"), "metadata." + "k".repeat(41)),
            new Bad(Map.of("n", 7), "metadata.n"),
            new Bad(Map.of("flag", true), "metadata.flag"),
            new Bad(Map.of("nested", Map.of("a", "b")), "metadata.nested"),
            new Bad(Map.of("list", List.of("a")), "metadata.list"),
            new Bad(Map.of("long", "v".repeat(501)), "metadata.long"),
            new Bad(Map.of("ctrl", "a\u0007b"), "metadata.ctrl"),
            new Bad(ordered("empty", null), "metadata.empty"));
    for (Bad bad : cases) {
      Map<String, Object> transfer = new LinkedHashMap<>(transfer(from, to, 10, null));
      transfer.put("metadata", bad.metadata());
      Map<String, Object> deposit = new LinkedHashMap<>();
      deposit.put("accountId", from.toString());
      deposit.put("amount", 10);
      deposit.put("currency", "EUR");
      deposit.put("metadata", bad.metadata());
      Map<String, Object> withdrawal = new LinkedHashMap<>(deposit);
      withdrawal.put("destination", IBAN);
      for (Map.Entry<String, Map<String, Object>> request :
          Map.of(
                  "/api/v1/transfers", transfer,
                  "/api/v1/deposits", deposit,
                  "/api/v1/withdrawals", withdrawal)
              .entrySet()) {
        JsonNode problem =
            assertProblem(
                post(alice, request.getKey(), request.getValue()),
                HttpStatus.BAD_REQUEST,
                "validation_failed");
        assertThat(errorFields(problem)).as(request.getKey() + " " + bad).contains(bad.field());
      }
    }
    assertThat(client.balance(alice, from)).isEqualTo(1_000);
    assertThat(client.balance(alice, to)).isZero();
    assertThat(client.get(alice, "/api/v1/accounts/" + from + "/transactions").get("items"))
        .hasSize(1);
  }

  @Test
  void aSearchNeedsBothKeyAndValueAndAValidKey() {
    User alice = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");
    User ops = client.ops();
    String history = "/api/v1/accounts/" + account + "/transactions";
    record Bad(User user, String path, String field) {}
    for (Bad bad :
        List.of(
            new Bad(alice, history + "?metadataKey=order", "metadataValue"),
            new Bad(alice, history + "?metadataValue=x", "metadataKey"),
            new Bad(alice, history + "?metadataKey=a%20b&metadataValue=x", "metadataKey"),
            new Bad(ops, "/api/v1/ops/transfers?metadataKey=order", "metadataValue"),
            new Bad(ops, "/api/v1/ops/withdrawals?metadataValue=x", "metadataKey"))) {
      EntityExchangeResult<byte[]> result =
          http.get()
              .uri(bad.path())
              .headers(h -> h.setBearerAuth(bad.user().token()))
              .exchange()
              .expectBody()
              .returnResult();
      JsonNode problem = assertProblem(result, HttpStatus.BAD_REQUEST, "validation_failed");
      assertThat(errorFields(problem)).as(bad.path()).containsExactly(bad.field());
    }
  }

  private JsonNode history(User user, UUID account, String key, String value) {
    return client.get(
        user,
        "/api/v1/accounts/"
            + account
            + "/transactions?metadataKey="
            + key
            + "&metadataValue="
            + value);
  }

  /** The document's metadata as a map of strings. */
  private static Map<String, Object> labels(JsonNode document) {
    Map<String, Object> labels = new LinkedHashMap<>();
    document
        .get("metadata")
        .properties()
        .forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
    return labels;
  }

  /** A map that keeps the order given, and allows a null value. */
  private static Map<String, Object> ordered(String... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static Map<String, Object> transfer(
      UUID from, UUID to, long amount, Map<String, Object> metadata) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fromAccountId", from.toString());
    body.put("toAccountId", to.toString());
    body.put("amount", amount);
    body.put("currency", "EUR");
    body.put("description", "labelled");
    if (metadata != null) {
      body.put("metadata", metadata);
    }
    return body;
  }

  private static JsonNode created(EntityExchangeResult<byte[]> result) {
    assertThat(result.getStatus().is2xxSuccessful())
        .as(new String(result.getResponseBody()))
        .isTrue();
    return PaystreamClient.json(result);
  }

  private EntityExchangeResult<byte[]> post(User user, String path, Object body) {
    return post(user, path, UUID.randomUUID().toString(), body);
  }

  private EntityExchangeResult<byte[]> post(User user, String path, String key, Object body) {
    return client.moneyPost(user, path, key, body);
  }
}
