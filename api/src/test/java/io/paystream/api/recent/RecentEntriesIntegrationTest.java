package io.paystream.api.recent;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.ratelimit.RedisMonitor;
import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.domain.Direction;
import io.paystream.messaging.recent.RecentEntriesRedis;
import io.paystream.persistence.ledger.LedgerEntry;
import io.paystream.persistence.ledger.SequencedEntries;
import io.paystream.persistence.ledger.SequencedEntries.SequencedEntry;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** CONTRACT.md, History: the latest 20 entries, served from Redis when warm. */
class RecentEntriesIntegrationTest extends ApiIntegrationTest {

  /** The stated bound: a completed transfer is in the payee's recent entries this soon. */
  static final Duration CREDIT_VISIBLE_WITHIN = Duration.ofSeconds(5);

  @Autowired ReactiveStringRedisTemplate redis;

  /** The cache's writer side (in messaging), as the ledger-event consumer calls it. */
  @Autowired RecentEntriesRedis cache;

  @Autowired SequencedEntries entries;

  /** The API's side, whose forgets after writes are under test. */
  @Autowired RecentEntriesCache recentEntries;

  @Test
  void aCompletedTransferShowsInThePayeesWarmRecentEntriesWithinFiveSeconds() {
    User payer = client.newCustomer();
    User payee = client.newCustomer();
    UUID from = client.openAccount(payer, "EUR");
    UUID to = client.openAccount(payee, "EUR");
    client.deposit(payer, from, 1_000, "EUR");
    assertThat(recent(payee, to)).isEmpty();
    assertThat(redis.hasKey(RecentEntriesRedis.keys(to).get(1)).block()).as("warm").isTrue();

    UUID transfer = client.acceptedTransfer(payer, from, to, 640, "EUR");
    client.awaitTerminal(payer, transfer, Duration.ofSeconds(20));
    List<JsonNode> seen =
        Eventually.await(
            CREDIT_VISIBLE_WITHIN,
            "the credit in the payee's recent entries",
            () -> recent(payee, to),
            entries -> !entries.isEmpty());

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).get("transferId").asString()).isEqualTo(transfer.toString());
    assertThat(seen.get(0).get("direction").asString()).isEqualTo("CREDIT");
    assertThat(seen.get(0).get("balanceAfter").asLong()).isEqualTo(640);
  }

  @Test
  void aWarmAccountIsAnsweredFromRedisNotFromPostgres() {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");
    client.deposit(owner, account, 5, "EUR");
    assertThat(recent(owner, account)).hasSize(1);
    // An entry PostgreSQL does not have, through the ledger events' path: only Redis knows it.
    LedgerEntry marker =
        new LedgerEntry(
            UUID.randomUUID(),
            null,
            account,
            Direction.CREDIT,
            1,
            "EUR",
            6L,
            null,
            "only in redis",
            Instant.parse("2026-01-01T00:00:00Z"));
    cache.add(List.of(new SequencedEntry(Long.MAX_VALUE / 2, marker))).block();

    List<JsonNode> seen = recent(owner, account);

    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).get("description").asString()).isEqualTo("only in redis");
  }

  /** Warm reads serve the stored members verbatim: they must be the ledger's own JSON. */
  @Test
  void aWarmAnswerIsTheSameJsonAsTheHistoryFromPostgres() {
    User payer = client.newCustomer();
    User payee = client.newCustomer();
    UUID from = client.openAccount(payer, "EUR");
    UUID to = client.openAccount(payee, "EUR");
    client.deposit(payer, from, 1_000, "EUR");
    UUID transfer = client.acceptedTransfer(payer, from, to, 250, "EUR");
    client.awaitTerminal(payer, transfer, Duration.ofSeconds(20));
    recent(payer, from);
    assertThat(redis.hasKey(RecentEntriesRedis.keys(from).get(1)).block()).as("warm").isTrue();

    List<JsonNode> fromRedis = recent(payer, from);
    List<JsonNode> fromPostgres =
        client
            .get(payer, "/api/v1/accounts/" + from + "/transactions?limit=20")
            .get("items")
            .valueStream()
            .toList();

    assertThat(fromRedis).hasSize(2).isEqualTo(fromPostgres);
    assertThat(fromRedis.get(0).get("counterpartyAccountId").asString()).isEqualTo(to.toString());
  }

  @Test
  void aMissIsRebuiltFromPostgresAndTheSetIsWarmAgain() {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");
    for (int amount = 1; amount <= 3; amount++) {
      client.deposit(owner, account, amount, "EUR");
    }
    redis.delete(RecentEntriesRedis.keys(account).toArray(String[]::new)).block();

    List<JsonNode> seen = recent(owner, account);

    assertThat(seen).extracting(entry -> entry.get("amount").asLong()).containsExactly(3L, 2L, 1L);
    assertThat(redis.hasKey(RecentEntriesRedis.keys(account).get(1)).block()).isTrue();
    assertThat(redis.opsForZSet().size(RecentEntriesRedis.keys(account).get(0)).block())
        .isEqualTo(3);
  }

  @Test
  void applyingTheSameLedgerEntriesAgainChangesNothing() {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");
    client.deposit(owner, account, 9, "EUR");
    client.deposit(owner, account, 8, "EUR");
    List<JsonNode> before = recent(owner, account);
    var latest = entries.latest(account, 20).collectList().block();

    cache.add(latest).block();
    cache.add(latest).block();

    assertThat(redis.opsForZSet().size(RecentEntriesRedis.keys(account).get(0)).block())
        .isEqualTo(2);
    assertThat(recent(owner, account)).isEqualTo(before);
  }

  /** Were the set evicted while its snapshot lived, an update must not make a partial answer. */
  @Test
  void anUpdateToASetThatWasEvictedDropsTheSnapshotAndTheNextReadRebuilds() {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");
    for (int amount = 1; amount <= 3; amount++) {
      client.deposit(owner, account, amount, "EUR");
    }
    assertThat(recent(owner, account)).hasSize(3);
    redis.delete(RecentEntriesRedis.keys(account).get(0)).block();
    var newest = entries.latest(account, 1).collectList().block();

    cache.add(newest).block();

    assertThat(redis.hasKey(RecentEntriesRedis.keys(account).get(1)).block())
        .as("snapshot")
        .isFalse();
    assertThat(recent(owner, account))
        .extracting(entry -> entry.get("amount").asLong())
        .containsExactly(3L, 2L, 1L);
  }

  /**
   * Read-your-writes at load: each write's answer waits until its own account's set is gone, and
   * the writes that commit while a forget is in flight share the next one.
   */
  @Test
  void concurrentWritesEachForgetTheirAccountBeforeAnsweringAndShareTheirDeletes() {
    List<UUID> accounts = Stream.generate(UUID::randomUUID).limit(40).toList();
    for (UUID account : accounts) {
      redis.opsForValue().set(RecentEntriesRedis.keys(account).get(1), "[]").block();
    }
    try (RedisMonitor monitor = new RedisMonitor("localhost", 6379)) {

      Flux.fromIterable(accounts)
          .flatMap(
              account ->
                  Mono.defer(() -> recentEntries.invalidate(account))
                      .subscribeOn(Schedulers.parallel())
                      .then(redis.hasKey(RecentEntriesRedis.keys(account).get(1))))
          .collectList()
          .as(StepVerifier::create)
          .assertNext(
              stillThere ->
                  assertThat(stillThere)
                      .as("the snapshot once invalidate completed")
                      .hasSize(accounts.size())
                      .containsOnly(false))
          .verifyComplete();

      List<String> deletes =
          Eventually.await(
              Duration.ofSeconds(5),
              "a DEL for every account in the monitor",
              () ->
                  monitor.lines("\"DEL\"").stream()
                      .filter(line -> accounts.stream().anyMatch(a -> line.contains(a.toString())))
                      .toList(),
              seen ->
                  accounts.stream()
                      .allMatch(a -> seen.stream().anyMatch(line -> line.contains(a.toString()))));
      assertThat(deletes).as("DELs for %d accounts", accounts.size()).hasSizeLessThan(20);
    }
  }

  private List<JsonNode> recent(User user, UUID account) {
    return client
        .get(user, "/api/v1/accounts/" + account + "/transactions/recent")
        .get("items")
        .valueStream()
        .toList();
  }
}
