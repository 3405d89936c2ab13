package io.paystream.messaging.credit;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.domain.Transfer;
import io.paystream.domain.TransferStatus;
import io.paystream.messaging.BackgroundStreams;
import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.messaging.kafka.Topics;
import io.paystream.messaging.relay.OutboxRelay;
import io.paystream.messaging.testing.MessagingTestApplication;
import io.paystream.messaging.testing.TestKafkaCluster;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.testing.Eventually;
import io.paystream.persistence.testing.LedgerAssertions;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.transfer.TransferStore;
import io.paystream.persistence.user.UserStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The money path on three brokers while one of them goes away and comes back: transfers accepted
 * before, during and after are relayed by the real outbox relay (its producer, {@code acks=all},
 * idempotent) and credited by the real credit-leg consumer, both kept running by {@link
 * BackgroundStreams} as in the application. The broker stopped is the one that coordinates the
 * consumer group, which also leads partitions of the events topic: both a coordinator move and a
 * leader move happen under the running streams. Every transfer must complete with exactly one
 * credit (the inbox turns a redelivery into a no-op), and nothing may be lost.
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      "paystream.messaging.enabled=false",
      "paystream.kafka.consumer-group=credit-leg-broker-loss-test",
      "paystream.kafka.outbox-poll-interval-seconds=1",
    })
class KafkaBrokerLossIntegrationTest {

  private static final int PAYEES = 6;
  private static final int TRANSFERS_PER_PHASE = 12;
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
    TestKafkaCluster.register(registry);
  }

  @Autowired UserStore users;
  @Autowired AccountStore accounts;
  @Autowired DepositStore deposits;
  @Autowired TransferStore transfers;
  @Autowired DatabaseClient db;
  @Autowired LedgerStore ledger;
  @Autowired KafkaAdmin admin;
  @Autowired OutboxRelay relay;
  @Autowired CreditLegConsumer consumer;
  @Autowired MessagingProperties properties;

  private Admin kafka;
  private BackgroundStreams streams;

  @BeforeEach
  void startTheMoneyPath() {
    kafka = Admin.create(MessagingConfiguration.adminConfig(properties));
    streams =
        new BackgroundStreams(admin, properties) {
          @Override
          protected Map<String, Flux<?>> streams() {
            return Map.of(
                "outbox relay",
                relay.run(Flux.interval(Duration.ZERO, Duration.ofMillis(100))),
                "credit-leg consumer",
                consumer.run());
          }
        };
  }

  @AfterEach
  void stopTheMoneyPath() {
    streams.stop();
    kafka.close(Duration.ofSeconds(5));
  }

  @Test
  void transfersCompleteExactlyOnceWhileTheLeadingBrokerIsStoppedAndStartedAgain()
      throws Exception {
    admin.createTopics().as(StepVerifier::create).verifyComplete();
    assertTopicsReplicatedAsConfigured();
    CreditFixtures fixtures = new CreditFixtures(users, accounts, deposits, transfers, db);
    UUID payer = fixtures.account(1_000_000);
    List<UUID> payees = new ArrayList<>();
    for (int i = 0; i < PAYEES; i++) {
      payees.add(fixtures.account(0));
    }
    List<Transfer> accepted = new ArrayList<>();
    streams.start();

    accepted.addAll(transferBatch(fixtures, payer, payees, 1));
    awaitCompleted(fixtures, accepted, "before the broker stops");

    int stopped = brokerToStop();
    TestKafkaCluster.stopBroker(stopped);
    accepted.addAll(transferBatch(fixtures, payer, payees, 2));
    awaitCompleted(fixtures, accepted, "while broker " + stopped + " is stopped");
    // Acknowledged with acks=all by the two brokers left: exactly the minimum in sync.
    assertThat(smallestInSyncReplicas()).isEqualTo(TestKafkaCluster.MIN_INSYNC_REPLICAS);

    TestKafkaCluster.startBroker(stopped);
    accepted.addAll(transferBatch(fixtures, payer, payees, 3));
    awaitCompleted(fixtures, accepted, "after broker " + stopped + " started again");

    Map<UUID, Long> credited = new HashMap<>();
    for (Transfer transfer : accepted) {
      credited.merge(transfer.toAccountId(), transfer.amount().minorUnits(), Long::sum);
    }
    for (UUID payee : payees) {
      List<UUID> paid =
          accepted.stream()
              .filter(transfer -> transfer.toAccountId().equals(payee))
              .map(Transfer::id)
              .toList();
      // One credit entry and one completion event per transfer: none lost, none doubled.
      assertThat(fixtures.entries(payee)).hasSize(paid.size());
      assertThat(fixtures.events("transfer.completed", payee))
          .containsExactlyInAnyOrderElementsOf(paid);
      assertThat(fixtures.balance(payee)).isEqualTo(credited.getOrDefault(payee, 0L));
    }
    assertThat(fixtures.balance(payer))
        .isEqualTo(1_000_000 - credited.values().stream().mapToLong(Long::longValue).sum());
    LedgerAssertions.assertBalanced(ledger);
    assertThat(streams.isRunning()).isTrue();
  }

  @Test
  void anExistingTopicsMinInsyncReplicasIsSetBackToTheConfiguredOne() throws Exception {
    admin.createTopics().as(StepVerifier::create).verifyComplete();
    ConfigResource deadLetters =
        new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS_DEAD_LETTER);
    kafka
        .incrementalAlterConfigs(
            Map.of(
                deadLetters,
                List.of(
                    new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "3"),
                        AlterConfigOp.OpType.SET))))
        .all()
        .get();
    // Brokers learn a topic's configuration from the metadata log, a moment after the change.
    awaitMinInsyncReplicas(deadLetters, "3");

    admin.createTopics().as(StepVerifier::create).verifyComplete();

    awaitMinInsyncReplicas(deadLetters, String.valueOf(TestKafkaCluster.MIN_INSYNC_REPLICAS));
  }

  private void awaitMinInsyncReplicas(ConfigResource topic, String expected) {
    Eventually.await(
        PATIENCE,
        "min.insync.replicas of " + topic.name() + " to be " + expected,
        () -> minInsyncReplicas(topic),
        expected::equals);
  }

  /** RF 3 and min ISR 2 on both topics, set by KafkaAdmin: the brokers' default ISR is 1. */
  private void assertTopicsReplicatedAsConfigured() throws Exception {
    for (String topic : List.of(Topics.EVENTS, Topics.EVENTS_DEAD_LETTER)) {
      TopicDescription description =
          kafka.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      assertThat(description.partitions())
          .allSatisfy(
              partition ->
                  assertThat(partition.replicas()).hasSize(TestKafkaCluster.REPLICATION_FACTOR));
      awaitMinInsyncReplicas(
          new ConfigResource(ConfigResource.Type.TOPIC, topic),
          String.valueOf(TestKafkaCluster.MIN_INSYNC_REPLICAS));
    }
  }

  private String minInsyncReplicas(ConfigResource topic) {
    try {
      return kafka
          .describeConfigs(List.of(topic))
          .all()
          .get()
          .get(topic)
          .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)
          .value();
    } catch (Exception e) {
      throw new IllegalStateException("describing " + topic.name() + " failed", e);
    }
  }

  /**
   * The broker coordinating the credit leg's consumer group; it must also lead partitions of the
   * events topic, so stopping it moves both the coordinator and partition leaders.
   */
  private int brokerToStop() throws Exception {
    int coordinator =
        kafka
            .describeConsumerGroups(List.of(properties.consumerGroup()))
            .all()
            .get()
            .get(properties.consumerGroup())
            .coordinator()
            .id();
    Map<Integer, Long> leaderships =
        events().partitions().stream()
            .collect(
                Collectors.groupingBy(partition -> partition.leader().id(), Collectors.counting()));
    assertThat(leaderships)
        .as("partitions of %s led per broker", Topics.EVENTS)
        .containsKey(coordinator);
    return coordinator;
  }

  private int smallestInSyncReplicas() throws Exception {
    return events().partitions().stream()
        .map(TopicPartitionInfo::isr)
        .mapToInt(List::size)
        .min()
        .orElseThrow();
  }

  private TopicDescription events() throws Exception {
    return kafka.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get().get(Topics.EVENTS);
  }

  /** One transfer to each payee in turn; amounts differ by phase so a mix-up would show. */
  private static List<Transfer> transferBatch(
      CreditFixtures fixtures, UUID payer, List<UUID> payees, int phase) {
    List<Transfer> batch = new ArrayList<>();
    for (int i = 0; i < TRANSFERS_PER_PHASE; i++) {
      batch.add(fixtures.transfer(payer, payees.get(i % payees.size()), phase * 100 + i));
    }
    return batch;
  }

  private void awaitCompleted(CreditFixtures fixtures, List<Transfer> accepted, String when) {
    Eventually.await(
        PATIENCE,
        "all " + accepted.size() + " transfers to complete " + when,
        () ->
            accepted.stream()
                .filter(
                    transfer -> fixtures.find(transfer.id()).status() != TransferStatus.COMPLETED)
                .count(),
        pending -> pending == 0);
  }
}
