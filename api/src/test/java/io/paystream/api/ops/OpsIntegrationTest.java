package io.paystream.api.ops;

import static io.paystream.api.testing.MoneyAssertions.assertLedgerBalanced;
import static io.paystream.api.testing.PaystreamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/** CONTRACT.md, Operations: stats, the transfer listing and the ledger check, for OPS only. */
class OpsIntegrationTest extends ApiIntegrationTest {

  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);
  private static final List<String> OPS_ENDPOINTS =
      List.of("/api/v1/ops/stats", "/api/v1/ops/transfers", "/api/v1/ops/ledger/check");

  /** A currency no other test moves, so its volume changes only by what this class does. */
  private static final String STATS_CURRENCY = "NZD";

  @Test
  void statsCountUsersAccountsTransfersVolumeAndBacklogAndGrowAfterATransfer() {
    User ops = client.ops();
    JsonNode before = client.get(ops, "/api/v1/ops/stats");
    assertThat(before.propertyNames())
        .contains("users", "accounts", "transfers", "volumeByCurrency", "outboxBacklog");
    assertThat(before.get("outboxBacklog").asLong()).isNotNegative();

    User payer = client.newCustomer();
    User payee = client.newCustomer();
    UUID from = client.openAccount(payer, STATS_CURRENCY);
    UUID to = client.openAccount(payee, STATS_CURRENCY);
    client.deposit(payer, from, 10_000, STATS_CURRENCY);
    UUID transfer = client.acceptedTransfer(payer, from, to, 2_500, STATS_CURRENCY);
    assertThat(client.awaitTerminal(payer, transfer, SETTLE_TIMEOUT).get("status").asString())
        .isEqualTo("COMPLETED");

    JsonNode after = client.get(ops, "/api/v1/ops/stats");
    assertThat(after.get("users").asLong())
        .isGreaterThanOrEqualTo(before.get("users").asLong() + 2);
    assertThat(count(after.get("accounts"), "ACTIVE"))
        .isGreaterThanOrEqualTo(count(before.get("accounts"), "ACTIVE") + 2);
    assertThat(count(after.get("transfers"), "COMPLETED"))
        .isGreaterThanOrEqualTo(count(before.get("transfers"), "COMPLETED") + 1);
    JsonNode volumeBefore = volume(before, STATS_CURRENCY);
    JsonNode volumeAfter = volume(after, STATS_CURRENCY);
    assertThat(volumeAfter).as("volume of " + STATS_CURRENCY).isNotNull();
    assertThat(amount(volumeAfter, "deposits") - amount(volumeBefore, "deposits"))
        .isEqualTo(10_000);
    assertThat(
            amount(volumeAfter, "completedTransfers") - amount(volumeBefore, "completedTransfers"))
        .isEqualTo(2_500);
    assertThat(after.get("outboxBacklog").isIntegralNumber()).isTrue();
    assertThat(after.get("outboxBacklog").asLong()).isNotNegative();
  }

  @Test
  void theTransferListingPagesThroughEveryTransferOfAnAccountNewestFirst() {
    User ops = client.ops();
    Pair pair = pairWithCompletedTransfers(5);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String query =
          "/api/v1/ops/transfers?limit=2&accountId="
              + pair.from()
              + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode page = client.get(ops, query);
      assertThat(page.propertyNames()).contains("items", "nextCursor");
      assertThat(page.get("items").size()).isBetween(1, 2);
      page.get("items").forEach(t -> seen.add(t.get("id").asString()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
      pages++;
      assertThat(pages).as("pages").isLessThanOrEqualTo(3);
    } while (cursor != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(pair.transfers());
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen)
        .isSortedAccordingTo(Comparator.comparing((String id) -> UUID.fromString(id)).reversed());
  }

  @Test
  void theTransferListingFiltersByStatusAndAccount() {
    User ops = client.ops();
    Pair pair = pairWithCompletedTransfers(2);

    JsonNode completed =
        client.get(ops, "/api/v1/ops/transfers?status=COMPLETED&accountId=" + pair.to());
    assertThat(ids(completed)).containsExactlyInAnyOrderElementsOf(pair.transfers());
    completed
        .get("items")
        .forEach(
            t -> {
              assertThat(t.get("status").asString()).isEqualTo("COMPLETED");
              assertThat(t.get("toAccountId").asString()).isEqualTo(pair.to().toString());
            });
    assertThat(completed.get("nextCursor").isNull()).isTrue();

    assertThat(
            client
                .get(ops, "/api/v1/ops/transfers?status=PENDING&accountId=" + pair.from())
                .get("items")
                .isEmpty())
        .isTrue();
    assertThat(
            client
                .get(ops, "/api/v1/ops/transfers?status=FAILED&accountId=" + pair.from())
                .get("items")
                .isEmpty())
        .isTrue();
    assertThat(
            client
                .get(ops, "/api/v1/ops/transfers?accountId=" + UUID.randomUUID())
                .get("items")
                .isEmpty())
        .isTrue();

    JsonNode allCompleted = client.get(ops, "/api/v1/ops/transfers?status=COMPLETED&limit=100");
    allCompleted
        .get("items")
        .forEach(t -> assertThat(t.get("status").asString()).isEqualTo("COMPLETED"));
  }

  @Test
  void theTransferListingRefusesAnUnknownStatusABadLimitAndAForeignCursor() {
    User ops = client.ops();

    assertBadRequest(ops, "/api/v1/ops/transfers?status=DONE", "status");
    assertBadRequest(ops, "/api/v1/ops/transfers?status=completed", "status");
    assertBadRequest(ops, "/api/v1/ops/transfers?limit=0", "limit");
    assertBadRequest(ops, "/api/v1/ops/transfers?limit=101", "limit");
    assertBadRequest(ops, "/api/v1/ops/transfers?cursor=not-a-cursor", "cursor");
  }

  @Test
  void theLedgerBalancesToZeroInEveryCurrencyAfterDepositsAndTransfers() {
    User ops = client.ops();
    pairWithCompletedTransfers(1);
    User jpyOwner = client.newCustomer();
    UUID jpy = client.openAccount(jpyOwner, "JPY");
    client.deposit(jpyOwner, jpy, 5_000, "JPY");

    JsonNode check = assertLedgerBalanced(client, ops);

    assertThat(check.get("balanced").isBoolean()).isTrue();
    assertThat(check.get("byCurrency").isArray()).isTrue();
    List<String> currencies = new ArrayList<>();
    check
        .get("byCurrency")
        .forEach(
            sum -> {
              currencies.add(sum.get("currency").asString());
              assertThat(sum.get("sum").isIntegralNumber()).isTrue();
            });
    assertThat(currencies).contains("EUR", "JPY").doesNotHaveDuplicates();
  }

  @Test
  void aCustomerIsForbiddenFromEveryOpsEndpoint() {
    User customer = client.newCustomer();

    for (String path : OPS_ENDPOINTS) {
      EntityExchangeResult<byte[]> result =
          http.get()
              .uri(path)
              .headers(h -> h.setBearerAuth(customer.token()))
              .exchange()
              .expectBody()
              .returnResult();
      assertThat(result.getStatus()).as(path).isEqualTo(HttpStatus.FORBIDDEN);
      assertThat(result.getResponseHeaders().getContentType())
          .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
      assertThat(json(result).get("code").asString()).as(path).isEqualTo("forbidden");
    }
  }

  @Test
  void everyOpsEndpointNeedsAToken() {
    for (String path : OPS_ENDPOINTS) {
      EntityExchangeResult<byte[]> result =
          http.get().uri(path).exchange().expectBody().returnResult();
      assertThat(result.getStatus()).as(path).isEqualTo(HttpStatus.UNAUTHORIZED);
      assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
          .startsWith("Bearer");
      assertThat(json(result).get("code").asString()).as(path).isEqualTo("unauthorized");
    }
  }

  private record Pair(UUID from, UUID to, List<String> transfers) {}

  /** Two fresh EUR accounts and {@code n} completed transfers between them, oldest first. */
  private Pair pairWithCompletedTransfers(int n) {
    User payer = client.newCustomer();
    User payee = client.newCustomer();
    UUID from = client.openAccount(payer, "EUR");
    UUID to = client.openAccount(payee, "EUR");
    client.deposit(payer, from, 100L * n, "EUR");
    List<UUID> accepted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      accepted.add(client.acceptedTransfer(payer, from, to, 100, "EUR"));
    }
    List<String> ids = new ArrayList<>();
    for (UUID transfer : accepted) {
      assertThat(client.awaitTerminal(payer, transfer, SETTLE_TIMEOUT).get("status").asString())
          .isEqualTo("COMPLETED");
      ids.add(transfer.toString());
    }
    return new Pair(from, to, ids);
  }

  private void assertBadRequest(User ops, String path, String field) {
    EntityExchangeResult<byte[]> result =
        http.get()
            .uri(path)
            .headers(h -> h.setBearerAuth(ops.token()))
            .exchange()
            .expectBody()
            .returnResult();
    assertThat(result.getStatus()).as(path).isEqualTo(HttpStatus.BAD_REQUEST);
    JsonNode problem = json(result);
    assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
    assertThat(problem.get("errors").get(0).get("field").asString()).as(path).isEqualTo(field);
  }

  private static List<String> ids(JsonNode page) {
    return page.get("items").values().stream().map(t -> t.get("id").asString()).toList();
  }

  private static long count(JsonNode byStatus, String status) {
    JsonNode n = byStatus.get(status);
    return n == null ? 0 : n.asLong();
  }

  private static JsonNode volume(JsonNode stats, String currency) {
    for (JsonNode volume : stats.get("volumeByCurrency")) {
      if (currency.equals(volume.get("currency").asString())) {
        return volume;
      }
    }
    return null;
  }

  private static long amount(JsonNode volume, String field) {
    return volume == null ? 0 : volume.get(field).asLong();
  }
}
