package io.paystream.persistence.withdrawal;

import io.paystream.domain.Account;
import io.paystream.domain.Money;
import io.paystream.domain.MoneyEvent;
import io.paystream.domain.OutgoingHistory;
import io.paystream.domain.PostingRules;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Withdrawal;
import io.paystream.domain.WithdrawalRules;
import io.paystream.domain.WithdrawalStatus;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.account.AccountBalances;
import io.paystream.persistence.account.AccountBalances.Change;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.account.OutgoingPayments;
import io.paystream.persistence.account.SystemAccounts;
import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.metadata.MetadataJson;
import io.paystream.persistence.ops.MovementSearch;
import io.paystream.persistence.outbox.OutboxStore;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every statement that moves money for a withdrawal. Call each inside the transaction of the
 * application service that owns the use case (the api's idempotency service for the accept, the
 * payout leg, the payouts and the recovery sweep for the rest).
 *
 * <ul>
 *   <li>{@link #accept}: conditional debit payer -> PAYOUT, the PENDING withdrawal, its journal and
 *       the internal {@code withdrawal.pending} event that starts the payout leg.
 *   <li>{@link #startProcessing}: PENDING -> PROCESSING with {@code withdrawal.processing},
 *       counting a provider attempt; run just before the provider is called.
 *   <li>{@link #complete} / {@link #fail}: the provider's definitive answer, PAYOUT -> WORLD or
 *       PAYOUT -> payer. Idempotent: a withdrawal already terminal is left alone.
 * </ul>
 */
@Repository
public class WithdrawalStore {

  static final String COLUMNS =
      "id, account_id, amount, currency, destination_masked, metadata::text AS metadata, status,"
          + " failure_reason, external_reference, created_at, updated_at";

  private final DatabaseClient db;
  private final AccountStore accounts;
  private final AccountBalances balances;
  private final OutgoingPayments outgoing;
  private final SystemAccounts systemAccounts;
  private final LedgerStore ledger;
  private final OutboxStore outbox;
  private final Clock clock;

  public WithdrawalStore(
      DatabaseClient db,
      AccountStore accounts,
      AccountBalances balances,
      OutgoingPayments outgoing,
      SystemAccounts systemAccounts,
      LedgerStore ledger,
      OutboxStore outbox,
      Clock clock) {
    this.db = db;
    this.accounts = accounts;
    this.balances = balances;
    this.outgoing = outgoing;
    this.systemAccounts = systemAccounts;
    this.ledger = ledger;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * Debits the payer into PAYOUT and records the PENDING withdrawal. The account is locked, its
   * recent outgoing payments read when a daily or velocity limit applies, and {@link
   * WithdrawalRules} decides; a refusal fails with {@link RejectedException} before any write (not
   * found, over a limit, not ACTIVE, another currency, insufficient funds). Call inside a
   * transaction.
   */
  public Mono<Withdrawal> accept(AcceptWithdrawal request) {
    Money amount = request.amount();
    UUID accountId = request.accountId();
    return accounts
        .lock(List.of(accountId))
        .flatMap(
            found ->
                (found.containsKey(accountId) && request.limits().needsHistory(amount.currency())
                        ? outgoing.of(List.of(accountId)).map(histories -> histories.get(accountId))
                        : Mono.<OutgoingHistory>empty())
                    .map(Optional::of)
                    .defaultIfEmpty(Optional.empty())
                    .map(
                        history ->
                            WithdrawalRules.decide(
                                found.get(accountId),
                                request.requestedBy(),
                                request.asOps(),
                                amount,
                                request.limits(),
                                history.orElse(null))))
        .flatMap(
            decision ->
                decision.refusal() != null
                    ? Mono.error(decision.refusal().exception())
                    : systemAccounts
                        .ensure(amount.currency())
                        .then(
                            balances.debit(
                                List.of(
                                    new Change(
                                        accountId,
                                        amount.minorUnits(),
                                        decision.value().balance()))))
                        .then(record(request, decision.value().balance())));
  }

  private Mono<Withdrawal> record(AcceptWithdrawal request, long payerBalance) {
    Instant now = Timestamps.now(clock);
    Withdrawal withdrawal =
        Withdrawal.accept(
            request.id(),
            request.accountId(),
            request.amount(),
            request.destination(),
            request.metadata(),
            now);
    return systemAccounts
        .id(SystemAccounts.Kind.PAYOUT, request.amount().currency())
        .flatMap(
            payout ->
                db.sql(
                        """
                INSERT INTO withdrawal (id, account_id, amount, currency, destination_ciphertext,
                                        destination_masked, metadata, status, created_by,
                                        created_at, updated_at)
                VALUES (:id, :account, :amount, :currency, :ciphertext, :masked,
                        :metadata::jsonb, 'PENDING', :createdBy, :at, :at)""")
                    .bind("id", withdrawal.id())
                    .bind("account", withdrawal.accountId())
                    .bind("amount", withdrawal.amount().minorUnits())
                    .bind("currency", withdrawal.amount().currencyCode())
                    .bind("ciphertext", ByteBuffer.wrap(request.destinationCiphertext()))
                    .bind("masked", withdrawal.maskedDestination())
                    .bind("metadata", MetadataJson.write(withdrawal.metadata()))
                    .bind("createdBy", request.requestedBy())
                    .bind("at", now)
                    .fetch()
                    .rowsUpdated()
                    .then(
                        ledger.append(
                            PostingRules.withdrawalDebit(
                                withdrawal.id(),
                                withdrawal.accountId(),
                                payout,
                                withdrawal.amount()),
                            Map.of(withdrawal.accountId(), payerBalance),
                            null,
                            description(withdrawal)))
                    .then(publish(withdrawal, now)))
        .thenReturn(withdrawal);
  }

  /** What {@link #startProcessing} found. */
  public record Started(Withdrawal withdrawal, boolean providerMayKnowIt) {}

  /**
   * Moves a PENDING withdrawal to PROCESSING (with {@code withdrawal.processing}), or touches a
   * PROCESSING one, and counts the provider attempt that follows. Empty when the withdrawal is
   * unknown or already terminal: there is nothing left to ask the provider. {@code
   * providerMayKnowIt} is true when an earlier attempt may have reached the provider, so the caller
   * must ask for the payout's state before paying again.
   */
  public Mono<Started> startProcessing(UUID id) {
    Mono<Started> flow =
        lock(id)
            .filter(withdrawal -> !withdrawal.status().isTerminal())
            .flatMap(
                withdrawal -> {
                  Instant now = Timestamps.now(clock);
                  boolean wasPending = withdrawal.status() == WithdrawalStatus.PENDING;
                  Withdrawal processing = wasPending ? withdrawal.processing(now) : withdrawal;
                  return db.sql(
                          """
                  UPDATE withdrawal SET status = 'PROCESSING', attempts = attempts + 1,
                                        updated_at = :at
                   WHERE id = :id AND status IN ('PENDING', 'PROCESSING')
                  RETURNING attempts""")
                      .bind("at", now)
                      .bind("id", id)
                      .map(row -> row.get("attempts", Integer.class))
                      .one()
                      .flatMap(
                          attempts ->
                              (wasPending ? publish(processing, now) : Mono.<Void>empty())
                                  .thenReturn(new Started(processing, attempts > 1)));
                });
    return flow;
  }

  /** What a settling call did. */
  public enum Settlement {
    COMPLETED,
    FAILED,
    ALREADY_SETTLED,
    UNKNOWN_WITHDRAWAL
  }

  /**
   * The provider paid: PAYOUT -> WORLD, COMPLETED with its reference, {@code withdrawal.completed}.
   */
  public Mono<Settlement> complete(UUID id, String externalReference) {
    Mono<Settlement> flow =
        lock(id)
            .flatMap(
                withdrawal -> {
                  if (withdrawal.status().isTerminal()) {
                    return Mono.just(Settlement.ALREADY_SETTLED);
                  }
                  Instant now = Timestamps.now(clock);
                  Withdrawal done = withdrawal.complete(externalReference, now);
                  Money amount = done.amount();
                  return systemAccounts
                      .id(SystemAccounts.Kind.PAYOUT, amount.currency())
                      .zipWith(systemAccounts.id(SystemAccounts.Kind.WORLD, amount.currency()))
                      .flatMap(
                          accountIds ->
                              ledger.append(
                                  PostingRules.withdrawalPayout(
                                      done.id(), accountIds.getT1(), accountIds.getT2(), amount),
                                  Map.of(),
                                  done.accountId(),
                                  description(done)))
                      .then(markTerminal(done))
                      .then(publish(done, now))
                      .thenReturn(Settlement.COMPLETED);
                })
            .defaultIfEmpty(Settlement.UNKNOWN_WITHDRAWAL);
    return flow;
  }

  /**
   * The provider refused for good: PAYOUT -> payer, whatever the payer's status now, because it is
   * the payer's money; FAILED with the reason, {@code withdrawal.failed}.
   */
  public Mono<Settlement> fail(UUID id, String reason) {
    Mono<Settlement> flow =
        lock(id)
            .flatMap(
                withdrawal -> {
                  if (withdrawal.status().isTerminal()) {
                    return Mono.just(Settlement.ALREADY_SETTLED);
                  }
                  Instant now = Timestamps.now(clock);
                  Withdrawal failed = withdrawal.fail(reason, now);
                  Money amount = failed.amount();
                  return accounts
                      .lock(List.of(failed.accountId()))
                      .flatMap(
                          payers -> {
                            Account payer = payers.get(failed.accountId());
                            if (payer == null) {
                              return Mono.<Long>error(
                                  new IllegalStateException(
                                      "payer account " + failed.accountId() + " vanished"));
                            }
                            long balance = payer.giveBack(amount).balance();
                            return balances
                                .giveBack(
                                    List.of(
                                        new Change(
                                            failed.accountId(), amount.minorUnits(), balance)))
                                .thenReturn(balance);
                          })
                      .flatMap(
                          balance ->
                              systemAccounts
                                  .id(SystemAccounts.Kind.PAYOUT, amount.currency())
                                  .flatMap(
                                      payout ->
                                          ledger.append(
                                              PostingRules.withdrawalRefund(
                                                  failed.id(), payout, failed.accountId(), amount),
                                              Map.of(failed.accountId(), balance),
                                              null,
                                              description(failed))))
                      .then(markTerminal(failed))
                      .then(publish(failed, now))
                      .thenReturn(Settlement.FAILED);
                })
            .defaultIfEmpty(Settlement.UNKNOWN_WITHDRAWAL);
    return flow;
  }

  private Mono<Void> markTerminal(Withdrawal withdrawal) {
    return db.sql(
            """
            UPDATE withdrawal SET status = :status, failure_reason = :reason,
                                  external_reference = :reference, updated_at = :at
             WHERE id = :id AND status IN ('PENDING', 'PROCESSING')""")
        .bind("status", withdrawal.status().name())
        .bind("reason", Parameters.in(R2dbcType.VARCHAR, withdrawal.failureReason()))
        .bind("reference", Parameters.in(R2dbcType.VARCHAR, withdrawal.externalReference()))
        .bind("at", withdrawal.updatedAt())
        .bind("id", withdrawal.id())
        .fetch()
        .rowsUpdated()
        .flatMap(
            rows ->
                rows == 1
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new IllegalStateException(
                            "withdrawal "
                                + withdrawal.id()
                                + " was already terminal when settled")));
  }

  /**
   * Withdrawals still in flight whose last touch is older than {@code staleBefore}: their payout
   * leg died, stalled or was deferred by an open circuit breaker. Each is claimed by touching
   * {@code updated_at}, so that another instance's sweep skips it for the same interval; the rows
   * are locked only for this statement.
   */
  public Flux<UUID> claimStale(Instant staleBefore, int limit) {
    return db.sql(
            """
            UPDATE withdrawal SET updated_at = :now
             WHERE id IN (SELECT id FROM withdrawal
                           WHERE status IN ('PENDING', 'PROCESSING') AND updated_at < :staleBefore
                           ORDER BY updated_at LIMIT :limit FOR UPDATE SKIP LOCKED)
            RETURNING id""")
        .bind("now", Timestamps.now(clock))
        .bind("staleBefore", staleBefore)
        .bind("limit", limit)
        .map(row -> row.get("id", UUID.class))
        .all();
  }

  /** The sealed destination of a withdrawal, for the provider call only. */
  public Mono<byte[]> destinationCiphertext(UUID id) {
    return db.sql("SELECT destination_ciphertext FROM withdrawal WHERE id = :id")
        .bind("id", id)
        .map(row -> bytes(row.get("destination_ciphertext")))
        .one();
  }

  private static byte[] bytes(Object value) {
    if (value instanceof ByteBuffer buffer) {
      byte[] copy = new byte[buffer.remaining()];
      buffer.duplicate().get(copy);
      return copy;
    }
    if (value instanceof byte[] array) {
      return array;
    }
    throw new IllegalStateException("unexpected bytea value " + value);
  }

  public Mono<Withdrawal> find(UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM withdrawal WHERE id = :id")
        .bind("id", id)
        .map(WithdrawalStore::map)
        .one();
  }

  /**
   * Withdrawals for operators ({@link MovementSearch}), newest first. Each criterion has an index:
   * the primary key for {@code id} and the order, {@code withdrawal_account_idx} for an account or
   * a customer's accounts, and (V10) {@code withdrawal_status_idx (status, id)} and {@code
   * withdrawal_created_idx} for a status and a time range.
   */
  public Flux<Withdrawal> search(MovementSearch search) {
    if (search.matchesNothing()) {
      return Flux.empty();
    }
    return search
        .statement(
            db, COLUMNS, "withdrawal", "account_id = :account", "account_id = ANY(:owned::uuid[])")
        .map(WithdrawalStore::map)
        .all();
  }

  /** Whether {@code userId} owns the account the withdrawal pays out of. */
  public Mono<Boolean> isOwner(UUID withdrawalId, UUID userId) {
    return db.sql(
            """
            SELECT EXISTS (SELECT 1 FROM withdrawal w JOIN account a ON a.id = w.account_id
                            WHERE w.id = :id AND a.owner_id = :user) AS owner""")
        .bind("id", withdrawalId)
        .bind("user", userId)
        .map(row -> row.get("owner", Boolean.class))
        .one();
  }

  private Mono<Withdrawal> lock(UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM withdrawal WHERE id = :id FOR UPDATE")
        .bind("id", id)
        .map(WithdrawalStore::map)
        .one();
  }

  /**
   * The withdrawal's event as it is now ({@code withdrawal.pending} starts the payout leg), keyed
   * by its account, so one account's events stay in order.
   */
  private Mono<Void> publish(Withdrawal withdrawal, Instant at) {
    return outbox.append(MoneyEvent.of(withdrawal, at));
  }

  private static String description(Withdrawal withdrawal) {
    return "withdrawal to " + withdrawal.maskedDestination();
  }

  static Withdrawal map(Readable row) {
    return new Withdrawal(
        row.get("id", UUID.class),
        row.get("account_id", UUID.class),
        Money.of(row.get("amount", Long.class), row.get("currency", String.class)),
        row.get("destination_masked", String.class),
        MetadataJson.read(row.get("metadata", String.class)),
        WithdrawalStatus.valueOf(row.get("status", String.class)),
        row.get("failure_reason", String.class),
        row.get("external_reference", String.class),
        Timestamps.instant(row.get("created_at", Instant.class)),
        Timestamps.instant(row.get("updated_at", Instant.class)));
  }
}
