package io.paystream.messaging.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.domain.Account;
import io.paystream.domain.Ids;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.messaging.testing.MessagingTestApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.user.UserRecord;
import io.paystream.persistence.user.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The relay's linger while the outbox is busy, against the real PostgreSQL and Kafka: a wake-up
 * long after the previous pass relays at once, one right after a pass waits the linger first, so
 * that the commits of that moment share one pass. The linger is a second here, so that the two
 * cases cannot be confused on a busy machine.
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      // The relay is driven by this test alone, with wake-ups it sends.
      "paystream.messaging.enabled=false",
      "paystream.kafka.outbox-linger-millis=1000",
    })
class OutboxRelayLingerIntegrationTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration LINGER = Duration.ofSeconds(1);

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
    TestKafka.register(registry);
  }

  @Autowired OutboxRelay relay;
  @Autowired KafkaAdmin admin;
  @Autowired UserStore users;
  @Autowired AccountStore accounts;
  @Autowired DepositStore deposits;
  @Autowired TransactionalOperator transaction;

  private UUID owner;

  @Test
  void aWakeUpAfterAQuietSpellRelaysAtOnceAndOneRightAfterAPassLingersFirst()
      throws InterruptedException {
    admin.createTopics().as(StepVerifier::create).verifyComplete();
    UUID account = newAccount();
    Sinks.Many<Object> wakeUps = Sinks.many().unicast().onBackpressureBuffer();
    BlockingQueue<Long> passesEndedAt = new LinkedBlockingQueue<>();
    Disposable running =
        relay.run(wakeUps.asFlux()).subscribe(sent -> passesEndedAt.add(System.nanoTime()));
    try {
      // Quiet: no pass has run yet.
      deposit(account);
      long quiet = System.nanoTime();
      wakeUps.tryEmitNext("notify");
      Long first = passesEndedAt.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(first).as("the first pass").isNotNull();
      assertThat(Duration.ofNanos(first - quiet)).as("an isolated wake-up").isLessThan(LINGER);

      // Busy: the previous pass has just ended.
      deposit(account);
      long busy = System.nanoTime();
      wakeUps.tryEmitNext("notify");
      Long second = passesEndedAt.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(second).as("the second pass").isNotNull();
      assertThat(Duration.ofNanos(second - busy))
          .as("a wake-up right after a pass")
          .isGreaterThanOrEqualTo(LINGER);
    } finally {
      running.dispose();
    }
  }

  private void deposit(UUID account) {
    deposits
        .deposit(owner, false, account, Money.of(10, EUR), "linger", Metadata.NONE)
        .as(transaction::transactional)
        .block(PATIENCE);
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
