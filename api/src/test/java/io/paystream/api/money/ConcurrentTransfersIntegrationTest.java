package io.paystream.api.money;

import static io.paystream.api.testing.MoneyAssertions.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Many clients at once, among a few accounts, a third of the requests sent twice at the same moment
 * with the same key. Afterwards: money is conserved, no balance is negative, each key moved money
 * at most once, and every balance equals what the completed transfers say.
 */
class ConcurrentTransfersIntegrationTest extends ApiIntegrationTest {

  /** Parallel clients, as the issue asks (at least 8). */
  static final int CLIENTS = 8;

  static final int TRANSFERS = 300;
  static final int ACCOUNTS = 4;
  static final long FUNDING = 50_000;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  record Outcome(String key, int status, boolean replayed, String transferId, String code) {}

  record Planned(String key, int from, int to, long amount, boolean twice) {}

  @Test
  void concurrentTransfersWithDuplicateKeysConserveMoneyAndApplyEachKeyOnce() {
    List<User> owners = new ArrayList<>();
    List<UUID> accounts = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      User owner = client.newCustomer();
      UUID account = client.openAccount(owner, "EUR");
      client.deposit(owner, account, FUNDING, "EUR");
      owners.add(owner);
      accounts.add(account);
    }
    SplittableRandom random = new SplittableRandom(20261122);
    List<Planned> plan = new ArrayList<>();
    for (int i = 0; i < TRANSFERS; i++) {
      int from = random.nextInt(ACCOUNTS);
      int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
      plan.add(
          new Planned(
              UUID.randomUUID().toString(), from, to, 1 + random.nextInt(3_000), i % 3 == 0));
    }
    WebClient web = WebClient.builder().baseUrl("http://localhost:" + port).build();

    List<Outcome> outcomes =
        Flux.fromIterable(plan)
            .flatMap(
                planned -> {
                  Mono<Outcome> once = send(web, owners.get(planned.from()), accounts, planned);
                  return planned.twice()
                      ? Flux.merge(once, send(web, owners.get(planned.from()), accounts, planned))
                      : once;
                },
                CLIENTS)
            .collectList()
            .block(Duration.ofMinutes(3));

    assertThat(outcomes).hasSize(TRANSFERS + TRANSFERS / 3);
    assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.status()).isIn(202, 409, 422));

    Map<String, Set<String>> idsByKey = new HashMap<>();
    Map<String, Integer> freshAcceptsByKey = new HashMap<>();
    for (Outcome outcome : outcomes) {
      if (outcome.status() == 202) {
        idsByKey.computeIfAbsent(outcome.key(), k -> new HashSet<>()).add(outcome.transferId());
        if (!outcome.replayed()) {
          freshAcceptsByKey.merge(outcome.key(), 1, Integer::sum);
        }
      }
      if (outcome.status() == 422) {
        assertThat(outcome.code()).isEqualTo("insufficient_funds");
      }
      if (outcome.status() == 409) {
        assertThat(outcome.code()).isEqualTo("idempotency_key_in_use");
      }
    }
    assertThat(idsByKey.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    assertThat(freshAcceptsByKey.values()).allSatisfy(count -> assertThat(count).isEqualTo(1));
    assertThat(idsByKey).isNotEmpty();

    long[] expected = new long[ACCOUNTS];
    java.util.Arrays.fill(expected, FUNDING);
    User ops = client.ops();
    for (Planned planned : plan) {
      Set<String> ids = idsByKey.get(planned.key());
      if (ids == null) {
        continue;
      }
      JsonNode transfer =
          client.awaitTerminal(ops, UUID.fromString(ids.iterator().next()), Duration.ofSeconds(30));
      assertThat(transfer.get("status").asString()).isEqualTo("COMPLETED");
      expected[planned.from()] -= planned.amount();
      expected[planned.to()] += planned.amount();
    }

    long total = 0;
    for (int i = 0; i < ACCOUNTS; i++) {
      long balance = client.balance(owners.get(i), accounts.get(i));
      assertThat(balance).isNotNegative().isEqualTo(expected[i]);
      total += balance;
    }
    assertThat(total).isEqualTo(FUNDING * ACCOUNTS);
    for (int i = 0; i < ACCOUNTS; i++) {
      UUID account = accounts.get(i);
      long transfersTouching =
          plan.stream()
              .filter(p -> idsByKey.containsKey(p.key()))
              .filter(
                  p ->
                      accounts.get(p.from()).equals(account)
                          || accounts.get(p.to()).equals(account))
              .count();
      JsonNode page = client.get(ops, "/api/v1/ops/transfers?limit=100&accountId=" + account);
      long listed = page.get("items").size();
      String cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
      while (cursor != null) {
        page =
            client.get(
                ops, "/api/v1/ops/transfers?limit=100&accountId=" + account + "&cursor=" + cursor);
        listed += page.get("items").size();
        cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
      }
      assertThat(listed)
          .as("transfers recorded for account %s", account)
          .isEqualTo(transfersTouching);
    }
    assertLedgerBalanced(client, ops);
  }

  private static Mono<Outcome> send(
      WebClient web, User owner, List<UUID> accounts, Planned planned) {
    return web.post()
        .uri("/api/v1/transfers")
        .headers(h -> h.setBearerAuth(owner.token()))
        .header("Idempotency-Key", planned.key())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "fromAccountId",
                accounts.get(planned.from()).toString(),
                "toAccountId",
                accounts.get(planned.to()).toString(),
                "amount",
                planned.amount(),
                "currency",
                "EUR",
                "description",
                "load"))
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(String.class)
                    .map(
                        body ->
                            outcome(
                                planned.key(),
                                response.statusCode(),
                                "true"
                                    .equals(
                                        response
                                            .headers()
                                            .asHttpHeaders()
                                            .getFirst("Idempotent-Replayed")),
                                body)));
  }

  private static Outcome outcome(String key, HttpStatusCode status, boolean replayed, String body) {
    JsonNode json = JSON.readTree(body);
    return new Outcome(
        key,
        status.value(),
        replayed,
        json.has("id") ? json.get("id").asString() : null,
        json.has("code") ? json.get("code").asString() : null);
  }
}
