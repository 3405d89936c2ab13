package io.paystream.messaging.credit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.domain.Transfer;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.messaging.kafka.Topics;
import io.paystream.messaging.testing.MessagingTestApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.testing.Eventually;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.transfer.TransferStore;
import io.paystream.persistence.user.UserStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;
import reactor.test.StepVerifier;

/**
 * The running consumer really batches: a backlog of one payee's credits (one partition) is applied
 * in fewer transactions than messages, and every credit lands once. Fails if the consumer silently
 * goes back to one transaction per message.
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      "paystream.messaging.enabled=false",
      "paystream.kafka.consumer-group=credit-leg-batching-test",
    })
class CreditLegConsumerBatchingIntegrationTest {

  static final int CREDITS = 60;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
    TestKafka.register(registry);
  }

  @Autowired UserStore users;
  @Autowired AccountStore accounts;
  @Autowired DepositStore deposits;
  @Autowired TransferStore transfers;
  @Autowired DatabaseClient db;
  @Autowired KafkaAdmin admin;
  @Autowired KafkaSender<String, String> sender;
  @Autowired CreditLegConsumer consumer;
  @Autowired MeterRegistry meters;

  @Test
  void aBacklogOfOnePayeesCreditsIsAppliedInFewerTransactionsThanMessages() {
    admin.createTopics().as(StepVerifier::create).verifyComplete();
    CreditFixtures fixtures = new CreditFixtures(users, accounts, deposits, transfers, db);
    UUID payer = fixtures.account(100_000);
    UUID payee = fixtures.account(0);
    List<String> messages = new ArrayList<>();
    long total = 0;
    for (int i = 1; i <= CREDITS; i++) {
      Transfer pending = fixtures.transfer(payer, payee, i);
      messages.add(fixtures.pendingMessage(pending));
      total += i;
    }
    Flux.fromIterable(messages)
        .map(
            message ->
                SenderRecord.create(
                    new ProducerRecord<>(Topics.EVENTS, payee.toString(), message), 0))
        .as(sender::send)
        .as(StepVerifier::create)
        .expectNextCount(CREDITS)
        .expectComplete()
        .verify(PATIENCE);

    Disposable running = consumer.run().subscribe();
    try {
      awaitBalance(fixtures, payee, total);
    } finally {
      running.dispose();
    }

    DistributionSummary sizes = meters.find("paystream.consumer.batch.size").summary();
    assertThat(sizes.totalAmount())
        .as("messages applied vs %d transactions", sizes.count())
        .isGreaterThan(sizes.count());
    assertThat(sizes.max()).isGreaterThan(1);
    assertThat(fixtures.entries(payee)).hasSize(CREDITS);
    assertThat(fixtures.events("transfer.completed", payee)).hasSize(CREDITS);
  }

  private static void awaitBalance(CreditFixtures fixtures, UUID account, long expected) {
    Eventually.await(
        PATIENCE,
        "the payee's balance to reach " + expected,
        () -> fixtures.balance(account),
        balance -> balance == expected);
  }
}
