package io.paystream.api.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.domain.Ids;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The running application purges sent outbox rows past {@code
 * paystream.kafka.outbox-retention-hours} (24) on its own, and keeps the rest: the outbox is
 * written by every money movement and must not grow forever. The rows are written directly, with
 * ids below every other row (the relay sends in id order, so rows sent a day ago have low ids); the
 * shared context purges every second.
 */
class OutboxRetentionIntegrationTest extends ApiIntegrationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Autowired DatabaseClient db;

  private final long base = -ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);

  @AfterEach
  void removeRowsOfThisTest() {
    db.sql("DELETE FROM outbox WHERE id BETWEEN :from AND :to")
        .bind("from", base)
        .bind("to", base + 9)
        .fetch()
        .rowsUpdated()
        .block(PATIENCE);
  }

  @Test
  void sentRowsPastTheRetentionArePurgedAndRecentOnesKept() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    // Three rows past the retention: more than one batch of two.
    insert(0, now.minus(Duration.ofHours(30)));
    insert(1, now.minus(Duration.ofHours(26)));
    insert(2, now.minus(Duration.ofHours(25)));
    long recent = insert(3, now.minus(Duration.ofHours(1)));

    await().atMost(PATIENCE).untilAsserted(() -> assertThat(remaining()).containsExactly(recent));
  }

  private long insert(int offset, Instant sentAt) {
    long id = base + offset;
    db.sql(
            """
            INSERT INTO outbox (id, event_id, topic, message_key, event_type, payload,
                                created_at, sent_at)
            VALUES (:id, :eventId, 'paystream.events', 'key', 'transfer.pending', '{}',
                    :sentAt, :sentAt)""")
        .bind("id", id)
        .bind("eventId", Ids.newId())
        .bind("sentAt", sentAt)
        .fetch()
        .rowsUpdated()
        .block(PATIENCE);
    return id;
  }

  private List<Long> remaining() {
    return db.sql("SELECT id FROM outbox WHERE id BETWEEN :from AND :to ORDER BY id")
        .bind("from", base)
        .bind("to", base + 9)
        .map(row -> row.get("id", Long.class))
        .all()
        .collectList()
        .block(PATIENCE);
  }
}
