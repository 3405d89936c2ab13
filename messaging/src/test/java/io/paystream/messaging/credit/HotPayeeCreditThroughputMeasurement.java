package io.paystream.messaging.credit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paystream.domain.Transfer;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.credit.CreditLeg.Outcome;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.messaging.kafka.Topics;
import io.paystream.messaging.recent.RecentEntriesUpdater;
import io.paystream.messaging.testing.MessagingTestApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.messaging.tracing.SagaTracing;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.transfer.TransferStore;
import io.paystream.persistence.user.UserStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * Not part of the suite (the name matches no surefire pattern): a one-off measurement of how many
 * credits per second the credit leg applies for ONE hot payee, with one transaction per message
 * ({@code credit-batch-max=1}) and with batches. Run it explicitly:
 *
 * <pre>./mvnw -B -o verify -pl messaging -am -Dtest=HotPayeeCreditThroughputMeasurement
 *     -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>Per round: a fresh payee and payers, {@link #CREDITS} transfers accepted through the store,
 * their {@code transfer.pending} messages put on the topic (one partition, the payee's key), then a
 * consumer of a fresh group started; the rate is counted from its first COMPLETED to its last (so
 * group join and the first batch are left out). Figures go to standard output
 * (target/surefire-reports/*-output.txt).
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      "paystream.messaging.enabled=false",
    })
class HotPayeeCreditThroughputMeasurement {

  static final int CREDITS = 2_000;
  static final int PAYERS = 20;

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
  @Autowired CreditLeg creditLeg;
  @Autowired RecentEntriesUpdater recent;
  @Autowired MessagingProperties properties;

  @Test
  void measure() throws InterruptedException {
    admin.createTopics().block(Duration.ofSeconds(30));
    List<String> report = new ArrayList<>();
    for (int batchMax : new int[] {1, 256, 1, 256}) {
      report.add(round(batchMax));
    }
    report.forEach(line -> System.out.println("MEASURE " + line));
  }

  private String round(int batchMax) throws InterruptedException {
    CreditFixtures fixtures = new CreditFixtures(users, accounts, deposits, transfers, db);
    UUID payee = fixtures.account(0);
    List<UUID> payers = new ArrayList<>();
    for (int i = 0; i < PAYERS; i++) {
      payers.add(fixtures.account(1_000_000));
    }
    List<Transfer> accepted =
        Flux.range(0, CREDITS)
            .flatMap(
                i ->
                    Flux.defer(
                            () ->
                                reactor.core.publisher.Mono.fromCallable(
                                    () ->
                                        fixtures.transfer(
                                            payers.get(i % PAYERS), payee, 1 + i % 97)))
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()),
                4)
            .collectList()
            .block(Duration.ofMinutes(5));
    List<String> payloads =
        db.sql(
                "SELECT payload FROM outbox WHERE event_type = 'transfer.pending'"
                    + " AND message_key = :payee ORDER BY id")
            .bind("payee", payee.toString())
            .map(row -> row.get("payload", String.class))
            .all()
            .collectList()
            .block(Duration.ofMinutes(1));
    if (accepted.size() != CREDITS || payloads.size() != CREDITS) {
      throw new AssertionError("accepted " + accepted.size() + ", messages " + payloads.size());
    }
    Flux.fromIterable(payloads)
        .map(
            payload ->
                SenderRecord.create(
                    new ProducerRecord<>(Topics.EVENTS, payee.toString(), payload), 0))
        .as(sender::send)
        .then()
        .block(Duration.ofMinutes(1));

    MessagingProperties measured =
        new MessagingProperties(
            properties.bootstrapServers(),
            properties.topicPartitions(),
            properties.topicReplicationFactor(),
            properties.topicMinInsyncReplicas(),
            properties.outboxBatchSizeMax(),
            properties.outboxPollIntervalSeconds(),
            properties.outboxRetentionHours(),
            properties.creditRetryAttemptsMax(),
            properties.creditRetryBackoffMinMillis(),
            properties.creditRetryBackoffMaxMillis(),
            batchMax,
            properties.consumerCommitIntervalMillis(),
            "measure-" + UUID.randomUUID(),
            properties.pendingProbeIntervalSeconds(),
            properties.pendingWarnSeconds(),
            properties.consumerPollRecordsMax(),
            properties.consumerLagProbeIntervalSeconds(),
            properties.producerLingerMillis(),
            properties.producerInFlightRequestsMax(),
            properties.producerRequestTimeoutMillis(),
            properties.producerDeliveryTimeoutMillis(),
            properties.adminRequestTimeoutMillis(),
            properties.adminApiTimeoutMillis(),
            properties.adminCloseTimeoutMillis(),
            properties.healthProbeTimeoutMillis(),
            properties.streamRestartBackoffMinMillis(),
            properties.streamRestartBackoffMaxMillis(),
            properties.outboxPurgeIntervalSeconds(),
            properties.outboxPurgeBatchSizeMax(),
            properties.consumerSessionTimeoutMillis(),
            properties.outboxLingerMillis());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CreditLegConsumer consumer =
        new CreditLegConsumer(creditLeg, recent, sender, measured, SagaTracing.off(), meters);
    CountDownLatch done = new CountDownLatch(CREDITS);
    AtomicLong first = new AtomicLong();
    AtomicLong last = new AtomicLong();
    // The first batch's outcomes are emitted together once it committed, before the clock
    // starts meaning anything: they are left out of the rate.
    AtomicLong firstBatch = new AtomicLong();
    Disposable running =
        consumer
            .run()
            .filter(outcome -> outcome == Outcome.COMPLETED)
            .subscribe(
                outcome -> {
                  long now = System.nanoTime();
                  first.compareAndSet(0, now);
                  if (now - first.get() < 1_000_000) {
                    firstBatch.incrementAndGet();
                  }
                  last.set(now);
                  done.countDown();
                });
    try {
      if (!done.await(5, TimeUnit.MINUTES)) {
        throw new AssertionError("only " + (CREDITS - done.getCount()) + " credits applied");
      }
    } finally {
      running.dispose();
    }
    double seconds = (last.get() - first.get()) / 1e9;
    var sizes = meters.find("paystream.consumer.batch.size").summary();
    long timed = CREDITS - firstBatch.get();
    return String.format(
        "credit-batch-max=%d: %d credits after the first batch in %.2f s ="
            + " %.0f credits/s (consumer: %d transactions, mean batch %.1f, max %.0f; earlier"
            + " rounds' messages are re-read as duplicates)",
        batchMax, timed, seconds, timed / seconds, sizes.count(), sizes.mean(), sizes.max());
  }
}
