package io.paystream.messaging.credit;

import io.paystream.domain.Account;
import io.paystream.domain.Ids;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferLimits;
import io.paystream.domain.TransferRequest;
import io.paystream.domain.TransferStatus;
import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.credit.CreditLeg.Outcome;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.messaging.kafka.PoisonMessageException;
import io.paystream.messaging.kafka.Topics;
import io.paystream.messaging.relay.OutboxRelay;
import io.paystream.messaging.testing.MessagingTestApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.testing.LedgerAssertions;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.transfer.TransferStore;
import io.paystream.persistence.user.UserRecord;
import io.paystream.persistence.user.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.test.StepVerifier;

/**
 * The consumer dies after its database transaction committed and before its offset was committed:
 * Kafka delivers the message again, and the redelivery must change nothing.
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      "paystream.messaging.enabled=false",
      "paystream.kafka.consumer-group=credit-leg-redelivery-test",
    })
class CreditLegRedeliveryIntegrationTest {

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
  @Autowired TransferStore transfers;
  @Autowired TransactionalOperator transaction;
  @Autowired LedgerStore ledger;
  @Autowired OutboxRelay relay;
  @Autowired KafkaAdmin admin;
  @Autowired CreditLeg creditLeg;
  @Autowired CreditLegConsumer consumer;
  @Autowired MessagingProperties properties;
  @Autowired DatabaseClient db;

  @Test
  void redeliveryAfterACrashBetweenDatabaseCommitAndOffsetCommitChangesNothing() {
    admin.createTopics().as(StepVerifier::create).verifyComplete();
    UUID owner = Ids.newId();
    users
        .insert(
            new UserRecord(
                owner, owner + "@example.com", "Owner", "x", List.of("CUSTOMER"), Instant.now()))
        .as(StepVerifier::create)
        .expectNext(true)
        .verifyComplete();
    Account payer = accounts.open(owner, EUR).block(PATIENCE);
    Account payee = accounts.open(owner, EUR).block(PATIENCE);
    deposits
        .deposit(owner, false, payer.id(), Money.of(10_000, EUR), "funding", Metadata.NONE)
        .as(transaction::transactional)
        .as(StepVerifier::create)
        .expectNextCount(1)
        .verifyComplete();
    Transfer pending =
        transfers
            .accept(
                new TransferRequest(
                    owner,
                    false,
                    payer.id(),
                    payee.id(),
                    Money.of(4_000, EUR),
                    "rent",
                    Metadata.NONE,
                    null,
                    TransferLimits.none()))
            .as(transaction::transactional)
            .block(PATIENCE);
    relay.drain().as(StepVerifier::create).expectNextMatches(sent -> sent >= 2).verifyComplete();

    // First life of the consumer: apply the message (database commit), then die without
    // acknowledging or committing its offset.
    KafkaReceiver<String, String> doomed = KafkaReceiver.create(receiverOptions());
    doomed
        .receive()
        .filter(
            record ->
                record.value().contains(pending.id().toString())
                    && record.value().contains("transfer.pending"))
        .next()
        .flatMap(record -> creditLeg.apply(record.value()))
        .as(StepVerifier::create)
        .expectNext(Outcome.COMPLETED)
        .expectComplete()
        .verify(PATIENCE);
    assertBalances(payer, 6_000, payee, 4_000);

    // Second life, the real consumer in the same group: it receives the message again.
    consumer
        .run()
        .filter(outcome -> outcome == Outcome.DUPLICATE)
        .next()
        .as(StepVerifier::create)
        .expectNext(Outcome.DUPLICATE)
        .expectComplete()
        .verify(PATIENCE);

    assertBalances(payer, 6_000, payee, 4_000);
    transfers
        .find(pending.id())
        .map(Transfer::status)
        .as(StepVerifier::create)
        .expectNext(TransferStatus.COMPLETED)
        .verifyComplete();
    LedgerAssertions.assertBalanced(ledger);
  }

  @Test
  void applyingTheSameMessageTwiceCreditsOnce() {
    UUID owner = Ids.newId();
    users
        .insert(
            new UserRecord(
                owner, owner + "@example.com", "Owner", "x", List.of("CUSTOMER"), Instant.now()))
        .block(PATIENCE);
    Account payer = accounts.open(owner, EUR).block(PATIENCE);
    Account payee = accounts.open(owner, EUR).block(PATIENCE);
    deposits
        .deposit(owner, false, payer.id(), Money.of(500, EUR), null, Metadata.NONE)
        .as(transaction::transactional)
        .block(PATIENCE);
    Transfer pending =
        transfers
            .accept(
                new TransferRequest(
                    owner,
                    false,
                    payer.id(),
                    payee.id(),
                    Money.of(500, EUR),
                    null,
                    Metadata.NONE,
                    null,
                    TransferLimits.none()))
            .as(transaction::transactional)
            .block(PATIENCE);
    String message = pendingMessage(pending);

    Mono.defer(() -> creditLeg.apply(message))
        .repeat(2)
        .collectList()
        .as(StepVerifier::create)
        .expectNext(List.of(Outcome.COMPLETED, Outcome.DUPLICATE, Outcome.DUPLICATE))
        .verifyComplete();

    assertBalances(payer, 0, payee, 500);
  }

  @Test
  void anUndecodableMessageIsPoisonAndNeverRetried() {
    creditLeg
        .apply("{not json")
        .as(StepVerifier::create)
        .expectError(PoisonMessageException.class)
        .verify(PATIENCE);
  }

  /** The outbox row the accept wrote, exactly as the relay would send it. */
  private String pendingMessage(Transfer pending) {
    return db.sql(
            "SELECT payload FROM outbox WHERE event_type = 'transfer.pending'"
                + " AND payload LIKE :transfer")
        .bind("transfer", "%" + pending.id() + "%")
        .map(row -> row.get("payload", String.class))
        .one()
        .block(PATIENCE);
  }

  private void assertBalances(Account payer, long payerBalance, Account payee, long payeeBalance) {
    accounts
        .find(payer.id())
        .map(Account::balance)
        .as(StepVerifier::create)
        .expectNext(payerBalance)
        .verifyComplete();
    accounts
        .find(payee.id())
        .map(Account::balance)
        .as(StepVerifier::create)
        .expectNext(payeeBalance)
        .verifyComplete();
  }

  private ReceiverOptions<String, String> receiverOptions() {
    return ReceiverOptions.<String, String>create(
            MessagingConfiguration.consumerConfig(properties, properties.consumerGroup()))
        .subscription(List.of(Topics.EVENTS));
  }
}
