package io.paystream.messaging.credit;

import static io.paystream.domain.TransferStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paystream.domain.Transfer;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.credit.PendingTransfers.Oldest;
import io.paystream.messaging.testing.MessagingTestApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.transfer.TransferStore;
import io.paystream.persistence.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.test.StepVerifier;

/**
 * The probe that makes a stalled credit leg visible, against the real database: the oldest PENDING
 * transfer's age goes into the gauge, past the limit it counts as stalled, and a settled transfer
 * no longer counts. Other tests of this JVM share the database and may leave transfers pending, so
 * the assertions hold whichever transfer is the oldest.
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      "paystream.messaging.enabled=false",
    })
class PendingTransfersIntegrationTest {

  static final Duration LATER = Duration.ofMinutes(10);

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
  @Autowired CreditLeg creditLeg;
  @Autowired MessagingProperties properties;

  @Test
  void aTransferPendingPastTheLimitIsReportedAsStalledWithItsAge() {
    CreditFixtures fixtures = new CreditFixtures(users, accounts, deposits, transfers, db);
    fixtures.transfer(fixtures.account(1_000), fixtures.account(0), 100);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    // Ten minutes on: the transfer just made (or an older one) is far past the 60 s limit.
    PendingTransfers probe =
        new PendingTransfers(transfers, properties, Clock.offset(Clock.systemUTC(), LATER), meters);

    Oldest oldest = measured(probe);
    assertThat(fixtures.find(oldest.transferId()).status()).isEqualTo(PENDING);
    assertThat(oldest.age()).isGreaterThanOrEqualTo(LATER.minusSeconds(5));
    assertThat(oldest.stalled()).isTrue();
    assertThat(meters.get("paystream.transfers.pending.oldest.age").gauge().value())
        .isGreaterThanOrEqualTo(LATER.minusSeconds(5).toSeconds());
  }

  @Test
  void aTransferWithinTheLimitIsMeasuredButNotStalled() {
    CreditFixtures fixtures = new CreditFixtures(users, accounts, deposits, transfers, db);
    fixtures.transfer(fixtures.account(1_000), fixtures.account(0), 100);
    // Every transfer of this JVM's fresh database is younger than an hour.
    PendingTransfers probe =
        new PendingTransfers(
            transfers, withWarnAfter(3_600), Clock.systemUTC(), new SimpleMeterRegistry());

    Oldest oldest = measured(probe);
    assertThat(oldest.age()).isLessThan(Duration.ofHours(1));
    assertThat(oldest.stalled()).isFalse();
  }

  @Test
  void aSettledTransferIsNoLongerTheOldestPending() {
    CreditFixtures fixtures = new CreditFixtures(users, accounts, deposits, transfers, db);
    Transfer pending = fixtures.transfer(fixtures.account(1_000), fixtures.account(0), 100);
    PendingTransfers probe =
        new PendingTransfers(transfers, properties, Clock.systemUTC(), new SimpleMeterRegistry());
    // Before: the oldest pending is this transfer or an older one, never a younger one.
    Oldest before = measured(probe);
    assertThat(fixtures.find(before.transferId()).status()).isEqualTo(PENDING);
    assertThat(before.transferId().compareTo(pending.id())).isLessThanOrEqualTo(0);

    creditLeg
        .applyAll(List.of(creditLeg.decode(fixtures.pendingMessage(pending))))
        .as(StepVerifier::create)
        .expectNext(List.of(CreditLeg.Outcome.COMPLETED))
        .verifyComplete();

    probe
        .measure()
        .map(Oldest::transferId)
        .defaultIfEmpty(new UUID(0, 0))
        .as(StepVerifier::create)
        .assertNext(oldest -> assertThat(oldest).isNotEqualTo(pending.id()))
        .verifyComplete();
  }

  /** One measurement, which must find a PENDING transfer; checked on the test thread. */
  private static Oldest measured(PendingTransfers probe) {
    AtomicReference<Oldest> seen = new AtomicReference<>();
    probe.measure().as(StepVerifier::create).assertNext(seen::set).verifyComplete();
    return seen.get();
  }

  private MessagingProperties withWarnAfter(int seconds) {
    MessagingProperties p = properties;
    return new MessagingProperties(
        p.bootstrapServers(),
        p.topicPartitions(),
        p.topicReplicationFactor(),
        p.topicMinInsyncReplicas(),
        p.outboxBatchSizeMax(),
        p.outboxPollIntervalSeconds(),
        p.outboxRetentionHours(),
        p.creditRetryAttemptsMax(),
        p.creditRetryBackoffMinMillis(),
        p.creditRetryBackoffMaxMillis(),
        p.creditBatchMax(),
        p.consumerCommitIntervalMillis(),
        p.consumerGroup(),
        p.pendingProbeIntervalSeconds(),
        seconds,
        p.consumerPollRecordsMax(),
        p.consumerLagProbeIntervalSeconds(),
        p.producerLingerMillis(),
        p.producerInFlightRequestsMax(),
        p.producerRequestTimeoutMillis(),
        p.producerDeliveryTimeoutMillis(),
        p.adminRequestTimeoutMillis(),
        p.adminApiTimeoutMillis(),
        p.adminCloseTimeoutMillis(),
        p.healthProbeTimeoutMillis(),
        p.streamRestartBackoffMinMillis(),
        p.streamRestartBackoffMaxMillis(),
        p.outboxPurgeIntervalSeconds(),
        p.outboxPurgeBatchSizeMax(),
        p.consumerSessionTimeoutMillis(),
        p.outboxLingerMillis());
  }
}
