package io.paystream.messaging.recent;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paystream.domain.Account;
import io.paystream.domain.Ids;
import io.paystream.domain.Money;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.events.EventDecoder;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.messaging.kafka.Topics;
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
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recent-entries consumer against the real Kafka, PostgreSQL and Redis: a money event read from
 * the topic puts the entries its movement wrote into their account's set, as the members the API
 * serves. Keys are per account (a fresh one per test), so the shared Redis is never flushed.
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      "paystream.messaging.enabled=false",
      "paystream.recent.consumer-group=recent-entries-updater-test",
      // A Redis outage outlasts the retries in well under a second.
      "paystream.recent.update-retry-attempts-max=2",
      "paystream.recent.update-retry-backoff-min-millis=10",
      "paystream.recent.update-retry-backoff-max-millis=20",
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
  @Autowired DatabaseClient db;
  @Autowired KafkaAdmin admin;
  @Autowired KafkaSender<String, String> sender;
  @Autowired EventDecoder decoder;
  @Autowired MessagingProperties messaging;
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
  void aMoneyEventPutsTheEntriesItWroteIntoTheAccountsSetAsTheApiServesThem() {
    admin.createTopics().as(StepVerifier::create).verifyComplete();
    account = newAccount();
    DepositDocument deposit =
        deposits
            .deposit(owner, false, account, Money.of(125, EUR), "salary")
            .as(transaction::transactional)
            .block(PATIENCE);
    publish(outboxMessage(deposit.id()), account);

    updater()
        .run()
        .filter(event -> event.resourceId().equals(deposit.id()))
        .next()
        .as(StepVerifier::create)
        .expectNextCount(1)
        .expectComplete()
        .verify(PATIENCE);

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
   * Giving up must not lose the poll: the stream fails before acknowledging it, and the consumer
   * that replaces it (BackgroundStreams restarts it in the running application) in the same group
   * reads it again. The retry used to be endless, so the first consumer never ended.
   */
  @Test
  void aRedisOutageLongerThanTheRetriesEndsTheConsumerAndItsReplacementAppliesTheEvent()
      throws IOException {
    admin.createTopics().as(StepVerifier::create).verifyComplete();
    account = newAccount();
    DepositDocument deposit =
        deposits
            .deposit(owner, false, account, Money.of(77, EUR), "refund")
            .as(transaction::transactional)
            .block(PATIENCE);
    publish(outboxMessage(deposit.id()), account);
    RecentProperties group = inGroup("recent-entries-outage-test-" + Ids.newId());
    LettuceConnectionFactory nowhere = unreachableRedis();
    try {
      RecentEntriesRedis down =
          new RecentEntriesRedis(new ReactiveStringRedisTemplate(nowhere), group, json);
      new RecentEntriesUpdater(
              down, entries, decoder, messaging, group, admin, new SimpleMeterRegistry())
          .run()
          .as(StepVerifier::create)
          .expectErrorMatches(Exceptions::isRetryExhausted)
          .verify(PATIENCE);
    } finally {
      nowhere.destroy();
    }

    new RecentEntriesUpdater(
            recent, entries, decoder, messaging, group, admin, new SimpleMeterRegistry())
        .run()
        .filter(event -> event.resourceId().equals(deposit.id()))
        .next()
        .as(StepVerifier::create)
        .expectNextCount(1)
        .expectComplete()
        .verify(PATIENCE);
    assertThat(redis.opsForZSet().size(RecentEntriesRedis.keys(account).get(0)).block(PATIENCE))
        .isEqualTo(1);
  }

  private RecentEntriesUpdater updater() {
    return new RecentEntriesUpdater(
        recent, entries, decoder, messaging, properties, admin, new SimpleMeterRegistry());
  }

  private RecentProperties inGroup(String consumerGroup) {
    RecentProperties p = properties;
    return new RecentProperties(
        p.entriesMax(),
        p.redisTimeoutMillis(),
        p.warmSeconds(),
        consumerGroup,
        p.updateRetryAttemptsMax(),
        p.updateRetryBackoffMinMillis(),
        p.updateRetryBackoffMaxMillis());
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

  /** The outbox row of a movement, exactly as the relay sends it. */
  private String outboxMessage(UUID movement) {
    return db.sql("SELECT payload FROM outbox WHERE payload LIKE :movement")
        .bind("movement", "%" + movement + "%")
        .map(row -> row.get("payload", String.class))
        .one()
        .block(PATIENCE);
  }

  private void publish(String message, UUID key) {
    sender
        .send(
            Mono.just(
                SenderRecord.create(
                    new ProducerRecord<>(Topics.EVENTS, key.toString(), message), 0)))
        .as(StepVerifier::create)
        .expectNextMatches(result -> result.exception() == null)
        .expectComplete()
        .verify(PATIENCE);
  }
}
