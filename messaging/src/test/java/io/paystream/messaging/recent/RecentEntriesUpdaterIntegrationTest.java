package io.paystream.messaging.recent;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paystream.domain.Account;
import io.paystream.domain.Ids;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.messaging.testing.MessagingTestApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositDocument;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.ledger.SequencedEntries;
import io.paystream.persistence.ledger.SequencedEntries.SequencedEntry;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.user.UserRecord;
import io.paystream.persistence.user.UserStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recent-entries update the credit leg's pass runs after each commit, against the real
 * PostgreSQL and Redis: the entries a movement wrote go into their account's set, as the members
 * the API serves; a Redis that fails leaves the update to the repair, which writes it once Redis
 * answers, and never fails the pass. Keys are per account (a fresh one per test), so the shared
 * Redis is never flushed.
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      "paystream.messaging.enabled=false",
      // A Redis outage outlasts the retries in well under a second; the repair ticks as often.
      "paystream.recent.update-retry-attempts-max=2",
      "paystream.recent.update-retry-backoff-min-millis=10",
      "paystream.recent.update-retry-backoff-max-millis=50",
    })
class RecentEntriesUpdaterIntegrationTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
    TestKafka.register(registry);
  }

  @Autowired UserStore users;
  @Autowired AccountStore accounts;
  @Autowired DepositStore deposits;
  @Autowired TransactionalOperator transaction;
  @Autowired SequencedEntries entries;
  @Autowired RecentProperties properties;
  @Autowired RecentEntriesRedis recent;
  @Autowired ReactiveStringRedisTemplate redis;
  @Autowired JsonMapper json;

  private UUID owner;
  private UUID account;

  /**
   * The API opens its Redis connection at start-up (RedisConfiguration); this context has no such
   * hook, and a first connect on a busy machine can outlast the 250 ms budget of a cache call.
   */
  @BeforeEach
  void connectToRedis() {
    redis.hasKey("paystream:test:connect").block(PATIENCE);
  }

  @AfterEach
  void forgetTheAccount() {
    if (account != null) {
      recent.forget(account).block(PATIENCE);
    }
  }

  @Test
  void anUpdatePutsTheEntriesItsMovementWroteIntoTheAccountsSetAsTheApiServesThem() {
    account = newAccount();
    UUID deposit = deposit(125);

    updater(recent).update(List.of(deposit)).as(StepVerifier::create).verifyComplete();

    SequencedEntry written = entries.latest(account, 1).blockFirst(PATIENCE);
    List<TypedTuple<String>> members =
        redis
            .opsForZSet()
            .rangeWithScores(RecentEntriesRedis.keys(account).get(0), Range.unbounded())
            .collectList()
            .block(PATIENCE);
    assertThat(members).hasSize(1);
    assertThat(members.get(0).getValue()).isEqualTo(json.writeValueAsString(written.entry()));
    assertThat(members.get(0).getScore()).isEqualTo((double) written.seq());
    assertThat(redis.hasKey(RecentEntriesRedis.keys(account).get(1)).block(PATIENCE))
        .as("an update alone never makes a snapshot: the set may be partial")
        .isFalse();
  }

  /**
   * The pass waits for the update, so an update must never fail it or hang it: credits go on while
   * Redis is away, and the movement waits in the backlog.
   */
  @Test
  void anUnreachableRedisCompletesTheUpdateAndKeepsTheMovementForTheRepair() throws IOException {
    account = newAccount();
    UUID deposit = deposit(77);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    LettuceConnectionFactory nowhere = unreachableRedis();
    try {
      RecentEntriesRedis down =
          new RecentEntriesRedis(new ReactiveStringRedisTemplate(nowhere), properties, json);
      RecentEntriesUpdater updater = new RecentEntriesUpdater(down, entries, properties, meters);

      updater.update(List.of(deposit)).as(StepVerifier::create).verifyComplete();

      assertThat(meters.get("paystream.recent.repair.backlog").gauge().value()).isEqualTo(1.0);
      updater.repair().take(Duration.ofMillis(300)).as(StepVerifier::create).verifyComplete();
      assertThat(meters.get("paystream.recent.repair.backlog").gauge().value())
          .as("a failed repair keeps the movement")
          .isEqualTo(1.0);
    } finally {
      nowhere.destroy();
    }
    assertThat(redis.opsForZSet().size(RecentEntriesRedis.keys(account).get(0)).block(PATIENCE))
        .isZero();
  }

  @Test
  void whatRedisRefusedTheRepairWritesOnceRedisAnswers() {
    account = newAccount();
    UUID deposit = deposit(42);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    AtomicInteger refusals = new AtomicInteger(3);
    RecentEntriesRedis flaky =
        new RecentEntriesRedis(redis, properties, json) {
          @Override
          public Mono<Void> add(Collection<SequencedEntry> added) {
            return refusals.getAndDecrement() > 0
                ? Mono.error(new IllegalStateException("Redis is away"))
                : super.add(added);
          }
        };
    RecentEntriesUpdater updater = new RecentEntriesUpdater(flaky, entries, properties, meters);

    updater.update(List.of(deposit)).as(StepVerifier::create).verifyComplete();
    assertThat(redis.opsForZSet().size(RecentEntriesRedis.keys(account).get(0)).block(PATIENCE))
        .as("the update gave up after its retries")
        .isZero();

    updater.repair().as(StepVerifier::create).expectNext(1).thenCancel().verify(PATIENCE);

    assertThat(redis.opsForZSet().size(RecentEntriesRedis.keys(account).get(0)).block(PATIENCE))
        .isEqualTo(1);
    assertThat(meters.get("paystream.recent.repair.backlog").gauge().value()).isZero();
  }

  private RecentEntriesUpdater updater(RecentEntriesRedis redis) {
    return new RecentEntriesUpdater(redis, entries, properties, new SimpleMeterRegistry());
  }

  private UUID deposit(long cents) {
    DepositDocument deposit =
        deposits
            .deposit(owner, false, account, Money.of(cents, EUR), "salary", Metadata.NONE)
            .as(transaction::transactional)
            .block(PATIENCE);
    return deposit.id();
  }

  /** A client of a port nobody listens on; the machine's Redis keeps running for everyone else. */
  private static LettuceConnectionFactory unreachableRedis() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    LettuceConnectionFactory factory =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", closedPort));
    factory.afterPropertiesSet();
    factory.start();
    return factory;
  }

  private UUID newAccount() {
    owner = Ids.newId();
    users
        .insert(
            new UserRecord(
                owner, owner + "@example.com", "Owner", "x", List.of("CUSTOMER"), Instant.now()))
        .block(PATIENCE);
    return accounts.open(owner, EUR).map(Account::id).block(PATIENCE);
  }
}
