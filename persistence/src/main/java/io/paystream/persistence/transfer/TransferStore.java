package io.paystream.persistence.transfer;

import io.paystream.domain.Money;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferBatch.Accepted;
import io.paystream.domain.TransferBatch.Refused;
import io.paystream.domain.TransferRequest;
import io.paystream.domain.TransferStatus;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.metadata.MetadataJson;
import io.paystream.persistence.ops.MovementSearch;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Transfers as they are read, and the single transfer's accept: a batch of one through {@link
 * TransferAccepts}, the only accept. The payee's side (credit or refund) is {@link
 * TransferSettlement}'s.
 */
@Repository
public class TransferStore {

  static final String COLUMNS =
      "id, from_account_id, to_account_id, amount, currency,"
          + " description, metadata::text AS metadata, refund_of, status, failure_reason,"
          + " created_at, updated_at";

  private final DatabaseClient db;
  private final TransferAccepts accepts;

  public TransferStore(DatabaseClient db, TransferAccepts accepts) {
    this.db = db;
    this.accepts = accepts;
  }

  /**
   * Debits the payer and records the PENDING transfer, as a batch of one. Fails with {@link
   * RejectedException} when the transfer is refused; a refusal writes nothing, so the caller may
   * still commit its own writes (the idempotency record of the refusal). Call inside a transaction.
   */
  public Mono<Transfer> accept(TransferRequest request) {
    return accepts
        .accept(List.of(request))
        .flatMap(
            decided ->
                decided.get(0) instanceof Accepted accepted
                    ? Mono.just(accepted.transfer())
                    : Mono.error(((Refused) decided.get(0)).refusal().exception()));
  }

  public Mono<Transfer> find(UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM transfer WHERE id = :id")
        .bind("id", id)
        .map(TransferStore::map)
        .one();
  }

  /**
   * The transfer that has been PENDING longest, if any (ids are time-ordered; the status index
   * answers it). A healthy credit leg keeps its age to milliseconds.
   */
  public Mono<Transfer> oldestPending() {
    return db.sql(
            "SELECT " + COLUMNS + " FROM transfer WHERE status = 'PENDING' ORDER BY id LIMIT 1")
        .map(TransferStore::map)
        .one();
  }

  /** Whether {@code userId} owns either party of the transfer. */
  public Mono<Boolean> isParty(UUID transferId, UUID userId) {
    return db.sql(
            """
            SELECT EXISTS (SELECT 1 FROM transfer t JOIN account a
                                 ON a.id IN (t.from_account_id, t.to_account_id)
                            WHERE t.id = :id AND a.owner_id = :user) AS party""")
        .bind("id", transferId)
        .bind("user", userId)
        .map(row -> row.get("party", Boolean.class))
        .one();
  }

  /**
   * Transfers for operators ({@link MovementSearch}), newest first. Each criterion has an index:
   * the primary key for {@code id} and the order, {@code transfer_status_idx (status, id)}, the two
   * account indexes (combined by a bitmap OR) for an account or a customer's accounts, and {@code
   * transfer_created_idx} (V10) for a time range.
   */
  public Flux<Transfer> search(MovementSearch search) {
    if (search.matchesNothing()) {
      return Flux.empty();
    }
    return search
        .statement(
            db,
            COLUMNS,
            "transfer",
            "(from_account_id = :account OR to_account_id = :account)",
            "(from_account_id = ANY(:owned::uuid[]) OR to_account_id = ANY(:owned::uuid[]))")
        .map(TransferStore::map)
        .all();
  }

  /**
   * A completed transfer with what its refunds have taken so far.
   *
   * @param refunded the refunds that did not fail (PENDING or COMPLETED), in minor units
   */
  public record Refundable(Transfer transfer, long refunded) {

    /** What can still be refunded. */
    public long remaining() {
      return transfer.amount().minorUnits() - refunded;
    }
  }

  /**
   * The transfer and its refunded total, its row locked until the transaction ends: the refunds of
   * one transfer are decided one at a time, so together they never pass its amount (the database
   * checks the same under the same lock, V13). Empty if there is no such transfer. Call inside a
   * transaction.
   */
  public Mono<Refundable> lockForRefund(UUID transferId) {
    return db.sql("SELECT " + COLUMNS + " FROM transfer WHERE id = :id FOR UPDATE")
        .bind("id", transferId)
        .map(TransferStore::map)
        .one()
        .flatMap(transfer -> refunded(transfer.id()).map(sum -> new Refundable(transfer, sum)));
  }

  /** The amounts of the transfer's refunds that did not fail. */
  public Mono<Long> refunded(UUID transferId) {
    return db.sql(
            """
            SELECT COALESCE(sum(amount), 0)::bigint AS refunded FROM transfer
             WHERE refund_of = :id AND status <> 'FAILED'""")
        .bind("id", transferId)
        .map(row -> row.get("refunded", Long.class))
        .one();
  }

  /** The transfer's refunds, oldest first. */
  public Flux<Transfer> refundsOf(UUID transferId) {
    return db.sql("SELECT " + COLUMNS + " FROM transfer WHERE refund_of = :id ORDER BY id")
        .bind("id", transferId)
        .map(TransferStore::map)
        .all();
  }

  static Transfer map(Readable row) {
    return new Transfer(
        row.get("id", UUID.class),
        row.get("from_account_id", UUID.class),
        row.get("to_account_id", UUID.class),
        Money.of(row.get("amount", Long.class), row.get("currency", String.class)),
        row.get("description", String.class),
        MetadataJson.read(row.get("metadata", String.class)),
        row.get("refund_of", UUID.class),
        TransferStatus.valueOf(row.get("status", String.class)),
        row.get("failure_reason", String.class),
        Timestamps.instant(row.get("created_at", Instant.class)),
        Timestamps.instant(row.get("updated_at", Instant.class)));
  }
}
