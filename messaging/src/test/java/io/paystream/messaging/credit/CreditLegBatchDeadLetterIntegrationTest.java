package io.paystream.messaging.credit;

import static io.paystream.messaging.credit.CreditLeg.Outcome.COMPLETED;
import static io.paystream.messaging.credit.CreditLeg.Outcome.IGNORED;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferStatus;
import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.messaging.kafka.Topics;
import io.paystream.messaging.testing.MessagingTestApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.transfer.TransferStore;
import io.paystream.persistence.user.UserStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;
import reactor.test.StepVerifier;

/**
 * One message of a batch that cannot be applied does not hold back the others: a poison record is
 * dead-lettered alone, and a batch the database keeps refusing is applied message by message, so
 * that only the refused message is dead-lettered. The batches are real records from the broker,
 * handed to the consumer's batch step as they would be after a poll.
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      "paystream.messaging.enabled=false",
      // A refused batch is retried twice, quickly: the fallback is what is under test.
      "paystream.kafka.credit-retry-attempts-max=2",
      "paystream.kafka.credit-retry-backoff-min-millis=10",
      "paystream.kafka.credit-retry-backoff-max-millis=50",
    })
class CreditLegBatchDeadLetterIntegrationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

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
  @Autowired MessagingProperties properties;
  @Autowired MeterRegistry meters;

  CreditFixtures fixtures;

  @BeforeEach
  void topicsAndOwner() {
    admin.createTopics().as(StepVerifier::create).verifyComplete();
    fixtures = new CreditFixtures(users, accounts, deposits, transfers, db);
  }

  @Test
  void aPoisonRecordInABatchIsDeadLetteredAloneWhileTheOthersApply() {
    UUID payer = fixtures.account(1_000);
    UUID payee = fixtures.account(0);
    Transfer first = fixtures.transfer(payer, payee, 100);
    Transfer second = fixtures.transfer(payer, payee, 250);
    String poison = "{not json " + UUID.randomUUID();
    List<ReceiverRecord<String, String>> batch =
        published(
            payee,
            List.of(fixtures.pendingMessage(first), poison, fixtures.pendingMessage(second)));
    double deadLetteredBefore = deadLettered();

    consumer
        .handle(batch)
        .as(StepVerifier::create)
        .expectNext(COMPLETED, IGNORED, COMPLETED)
        .expectComplete()
        .verify(PATIENCE);

    assertThat(fixtures.balance(payee)).isEqualTo(350);
    assertThat(fixtures.events("transfer.completed", payee))
        .containsExactly(first.id(), second.id());
    assertThat(deadLettered()).isEqualTo(deadLetteredBefore + 1);
    ConsumerRecord<String, String> parked = deadLetter(poison);
    assertThat(header(parked, "paystream-dlt-source"))
        .isEqualTo(Topics.EVENTS + "-" + batch.get(1).partition() + "@" + batch.get(1).offset());
  }

  @Test
  void aBatchTheDatabaseKeepsRefusingIsAppliedOneByOneAndOnlyTheRefusedMessageIsDeadLettered() {
    UUID payer = fixtures.account(1_000);
    UUID payee = fixtures.account(0);
    Transfer first = fixtures.transfer(payer, payee, 100);
    Transfer refused = fixtures.transfer(payer, payee, 200);
    Transfer third = fixtures.transfer(payer, payee, 300);
    List<ReceiverRecord<String, String>> batch =
        published(
            payee,
            List.of(
                fixtures.pendingMessage(first),
                fixtures.pendingMessage(refused),
                fixtures.pendingMessage(third)));
    double deadLetteredBefore = deadLettered();

    String trigger = "test_refuse_" + refused.id().toString().replace("-", "");
    // Not a poison message: the database refuses it every time, as a broken row would.
    execute(
        "CREATE FUNCTION "
            + trigger
            + "() RETURNS trigger LANGUAGE plpgsql"
            + " AS 'BEGIN RAISE EXCEPTION ''refused by the test''; END'");
    execute(
        "CREATE TRIGGER "
            + trigger
            + " BEFORE UPDATE ON transfer FOR EACH ROW"
            + " WHEN (OLD.id = '"
            + refused.id()
            + "') EXECUTE FUNCTION "
            + trigger
            + "()");
    try {
      consumer
          .handle(batch)
          .as(StepVerifier::create)
          .expectNext(COMPLETED, IGNORED, COMPLETED)
          .expectComplete()
          .verify(PATIENCE);
    } finally {
      execute("DROP TRIGGER " + trigger + " ON transfer");
      execute("DROP FUNCTION " + trigger + "()");
    }

    assertThat(fixtures.balance(payee)).isEqualTo(400);
    assertThat(fixtures.balance(payer)).isEqualTo(1_000 - 600);
    assertThat(fixtures.find(refused.id()).status()).isEqualTo(TransferStatus.PENDING);
    assertThat(fixtures.events("transfer.completed", payee))
        .containsExactly(first.id(), third.id());
    assertThat(deadLettered()).isEqualTo(deadLetteredBefore + 1);
    ConsumerRecord<String, String> parked = deadLetter(fixtures.pendingMessage(refused));
    assertThat(header(parked, "paystream-dlt-error")).contains("refused by the test");
  }

  /** Sends the values under one key (one partition, in order) and receives them back. */
  private List<ReceiverRecord<String, String>> published(UUID key, List<String> values) {
    Set<String> sent = new HashSet<>(values);
    Flux.range(0, values.size())
        .map(
            i ->
                SenderRecord.create(
                    new ProducerRecord<>(Topics.EVENTS, key.toString(), values.get(i)), i))
        .as(sender::send)
        .as(StepVerifier::create)
        .expectNextCount(values.size())
        .expectComplete()
        .verify(PATIENCE);
    List<ReceiverRecord<String, String>> received =
        KafkaReceiver.create(
                ReceiverOptions.<String, String>create(
                        MessagingConfiguration.consumerConfig(
                            properties, "credit-batch-test-" + UUID.randomUUID()))
                    .subscription(List.of(Topics.EVENTS)))
            .receive()
            .filter(record -> sent.contains(record.value()))
            .take(values.size())
            .collectList()
            .block(PATIENCE);
    assertThat(received).extracting(ConsumerRecord::value).containsExactlyElementsOf(values);
    return received;
  }

  private ConsumerRecord<String, String> deadLetter(String value) {
    return KafkaReceiver.create(
            ReceiverOptions.<String, String>create(
                    MessagingConfiguration.consumerConfig(
                        properties, "dlt-reader-" + UUID.randomUUID()))
                .subscription(List.of(Topics.EVENTS_DEAD_LETTER)))
        .receive()
        .filter(record -> value.equals(record.value()))
        .next()
        .block(PATIENCE);
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private void execute(String sql) {
    db.sql(sql).then().block(PATIENCE);
  }

  private double deadLettered() {
    return meters
        .counter("paystream.consumer.dead.lettered", "consumer", CreditLeg.CONSUMER)
        .count();
  }
}
