package io.paystream.api.account;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/accounts/{id}/balance?at=} and {@code GET /api/v1/ops/ledger/check?at=}: the
 * balance as of an instant is the balance right after the account's last entry at or before it,
 * which is also the sum of the entries up to then, even when transfers in both directions race for
 * the same accounts.
 */
class BalanceAtIntegrationTest extends ApiIntegrationTest {

  private static final Duration SETTLE = Duration.ofSeconds(30);

  /** An entry as history lists it, reduced to what a balance is made of. */
  record Entry(Instant createdAt, long signed, long balanceAfter) {}

  @Test
  void theBalanceAsOfEachEntryIsItsBalanceAfterAndZeroBeforeTheFirst() {
    User alice = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");
    UUID other = client.openAccount(alice, "EUR");
    client.deposit(alice, account, 10_000, "EUR");
    for (long amount : new long[] {1_250, 7, 300}) {
      UUID transfer = client.acceptedTransfer(alice, account, other, amount, "EUR");
      client.awaitTerminal(alice, transfer, SETTLE);
    }
    client.awaitTerminal(alice, client.acceptedTransfer(alice, other, account, 40, "EUR"), SETTLE);

    List<Entry> entries = entries(alice, account);
    assertThat(entries).hasSize(5);
    for (Entry entry : entries) {
      assertThat(balanceAt(alice, account, entry.createdAt()).get("balance").asLong())
          .as("balance at %s", entry.createdAt())
          .isEqualTo(entry.balanceAfter());
    }
    // The same instant with another offset is the same instant.
    JsonNode withOffset =
        PaystreamClient.json(
            get(
                alice,
                "/api/v1/accounts/" + account + "/balance",
                entries.get(1).createdAt().atOffset(ZoneOffset.ofHours(1)).toString()));
    assertThat(withOffset.get("balance").asLong()).isEqualTo(entries.get(1).balanceAfter());
    assertThat(Instant.parse(withOffset.get("at").asString()))
        .isEqualTo(entries.get(1).createdAt());
    Instant first = entries.get(0).createdAt();
    JsonNode before = balanceAt(alice, account, first.minusNanos(1_000));
    assertThat(before.get("balance").asLong()).isZero();
    assertThat(before.get("availableBalance").asLong()).isZero();
    assertThat(Instant.parse(before.get("at").asString())).isEqualTo(first.minusNanos(1_000));
    assertThat(before.get("currency").asString()).isEqualTo("EUR");
    assertThat(before.get("accountId").asString()).isEqualTo(account.toString());

    long now = client.balance(alice, account);
    assertThat(now).isEqualTo(10_000 - 1_250 - 7 - 300 + 40);
    JsonNode current = client.get(alice, "/api/v1/accounts/" + account + "/balance");
    assertThat(current.get("balance").asLong()).isEqualTo(now);
    assertThat(current.get("availableBalance").asLong()).isEqualTo(now);
    assertThat(balanceAt(alice, account, Instant.now()).get("balance").asLong()).isEqualTo(now);
    // OPS reads any customer's balance as of an instant.
    assertThat(balanceAt(client.ops(), account, Instant.now()).get("balance").asLong())
        .isEqualTo(now);
  }

  @Test
  void racingTransfersStampEachAccountsEntriesInTheOrderItsBalanceMoved() {
    User owner = client.newCustomer();
    List<UUID> accounts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      UUID account = client.openAccount(owner, "EUR");
      client.deposit(owner, account, 5_000, "EUR");
      accounts.add(account);
    }
    // Debits (the accept lanes) and credits (the credit leg) of every account interleave.
    // Planned up front: keys are random UUIDs, whose SecureRandom must not run on an event loop.
    SplittableRandom random = new SplittableRandom(20261207);
    List<Map<String, Object>> bodies = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      int from = i % 3;
      int to = (from + 1 + random.nextInt(2)) % 3;
      bodies.add(
          Map.of(
              "fromAccountId",
              accounts.get(from).toString(),
              "toAccountId",
              accounts.get(to).toString(),
              "amount",
              1 + i,
              "currency",
              "EUR",
              "description",
              "race " + i));
      keys.add(UUID.randomUUID().toString());
    }
    WebClient web = WebClient.builder().baseUrl("http://localhost:" + port).build();
    List<String> accepted =
        Flux.range(0, bodies.size())
            .flatMap(
                i ->
                    web.post()
                        .uri("/api/v1/transfers")
                        .headers(h -> h.setBearerAuth(owner.token()))
                        .header("Idempotency-Key", keys.get(i))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(bodies.get(i))
                        .exchangeToMono(
                            response ->
                                response.statusCode().value() == 202
                                    ? response.bodyToMono(JsonNode.class)
                                    : response.releaseBody().then(Mono.empty()))
                        .map(transfer -> transfer.get("id").asString()),
                12)
            .collectList()
            .block(Duration.ofMinutes(2));
    assertThat(accepted).isNotEmpty();
    for (String id : accepted) {
      client.awaitTerminal(owner, UUID.fromString(id), SETTLE);
    }

    for (UUID account : accounts) {
      List<Entry> entries = entries(owner, account);
      // Every distinct stamp: the balance as of it is the sum of the entries up to it, never
      // negative, and the balance after the last of them.
      TreeMap<Instant, Long> sums = new TreeMap<>();
      Map<Instant, Long> lastBalance = new TreeMap<>();
      long sum = 0;
      for (Entry entry : entries) {
        sum += entry.signed();
        sums.put(entry.createdAt(), sum);
        lastBalance.put(entry.createdAt(), entry.balanceAfter());
      }
      for (Map.Entry<Instant, Long> stamp : sums.entrySet()) {
        long asOf = balanceAt(owner, account, stamp.getKey()).get("balance").asLong();
        assertThat(asOf).as("%s as of %s", account, stamp.getKey()).isEqualTo(stamp.getValue());
        assertThat(lastBalance.get(stamp.getKey())).isEqualTo(stamp.getValue());
        assertThat(asOf).isNotNegative();
      }
      assertThat(sum).isEqualTo(client.balance(owner, account));
    }

    User ops = client.ops();
    List<Entry> first = entries(owner, accounts.get(0));
    for (Instant at :
        List.of(
            first.get(0).createdAt(),
            first.get(first.size() / 2).createdAt(),
            first.get(first.size() - 1).createdAt())) {
      JsonNode check = ledgerCheckAt(ops, at);
      assertThat(check.get("balanced").asBoolean()).as("ledger as of %s: %s", at, check).isTrue();
      assertThat(check.get("unreconciledAccounts").asLong()).isZero();
      assertThat(Instant.parse(check.get("at").asString())).isEqualTo(at);
    }
  }

  @Test
  void theLedgerCheckBeforeAnyEntryIsBalancedAndEmptyAndWithoutAtChecksTheLedgerNow() {
    User ops = client.ops();
    JsonNode early = ledgerCheckAt(ops, Instant.parse("2000-01-01T00:00:00Z"));
    assertThat(early.get("balanced").asBoolean()).isTrue();
    assertThat(early.get("byCurrency").size()).isZero();

    JsonNode now = client.get(ops, "/api/v1/ops/ledger/check");
    assertThat(now.get("balanced").asBoolean()).isTrue();
    assertThat(now.get("at").isNull()).isTrue();
  }

  @Test
  void anInstantThatIsNotRfc3339OrInTheFutureIsRefusedNamingAt() {
    User alice = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");
    User ops = client.ops();
    for (String bad :
        List.of(
            "yesterday",
            "2026-12-07T08:00:00",
            "2026-13-01T00:00:00Z",
            "",
            Instant.now().plus(Duration.ofHours(1)).toString())) {
      for (String path :
          List.of("/api/v1/accounts/" + account + "/balance", "/api/v1/ops/ledger/check")) {
        JsonNode problem =
            assertProblem(
                get(path.contains("/ops/") ? ops : alice, path, bad),
                HttpStatus.BAD_REQUEST,
                "validation_failed");
        assertThat(problem.get("errors").get(0).get("field").asString())
            .as("%s?at=%s", path, bad)
            .isEqualTo("at");
      }
    }
  }

  @Test
  void anotherCustomersAccountIsNotFoundAndTheOpsCheckIsForbiddenToCustomers() {
    User alice = client.newCustomer();
    User bob = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");
    String at = Instant.now().toString();

    assertProblem(
        get(bob, "/api/v1/accounts/" + account + "/balance", at),
        HttpStatus.NOT_FOUND,
        "account_not_found");
    assertProblem(
        get(bob, "/api/v1/accounts/" + UUID.randomUUID() + "/balance", null),
        HttpStatus.NOT_FOUND,
        "account_not_found");
    assertProblem(get(alice, "/api/v1/ops/ledger/check", at), HttpStatus.FORBIDDEN, "forbidden");
  }

  private JsonNode balanceAt(User user, UUID account, Instant at) {
    EntityExchangeResult<byte[]> result =
        get(user, "/api/v1/accounts/" + account + "/balance", at.toString());
    assertThat(result.getStatus())
        .as(new String(result.getResponseBody()))
        .isEqualTo(HttpStatus.OK);
    return PaystreamClient.json(result);
  }

  private JsonNode ledgerCheckAt(User ops, Instant at) {
    EntityExchangeResult<byte[]> result = get(ops, "/api/v1/ops/ledger/check", at.toString());
    assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
    return PaystreamClient.json(result);
  }

  private EntityExchangeResult<byte[]> get(User user, String path, String at) {
    // The instant as a URI variable: encoded strictly, so an offset's '+' is not read as a space.
    return http.get()
        .uri(
            builder ->
                at == null
                    ? builder.path(path).build()
                    : builder.path(path).queryParam("at", "{at}").build(at))
        .headers(h -> h.setBearerAuth(user.token()))
        .exchange()
        .expectBody()
        .returnResult();
  }

  /** The account's entries of this month, oldest first, as history lists them (newest first). */
  private List<Entry> entries(User user, UUID account) {
    List<Entry> entries = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          client.get(
              user,
              "/api/v1/accounts/"
                  + account
                  + "/transactions?limit=100"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      for (JsonNode item : page.get("items")) {
        long amount = item.get("amount").asLong();
        entries.add(
            new Entry(
                Instant.parse(item.get("createdAt").asString()),
                "CREDIT".equals(item.get("direction").asString()) ? amount : -amount,
                item.get("balanceAfter").asLong()));
      }
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
    } while (cursor != null);
    // History is newest first by (createdAt, id); a stable sort keeps that order within a stamp.
    List<Entry> oldestFirst = new ArrayList<>(entries);
    Collections.reverse(oldestFirst);
    oldestFirst.sort(Comparator.comparing(Entry::createdAt));
    return oldestFirst;
  }
}
