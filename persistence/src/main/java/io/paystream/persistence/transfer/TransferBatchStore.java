package io.paystream.persistence.transfer;

import io.paystream.domain.Ids;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferRequest;
import io.paystream.persistence.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Atomic batches of transfers from one payer account (V14): accepted all together or not at all,
 * each leg an ordinary transfer that completes or fails on its own afterwards.
 */
@Repository
public class TransferBatchStore {

  private final DatabaseClient db;
  private final TransferAccepts accepts;
  private final Clock clock;

  public TransferBatchStore(DatabaseClient db, TransferAccepts accepts, Clock clock) {
    this.db = db;
    this.accepts = accepts;
    this.clock = clock;
  }

  /**
   * A batch as stored, without its legs.
   *
   * @param createdBy the user who asked for it
   */
  public record BatchRow(
      UUID id, UUID fromAccountId, String currency, UUID createdBy, Instant createdAt) {}

  /** A batch and its legs in order. */
  public record Batch(BatchRow row, List<Transfer> legs) {}

  /**
   * Accepts all of {@code legs} (one payer account, one currency) or none, and records them as one
   * batch. A refused leg fails the call with its {@code RejectedException}, naming its index, and
   * nothing is written. Call inside a transaction.
   */
  public Mono<Batch> accept(UUID requestedBy, List<TransferRequest> legs) {
    TransferRequest first = legs.get(0);
    BatchRow row =
        new BatchRow(
            Ids.newId(),
            first.fromAccountId(),
            first.amount().currencyCode(),
            requestedBy,
            Timestamps.now(clock));
    return accepts
        .acceptAllOrNone(legs)
        .flatMap(transfers -> record(row, transfers).thenReturn(new Batch(row, transfers)));
  }

  private Mono<Void> record(BatchRow row, List<Transfer> transfers) {
    UUID[] ids = transfers.stream().map(Transfer::id).toArray(UUID[]::new);
    return db.sql(
            """
            INSERT INTO transfer_batch (id, from_account_id, currency, created_by, created_at)
            VALUES (:id, :from, :currency, :createdBy, :at)""")
        .bind("id", row.id())
        .bind("from", row.fromAccountId())
        .bind("currency", row.currency())
        .bind("createdBy", row.createdBy())
        .bind("at", row.createdAt())
        .fetch()
        .rowsUpdated()
        .then(
            db.sql(
                    """
                    INSERT INTO transfer_batch_leg (batch_id, leg, transfer_id)
                    SELECT :batch, n - 1, id FROM unnest(:ids::uuid[]) WITH ORDINALITY AS l(id, n)""")
                .bind("batch", row.id())
                .bind("ids", ids)
                .fetch()
                .rowsUpdated())
        .then();
  }

  /** The batch with its legs as they are now, in order; empty if there is none. */
  public Mono<Batch> find(UUID id) {
    return db.sql(
            """
            SELECT id, from_account_id, currency, created_by, created_at
              FROM transfer_batch WHERE id = :id""")
        .bind("id", id)
        .map(
            row ->
                new BatchRow(
                    row.get("id", UUID.class),
                    row.get("from_account_id", UUID.class),
                    row.get("currency", String.class),
                    row.get("created_by", UUID.class),
                    Timestamps.instant(row.get("created_at", Instant.class))))
        .one()
        .flatMap(row -> legs(row.id()).collectList().map(legs -> new Batch(row, legs)));
  }

  private Flux<Transfer> legs(UUID batchId) {
    return db.sql(
            "SELECT "
                + TransferStore.COLUMNS
                + " FROM transfer_batch_leg JOIN transfer ON transfer.id = transfer_id"
                + " WHERE batch_id = :batch ORDER BY leg")
        .bind("batch", batchId)
        .map(TransferStore::map)
        .all();
  }
}
