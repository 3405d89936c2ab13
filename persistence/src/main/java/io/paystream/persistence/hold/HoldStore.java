package io.paystream.persistence.hold;

import io.paystream.domain.Account;
import io.paystream.domain.Hold;
import io.paystream.domain.HoldStatus;
import io.paystream.domain.Ids;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.MoneyEvent;
import io.paystream.domain.Refusal;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferRequest;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.account.AccountBalances;
import io.paystream.persistence.account.AccountBalances.Change;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.metadata.MetadataJson;
import io.paystream.persistence.ops.MovementSearch;
import io.paystream.persistence.outbox.OutboxStore;
import io.paystream.persistence.transfer.TransferAccepts;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Holds: placed, captured into a transfer, voided, or expired, each in the caller's transaction and
 * each with its {@code hold.*} event in the outbox.
 *
 * <p>What a hold reserves is the payer account's {@code held} column, moved in the same transaction
 * as the hold's status: placing adds to it, and leaving HELD (any way) takes the whole amount back
 * out. Locks are taken in one order everywhere: the hold's row, then the payer's account (the same
 * lock the balance statements take), so a capture, a void and the expiry sweep racing for one hold
 * wait for each other and exactly one of them ends it.
 */
@Repository
public class HoldStore {

  static final String COLUMNS =
      "id, from_account_id, to_account_id, amount, currency, description,"
          + " metadata::text AS metadata, status, captured_amount, transfer_id, expires_at,"
          + " created_at, updated_at";

  private final DatabaseClient db;
  private final AccountStore accounts;
  private final AccountBalances balances;
  private final TransferAccepts accepts;
  private final OutboxStore outbox;
  private final Clock clock;

  HoldStore(
      DatabaseClient db,
      AccountStore accounts,
      AccountBalances balances,
      TransferAccepts accepts,
      OutboxStore outbox,
      Clock clock) {
    this.db = db;
    this.accounts = accounts;
    this.balances = balances;
    this.accepts = accepts;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * Places a hold of {@code request}'s amount, decided as a transfer of it would be now (the
   * payer's status and currency, its available balance, its limits), until {@code expiresAt}. Fails
   * with {@link RejectedException} and writes nothing when refused. Call inside a transaction.
   */
  public Mono<Hold> place(TransferRequest request, Instant expiresAt) {
    return accepts
        .decideHold(request)
        .flatMap(
            payer -> {
              long amount = request.amount().minorUnits();
              return balances
                  .hold(List.of(new Change(payer.id(), amount, payer.held() + amount)))
                  .then(insert(request, expiresAt));
            })
        .flatMap(hold -> outbox.append(MoneyEvent.of(hold, hold.createdAt())).thenReturn(hold));
  }

  // created_at is the database's clock after the payer's lock, as for ledger entries, so the
  // amount held as of an instant moves in step with the balance as of it.
  private Mono<Hold> insert(TransferRequest request, Instant expiresAt) {
    return db.sql(
            """
            INSERT INTO hold (id, from_account_id, to_account_id, amount, currency, description,
                              metadata, status, expires_at, created_by, created_by_ops,
                              created_at, updated_at)
            VALUES (:id, :from, :to, :amount, :currency, :description, :metadata::jsonb,
                    'HELD', :expiresAt, :createdBy, :asOps, statement_timestamp(),
                    statement_timestamp())
            RETURNING %s"""
                .formatted(COLUMNS))
        .bind("id", Ids.newId())
        .bind("from", request.fromAccountId())
        .bind("to", request.toAccountId())
        .bind("amount", request.amount().minorUnits())
        .bind("currency", request.amount().currencyCode())
        .bind("description", Parameter.fromOrEmpty(request.description(), String.class))
        .bind("metadata", MetadataJson.write(request.metadata()))
        .bind("expiresAt", expiresAt)
        .bind("createdBy", request.requestedBy())
        .bind("asOps", request.asOps())
        .map(HoldStore::map)
        .one();
  }

  /**
   * What a capture changes of the hold's transfer: {@code amount} (null for all of it), and the
   * transfer's description and metadata (null: the hold's).
   */
  public record Capture(Long amount, String description, Metadata metadata) {}

  /**
   * Captures the hold into a transfer of {@code capture}'s amount, made on the authority of whoever
   * placed the hold, and decided as any transfer with the hold's money available to it; the rest of
   * the hold is released. Refused (and nothing written) when the hold is not HELD or has passed its
   * expiry, when the amount is more than it holds, or when the transfer is refused; the hold then
   * stays as it was. Empty when there is no such hold. Call inside a transaction.
   */
  public Mono<Captured> capture(UUID holdId, Capture capture, TransferRequestFactory factory) {
    return lock(holdId)
        .flatMap(
            locked -> {
              Hold hold = locked.hold();
              Refusal refusal = hold.refusesToEnd(Timestamps.now(clock));
              if (refusal != null) {
                return Mono.error(refusal.exception());
              }
              long amount =
                  capture.amount() == null ? hold.amount().minorUnits() : capture.amount();
              if (amount > hold.amount().minorUnits()) {
                return Mono.error(
                    new RejectedException(
                        Rejection.CAPTURE_EXCEEDS_HOLD,
                        "the hold reserves "
                            + hold.amount()
                            + "; "
                            + Money.of(amount, hold.amount().currency())
                            + " cannot be captured"));
              }
              TransferRequest request = factory.request(locked, amount, capture);
              return accepts
                  .capture(request, hold.amount().minorUnits())
                  .flatMap(
                      transfer ->
                          end(hold, HoldStatus.CAPTURED, transfer.id(), amount)
                              .map(ended -> new Captured(ended, transfer)));
            });
  }

  /** A captured hold and the transfer its capture made. */
  public record Captured(Hold hold, Transfer transfer) {}

  /** Makes the capture's transfer request from the locked hold (who placed it, its limits). */
  @FunctionalInterface
  public interface TransferRequestFactory {
    TransferRequest request(Locked hold, long amount, Capture capture);
  }

  /** A hold's row as locked, with who placed it. */
  public record Locked(Hold hold, UUID createdBy, boolean createdByOps) {}

  /**
   * Voids the hold: it is released in full and moves nothing. Refused when it is not HELD or has
   * passed its expiry. Empty when there is no such hold. Call inside a transaction.
   */
  public Mono<Hold> voidHold(UUID holdId) {
    return lock(holdId)
        .flatMap(
            locked -> {
              Hold hold = locked.hold();
              Refusal refusal = hold.refusesToEnd(Timestamps.now(clock));
              if (refusal != null) {
                return Mono.error(refusal.exception());
              }
              return release(List.of(hold)).then(end(hold, HoldStatus.VOIDED, null, null));
            });
  }

  /**
   * Expires up to {@code limit} HELD holds whose expiry has passed, soonest first, and releases
   * what they reserved. Holds another transaction has locked (a capture or void under way, or
   * another instance's sweep) are skipped, so every instance may sweep at once without doubling.
   * Call inside a transaction.
   *
   * @return the holds expired
   */
  public Mono<List<Hold>> expireDue(int limit) {
    return db.sql(
            """
            SELECT %s FROM hold
             WHERE status = 'HELD' AND expires_at <= statement_timestamp()
             ORDER BY expires_at
             LIMIT :limit FOR UPDATE SKIP LOCKED"""
                .formatted(COLUMNS))
        .bind("limit", limit)
        .map(HoldStore::map)
        .all()
        .collectList()
        .flatMap(
            due -> due.isEmpty() ? Mono.just(List.<Hold>of()) : release(due).then(expire(due)));
  }

  /**
   * Moves the locked, due holds to EXPIRED in one statement and records their events in one more,
   * soonest expiry first: a full sweep costs the same four statements whatever its size.
   */
  private Mono<List<Hold>> expire(List<Hold> due) {
    Instant now = Timestamps.now(clock);
    return db.sql(
            """
            UPDATE hold SET status = 'EXPIRED', updated_at = :now,
                            released_at = statement_timestamp()
             WHERE id = ANY(:ids) AND status = 'HELD'
            RETURNING %s"""
                .formatted(COLUMNS))
        .bind("ids", due.stream().map(Hold::id).toArray(UUID[]::new))
        .bind("now", now)
        .map(HoldStore::map)
        .all()
        .sort(Comparator.comparing(Hold::expiresAt))
        .collectList()
        .flatMap(
            expired ->
                expired.size() != due.size()
                    ? Mono.error(
                        new IllegalStateException(
                            expired.size() + " of " + due.size() + " locked holds were HELD"))
                    : outbox
                        .appendAll(expired.stream().map(hold -> MoneyEvent.of(hold, now)).toList())
                        .thenReturn(expired));
  }

  /** Releases what {@code holds} reserve: one statement, the accounts locked in id order. */
  private Mono<Void> release(List<Hold> holds) {
    Map<UUID, Long> byAccount = new TreeMap<>();
    for (Hold hold : holds) {
      byAccount.merge(hold.fromAccountId(), hold.amount().minorUnits(), Math::addExact);
    }
    return accounts
        .lock(byAccount.keySet())
        .flatMap(
            locked -> {
              List<Change> changes = new ArrayList<>(byAccount.size());
              for (Map.Entry<UUID, Long> release : byAccount.entrySet()) {
                Account account = locked.get(release.getKey());
                changes.add(
                    new Change(
                        release.getKey(),
                        release.getValue(),
                        account.release(release.getValue()).held()));
              }
              return balances.release(changes);
            });
  }

  /**
   * Moves the locked hold out of HELD and records its event. A capture's release is stamped with
   * its transfer's journal, so as of any instant the hold is either still held or already debited.
   */
  private Mono<Hold> end(Hold hold, HoldStatus status, UUID transferId, Long capturedAmount) {
    Instant now = Timestamps.now(clock);
    return db.sql(
            """
            UPDATE hold SET status = :status, transfer_id = :transferId,
                            captured_amount = :captured, updated_at = :now,
                            released_at = COALESCE(
                                (SELECT min(created_at) FROM journal
                                  WHERE movement_id = :transferId),
                                statement_timestamp())
             WHERE id = :id AND status = 'HELD'
            RETURNING %s"""
                .formatted(COLUMNS))
        .bind("status", status.name())
        .bind("transferId", Parameter.fromOrEmpty(transferId, UUID.class))
        .bind("captured", Parameter.fromOrEmpty(capturedAmount, Long.class))
        .bind("now", now)
        .bind("id", hold.id())
        .map(HoldStore::map)
        .one()
        .switchIfEmpty(
            Mono.error(() -> new IllegalStateException("hold " + hold.id() + " was not HELD")))
        .flatMap(ended -> outbox.append(MoneyEvent.of(ended, now)).thenReturn(ended));
  }

  /** The hold's row and who placed it, locked until the transaction ends; empty if none. */
  private Mono<Locked> lock(UUID holdId) {
    return db.sql(
            "SELECT %s, created_by, created_by_ops FROM hold WHERE id = :id FOR UPDATE"
                .formatted(COLUMNS))
        .bind("id", holdId)
        .map(
            row ->
                new Locked(
                    map(row),
                    row.get("created_by", UUID.class),
                    Boolean.TRUE.equals(row.get("created_by_ops", Boolean.class))))
        .one();
  }

  public Mono<Hold> find(UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM hold WHERE id = :id")
        .bind("id", id)
        .map(HoldStore::map)
        .one();
  }

  /** Whether {@code userId} owns either party of the hold. */
  public Mono<Boolean> isParty(UUID holdId, UUID userId) {
    return db.sql(
            """
            SELECT EXISTS (SELECT 1 FROM hold h JOIN account a
                                 ON a.id IN (h.from_account_id, h.to_account_id)
                            WHERE h.id = :id AND a.owner_id = :user) AS party""")
        .bind("id", holdId)
        .bind("user", userId)
        .map(row -> row.get("party", Boolean.class))
        .one();
  }

  /**
   * Holds matching {@code search}, newest first: an account's (as payer or payee), a customer's, by
   * status, time or metadata, as for transfers.
   */
  public Flux<Hold> search(MovementSearch search) {
    if (search.matchesNothing()) {
      return Flux.empty();
    }
    return search
        .statement(
            db,
            COLUMNS,
            "hold",
            "(from_account_id = :account OR to_account_id = :account)",
            "(from_account_id = ANY(:owned::uuid[]) OR to_account_id = ANY(:owned::uuid[]))")
        .map(HoldStore::map)
        .all();
  }

  /**
   * What the account's holds reserved at {@code at}: those placed at or before it and not yet
   * released then.
   */
  public Mono<Long> heldAt(UUID accountId, Instant at) {
    return db.sql(
            """
            SELECT COALESCE(sum(amount), 0)::bigint AS held FROM hold
             WHERE from_account_id = :account AND created_at <= :at
               AND (released_at IS NULL OR released_at > :at)""")
        .bind("account", accountId)
        .bind("at", at)
        .map(row -> row.get("held", Long.class))
        .one();
  }

  /** Money held in one currency. */
  public record CurrencyHeld(String currency, long held) {}

  /** What customer accounts hold now, per currency (the accounts' {@code held}). */
  public Flux<CurrencyHeld> heldByCurrency() {
    return db.sql(
            """
            SELECT currency, sum(held)::bigint AS held FROM account
             WHERE held > 0 GROUP BY currency ORDER BY currency""")
        .map(
            row -> new CurrencyHeld(row.get("currency", String.class), row.get("held", Long.class)))
        .all();
  }

  /** What holds reserved at {@code at}, per currency, from the holds themselves. */
  public Flux<CurrencyHeld> heldByCurrencyAt(Instant at) {
    return db.sql(
            """
            SELECT currency, sum(amount)::bigint AS held FROM hold
             WHERE created_at <= :at AND (released_at IS NULL OR released_at > :at)
             GROUP BY currency ORDER BY currency""")
        .bind("at", at)
        .map(
            row -> new CurrencyHeld(row.get("currency", String.class), row.get("held", Long.class)))
        .all();
  }

  /**
   * Customer accounts whose {@code held} is not the sum of their HELD holds. Always 0 unless a bug
   * moved one without the other; the database already refuses more held than the balance.
   */
  public Mono<Long> countUnreconciledHolds() {
    return db.sql(
            """
            SELECT count(*) AS n FROM account a
             WHERE a.kind = 'CUSTOMER'
               AND a.held <> COALESCE((SELECT sum(h.amount) FROM hold h
                                        WHERE h.from_account_id = a.id AND h.status = 'HELD'), 0)""")
        .map(row -> row.get("n", Long.class))
        .one();
  }

  static Hold map(Readable row) {
    return new Hold(
        row.get("id", UUID.class),
        row.get("from_account_id", UUID.class),
        row.get("to_account_id", UUID.class),
        Money.of(row.get("amount", Long.class), row.get("currency", String.class)),
        row.get("description", String.class),
        MetadataJson.read(row.get("metadata", String.class)),
        HoldStatus.valueOf(row.get("status", String.class)),
        row.get("captured_amount", Long.class),
        row.get("transfer_id", UUID.class),
        Timestamps.instant(row.get("expires_at", Instant.class)),
        Timestamps.instant(row.get("created_at", Instant.class)),
        Timestamps.instant(row.get("updated_at", Instant.class)));
  }
}
