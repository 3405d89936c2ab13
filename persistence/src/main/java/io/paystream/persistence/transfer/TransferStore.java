package io.paystream.persistence.transfer;

import io.paystream.domain.Account;
import io.paystream.domain.Ids;
import io.paystream.domain.Money;
import io.paystream.domain.PostingRules;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.domain.RiskLimit;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferLimits;
import io.paystream.domain.TransferRules;
import io.paystream.domain.TransferStatus;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.account.AccountBalances;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.account.SystemAccounts;
import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.outbox.OutboxEvent;
import io.paystream.persistence.outbox.OutboxStore;
import io.paystream.persistence.outbox.Topics;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every statement that moves money for a transfer. Each public method is one database transaction
 * (joining the caller's, when there is one).
 *
 * <p>{@link #accept} is the payer's side: a conditional debit into TRANSIT, the PENDING transfer,
 * its journal and a {@code transfer.pending} outbox event. {@link #settle} is the payee's side, run
 * by the credit-leg consumer: the credit from TRANSIT, or the refund to the payer; its statements
 * live in {@link TransferSettlement}, which also settles many transfers at once.
 */
@Repository
public class TransferStore {

  static final String COLUMNS =
      "id, from_account_id, to_account_id, amount, currency,"
          + " description, status, failure_reason, created_at, updated_at";

  private final DatabaseClient db;
  private final AccountStore accounts;
  private final AccountBalances balances;
  private final SystemAccounts systemAccounts;
  private final LedgerStore ledger;
  private final OutboxStore outbox;
  private final TransferSettlement settlement;
  private final TransactionalOperator transaction;
  private final JsonMapper json;
  private final Clock clock;

  public TransferStore(
      DatabaseClient db,
      AccountStore accounts,
      AccountBalances balances,
      SystemAccounts systemAccounts,
      LedgerStore ledger,
      OutboxStore outbox,
      TransferSettlement settlement,
      TransactionalOperator transaction,
      JsonMapper json,
      Clock clock) {
    this.db = db;
    this.accounts = accounts;
    this.balances = balances;
    this.systemAccounts = systemAccounts;
    this.ledger = ledger;
    this.outbox = outbox;
    this.settlement = settlement;
    this.transaction = transaction;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Debits the payer and records the PENDING transfer. Fails with {@link RejectedException} when
   * the transfer is refused; a refusal is always decided before anything is written, so the caller
   * may still commit its own writes (the idempotency record of the refusal).
   */
  public Mono<Transfer> accept(AcceptTransfer request) {
    Money amount = request.amount();
    // Both accounts in one round trip; the payer is refused first, as if it did not exist, when
    // the caller may not move its money.
    Mono<Transfer> flow =
        accounts
            .findPair(request.fromAccountId(), request.toAccountId())
            .collectMap(Account::id)
            .flatMap(
                found -> {
                  Account from = found.get(request.fromAccountId());
                  if (from == null || !(request.asOps() || from.isOwnedBy(request.requestedBy()))) {
                    return rejected(Rejection.ACCOUNT_NOT_FOUND, "account not found");
                  }
                  Account to = found.get(request.toAccountId());
                  if (to == null) {
                    return rejected(Rejection.ACCOUNT_NOT_FOUND, "recipient account not found");
                  }
                  var refusal = TransferRules.check(from, to, amount, request.limits());
                  if (refusal.isPresent()) {
                    if (refusal.get() == Rejection.LIMIT_EXCEEDED) {
                      return Mono.error(
                          RiskLimit.PER_TRANSFER_MAX.breach(
                              "the amount is above the per-transfer limit for "
                                  + amount.currencyCode()));
                    }
                    return rejected(refusal.get(), explain(refusal.get(), request));
                  }
                  return checkRiskLimits(request)
                      .then(debit(request))
                      .flatMap(payerBalance -> record(request, payerBalance));
                });
    return transaction.transactional(flow);
  }

  /**
   * The daily and velocity limits need the payer's recent transfers, which are only stable while
   * the payer's row is locked (a concurrent transfer from the same account waits here, then sees
   * this one). Without a configured limit nothing is locked here and the debit alone decides.
   */
  private Mono<Void> checkRiskLimits(AcceptTransfer request) {
    Money amount = request.amount();
    TransferLimits limits = request.limits();
    if (!limits.needsHistory(amount.currency())) {
      return Mono.empty();
    }
    Instant now = clock.instant();
    Instant dayStart = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    Instant windowStart = now.minusSeconds(TransferLimits.VELOCITY_WINDOW_SECONDS);
    return db.sql("SELECT id FROM account WHERE id = :id FOR NO KEY UPDATE")
        .bind("id", request.fromAccountId())
        .fetch()
        .rowsUpdated()
        .then(
            db.sql(
                    """
                SELECT COALESCE(SUM(amount) FILTER (WHERE created_at >= :dayStart
                                                     AND status <> 'FAILED'), 0) AS sent,
                       count(*) FILTER (WHERE created_at >= :windowStart) AS recent
                  FROM transfer
                 WHERE from_account_id = :from AND created_at >= LEAST(:dayStart, :windowStart)""")
                .bind("from", request.fromAccountId())
                .bind("dayStart", dayStart)
                .bind("windowStart", windowStart)
                .map(
                    row ->
                        new long[] {
                          row.get("sent", BigDecimal.class).longValueExact(),
                          row.get("recent", Long.class)
                        })
                .one())
        .flatMap(
            history -> {
              if (limits.dailyBreach(history[0], amount).isPresent()) {
                return Mono.<Void>error(
                    RiskLimit.DAILY_OUTGOING_MAX.breach(
                        "the account's outgoing total today would exceed the daily limit for "
                            + amount.currencyCode()));
              }
              if (limits.velocityBreach(history[1], amount.currency()).isPresent()) {
                return Mono.<Void>error(
                    RiskLimit.VELOCITY_PER_MINUTE.breach(
                        "the account sent too many transfers in the last "
                            + TransferLimits.VELOCITY_WINDOW_SECONDS
                            + " seconds; retry later"));
              }
              return Mono.<Void>empty();
            });
  }

  /**
   * The conditional debit: no read-modify-write, so two concurrent debits cannot both spend the
   * same money. Empty result means a condition failed after the checks above; re-read to say which.
   */
  private Mono<Long> debit(AcceptTransfer request) {
    Money amount = request.amount();
    return balances
        .debit(request.fromAccountId(), amount)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    accounts
                        .find(request.fromAccountId())
                        .flatMap(
                            from -> {
                              Rejection why =
                                  from.refusesDebit(amount).orElse(Rejection.INSUFFICIENT_FUNDS);
                              return rejected(why, explain(why, request));
                            })));
  }

  private Mono<Transfer> record(AcceptTransfer request, long payerBalance) {
    Instant now = Timestamps.now(clock);
    Transfer transfer =
        Transfer.accept(
            request.fromAccountId(),
            request.toAccountId(),
            request.amount(),
            request.description(),
            now);
    return systemAccounts
        .id(SystemAccounts.Kind.TRANSIT, request.amount().currency())
        .flatMap(
            transit ->
                db.sql(
                        """
                INSERT INTO transfer (id, from_account_id, to_account_id, amount, currency,
                                      description, status, failure_reason, created_by,
                                      created_at, updated_at)
                VALUES (:id, :from, :to, :amount, :currency, :description, 'PENDING', NULL,
                        :createdBy, :at, :at)""")
                    .bind("id", transfer.id())
                    .bind("from", transfer.fromAccountId())
                    .bind("to", transfer.toAccountId())
                    .bind("amount", transfer.amount().minorUnits())
                    .bind("currency", transfer.amount().currencyCode())
                    .bind("description", Parameters.in(R2dbcType.VARCHAR, transfer.description()))
                    .bind("createdBy", request.requestedBy())
                    .bind("at", now)
                    .fetch()
                    .rowsUpdated()
                    .then(
                        ledger.append(
                            PostingRules.transferDebit(
                                transfer.id(),
                                transfer.fromAccountId(),
                                transit,
                                transfer.amount()),
                            Map.of(transfer.fromAccountId(), payerBalance),
                            transfer.toAccountId(),
                            transfer.description(),
                            now))
                    .then(publish("transfer.pending", transfer, now)))
        .thenReturn(transfer);
  }

  /** What the credit-leg consumer did with a pending transfer. */
  public enum Settlement {
    COMPLETED,
    REFUNDED,
    ALREADY_SETTLED,
    UNKNOWN_TRANSFER
  }

  /**
   * Applies the credit leg to one transfer: credits the payee if it can take the money (ACTIVE,
   * same currency), otherwise refunds the payer, in one transaction with one outbox event.
   * Idempotent: a transfer already terminal is left alone. The caller records its inbox row in the
   * same transaction. A batch of one of {@link TransferSettlement#settle(List)}.
   */
  public Mono<Settlement> settle(UUID transferId) {
    return settlement.settle(List.of(transferId)).map(settled -> settled.get(0));
  }

  private Mono<Void> publish(String type, Transfer transfer, Instant at) {
    String data = json.writeValueAsString(TransferDocument.of(transfer));
    // Keyed by the payee: the credit leg of every transfer to one account is applied in order.
    return outbox.append(
        Topics.EVENTS,
        new OutboxEvent(Ids.newId(), type, transfer.toAccountId().toString(), at, data));
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
   * A page for operators, newest first (ids are time-ordered), strictly before {@code beforeId}
   * when given, optionally filtered by status and by an account on either side.
   */
  public Flux<Transfer> page(TransferStatus status, UUID accountId, UUID beforeId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM transfer WHERE true");
    if (status != null) {
      sql.append(" AND status = :status");
    }
    if (accountId != null) {
      sql.append(" AND (from_account_id = :account OR to_account_id = :account)");
    }
    if (beforeId != null) {
      sql.append(" AND id < :before");
    }
    sql.append(" ORDER BY id DESC LIMIT :limit");
    var spec = db.sql(sql.toString()).bind("limit", limit);
    if (status != null) {
      spec = spec.bind("status", status.name());
    }
    if (accountId != null) {
      spec = spec.bind("account", accountId);
    }
    if (beforeId != null) {
      spec = spec.bind("before", beforeId);
    }
    return spec.map(TransferStore::map).all();
  }

  static Transfer map(Readable row) {
    return new Transfer(
        row.get("id", UUID.class),
        row.get("from_account_id", UUID.class),
        row.get("to_account_id", UUID.class),
        Money.of(row.get("amount", Long.class), row.get("currency", String.class)),
        row.get("description", String.class),
        TransferStatus.valueOf(row.get("status", String.class)),
        row.get("failure_reason", String.class),
        Timestamps.instant(row.get("created_at", Instant.class)),
        Timestamps.instant(row.get("updated_at", Instant.class)));
  }

  static String explain(Rejection rejection, AcceptTransfer request) {
    return switch (rejection) {
      case SAME_ACCOUNT -> "a transfer needs two different accounts";
      case CURRENCY_MISMATCH -> "both accounts must be in " + request.amount().currencyCode();
      case ACCOUNT_NOT_ACTIVE -> "both accounts must be ACTIVE";
      case LIMIT_EXCEEDED -> "per_transfer_max";
      case INSUFFICIENT_FUNDS -> "the balance does not cover " + request.amount();
      default -> rejection.code();
    };
  }

  private static <T> Mono<T> rejected(Rejection rejection, String detail) {
    return Mono.error(new RejectedException(rejection, detail));
  }
}
