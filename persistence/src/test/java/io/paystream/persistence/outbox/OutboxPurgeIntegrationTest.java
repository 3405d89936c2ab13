package io.paystream.persistence.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.domain.Ids;
import io.paystream.persistence.outbox.OutboxStore.PurgedBatch;
import io.paystream.persistence.testing.PersistenceTestApplication;
import io.paystream.persistence.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The outbox purge's statements against the real database. Each test writes its rows with ids of
 * its own below every other row of this JVM's database (the relay sends in id order, so old rows
 * have low ids), and removes what is left of them afterwards.
 */
@SpringBootTest(classes = PersistenceTestApplication.class)
class OutboxPurgeIntegrationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);
  private static final Instant CUTOFF = NOW.minus(Duration.ofHours(24));
  private static final Instant LONG_AGO = NOW.minus(Duration.ofHours(30));
  private static final Instant RECENTLY = NOW.minus(Duration.ofHours(1));

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired OutboxStore outbox;
  @Autowired DatabaseClient db;
  @Autowired TransactionalOperator transaction;

  private long base;

  @BeforeEach
  void idsOfThisTest() {
    base = -ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L) * 100;
  }

  @AfterEach
  void removeRowsOfThisTest() {
    db.sql("DELETE FROM outbox WHERE id BETWEEN :from AND :to")
        .bind("from", base)
        .bind("to", base + 99)
        .fetch()
        .rowsUpdated()
        .block(PATIENCE);
  }

  @Test
  void aBatchDeletesAtMostItsLimitOfRowsSentBeforeTheCutoffLowestIdFirst() {
    insert(0, LONG_AGO);
    long unsent = insert(1, null);
    long c = insert(2, LONG_AGO);
    long d = insert(3, LONG_AGO);
    long recent = insert(4, RECENTLY);
    long afterRecent = insert(5, LONG_AGO);

    outbox
        .purgeSentBatch(CUTOFF, base - 1, recent, 2)
        .as(StepVerifier::create)
        .expectNext(new PurgedBatch(2, c))
        .verifyComplete();
    assertThat(remaining()).containsExactly(unsent, d, recent, afterRecent);

    outbox
        .purgeSentBatch(CUTOFF, c, recent, 2)
        .as(StepVerifier::create)
        .expectNext(new PurgedBatch(1, d))
        .verifyComplete();
    // Never an unsent row, never one sent within the retention, nothing at or past the bound.
    assertThat(remaining()).containsExactly(unsent, recent, afterRecent);
  }

  @Test
  void anEmptyBatchSaysWhereItStarted() {
    long unsent = insert(0, null);

    outbox
        .purgeSentBatch(CUTOFF, base - 1, base + 99, 10)
        .as(StepVerifier::create)
        .expectNext(new PurgedBatch(0, base - 1))
        .verifyComplete();
    assertThat(remaining()).containsExactly(unsent);
  }

  @Test
  void thePurgeStopsBeforeTheFirstRowSentWithinTheRetention() {
    insert(0, LONG_AGO);
    insert(1, null);
    long recent = insert(2, RECENTLY);
    insert(3, RECENTLY);

    outbox.firstIdSentSince(CUTOFF).as(StepVerifier::create).expectNext(recent).verifyComplete();
  }

  @Test
  void aRowAnotherTransactionHoldsIsSkippedNotWaitedFor() throws Exception {
    long held = insert(0, LONG_AGO);
    long free = insert(1, LONG_AGO);
    Sinks.Empty<Void> locked = Sinks.empty();
    Sinks.Empty<Void> release = Sinks.empty();
    CompletableFuture<Void> holder =
        transaction
            .transactional(
                db.sql("SELECT id FROM outbox WHERE id = :id FOR UPDATE")
                    .bind("id", held)
                    .fetch()
                    .all()
                    .then(Mono.fromRunnable(locked::tryEmitEmpty))
                    .then(release.asMono()))
            .toFuture();
    try {
      locked.asMono().block(PATIENCE);

      // Another instance's purge holding a row is no reason to wait: take the others.
      outbox
          .purgeSentBatch(CUTOFF, base - 1, base + 99, 10)
          .as(StepVerifier::create)
          .expectNext(new PurgedBatch(1, free))
          .expectComplete()
          .verify(Duration.ofSeconds(10));
    } finally {
      release.tryEmitEmpty();
    }
    holder.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(remaining()).containsExactly(held);
  }

  /** A row of this test at {@code base + offset}, sent at {@code sentAt} (null: not yet). */
  private long insert(int offset, Instant sentAt) {
    long id = base + offset;
    DatabaseClient.GenericExecuteSpec insert =
        db.sql(
                """
                INSERT INTO outbox (id, event_id, topic, message_key, event_type, payload,
                                    created_at, sent_at)
                VALUES (:id, :eventId, 'paystream.events', 'key', 'transfer.pending', '{}',
                        :createdAt, :sentAt)""")
            .bind("id", id)
            .bind("eventId", Ids.newId())
            .bind("createdAt", LONG_AGO.minusSeconds(60));
    insert =
        sentAt == null ? insert.bindNull("sentAt", Instant.class) : insert.bind("sentAt", sentAt);
    insert.fetch().rowsUpdated().block(PATIENCE);
    return id;
  }

  private List<Long> remaining() {
    return db.sql("SELECT id FROM outbox WHERE id BETWEEN :from AND :to ORDER BY id")
        .bind("from", base)
        .bind("to", base + 99)
        .map(row -> row.get("id", Long.class))
        .all()
        .collectList()
        .block(PATIENCE);
  }
}
