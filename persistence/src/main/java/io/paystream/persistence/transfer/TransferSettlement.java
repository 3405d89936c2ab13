package io.paystream.persistence.transfer;

import io.paystream.domain.Account;
import io.paystream.domain.CreditBatch;
import io.paystream.domain.CreditBatch.Credit;
import io.paystream.domain.CreditBatch.Decided;
import io.paystream.domain.CreditBatch.Refund;
import io.paystream.domain.MoneyEvent;
import io.paystream.domain.PostingRules;
import io.paystream.domain.Transfer;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.account.AccountBalances;
import io.paystream.persistence.account.AccountBalances.Change;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.account.SystemAccounts;
import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.ledger.LedgerStore.Appended;
import io.paystream.persistence.transfer.CreditRecords.Credited;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The payee's side of transfers, run by the credit-leg consumer: credits the payee from TRANSIT
 * ({@code COMPLETED}), or refunds the payer when the payee cannot take the money ({@code FAILED}).
 * {@link CreditBatch} decides which, on the locked rows; the statements here carry it out.
 *
 * <p>{@link #settle} settles many pending transfers in one transaction, so that a hot payee
 * receiving every transfer pays for one commit and one wait on its balance row per batch, not per
 * transfer: one credit per payee of its transfers' sum, one give-back per refunded payer. Each
 * transfer still gets its own journal (with its own running {@code balance_after}), status and
 * terminal event, so every transfer reads exactly as if it had been settled alone, in the order
 * given.
 *
 * <p>Lock order: the transfers (id order), then the payees (id order), then the payers of refunded
 * transfers (id order). Only two batches whose refunds cross (a payee of one is a refunded payer of
 * the other, which needs a frozen or closed payee) can deadlock; PostgreSQL then aborts one, and
 * the consumer retries it.
 */
@Repository
public class TransferSettlement {

  /** What settling did with one transfer. */
  public enum Settled {
    COMPLETED,
    REFUNDED,
    ALREADY_SETTLED,
    UNKNOWN_TRANSFER
  }

  private final DatabaseClient db;
  private final AccountStore accounts;
  private final AccountBalances balances;
  private final SystemAccounts systemAccounts;
  private final LedgerStore ledger;
  private final CreditRecords credits;
  private final Clock clock;

  TransferSettlement(
      DatabaseClient db,
      AccountStore accounts,
      AccountBalances balances,
      SystemAccounts systemAccounts,
      LedgerStore ledger,
      CreditRecords credits,
      Clock clock) {
    this.db = db;
    this.accounts = accounts;
    this.balances = balances;
    this.systemAccounts = systemAccounts;
    this.ledger = ledger;
    this.credits = credits;
    this.clock = clock;
  }

  /**
   * What {@link #settle} did: one outcome per id given, and the terminal event of every transfer it
   * settled, in the order given.
   */
  public record Settlement(List<Settled> outcomes, List<MoneyEvent> events) {

    public Settlement {
      outcomes = List.copyOf(outcomes);
      events = List.copyOf(events);
    }
  }

  /**
   * Settles the transfers: one {@link Settled} per id, in the order given, and their terminal
   * events. An id given twice is settled at its first position and {@code ALREADY_SETTLED} at the
   * later ones, as if the same message had been applied twice in a row. Idempotent: a transfer
   * already terminal is left alone. Call inside the transaction that records the inbox rows; it
   * fails only when the database does (or a decision did not hold, a bug), and then nothing of the
   * batch may be committed.
   */
  public Mono<Settlement> settle(List<UUID> transferIds) {
    if (transferIds.isEmpty()) {
      return Mono.just(new Settlement(List.of(), List.of()));
    }
    return lock(transferIds)
        .collectMap(Transfer::id)
        .flatMap(
            locked -> {
              Settled[] settled = new Settled[transferIds.size()];
              List<Transfer> pending = new ArrayList<>();
              Set<UUID> seen = new HashSet<>();
              for (int i = 0; i < settled.length; i++) {
                Transfer transfer = locked.get(transferIds.get(i));
                if (transfer == null) {
                  settled[i] = Settled.UNKNOWN_TRANSFER;
                } else if (!seen.add(transfer.id()) || transfer.status().isTerminal()) {
                  settled[i] = Settled.ALREADY_SETTLED;
                } else {
                  pending.add(transfer);
                }
              }
              Instant now = Timestamps.now(clock);
              return creditOrRefund(pending, now)
                  .map(
                      decided -> {
                        List<MoneyEvent> events = new ArrayList<>(decided.size());
                        for (int i = 0, p = 0; i < settled.length; i++) {
                          if (settled[i] == null) {
                            Decided decision = decided.get(p++);
                            settled[i] =
                                decision instanceof Credit ? Settled.COMPLETED : Settled.REFUNDED;
                            events.add(MoneyEvent.of(settledAs(decision, now), now));
                          }
                        }
                        return new Settlement(List.of(settled), events);
                      });
            });
  }

  /**
   * Locks in id order, whoever asks: two settlements (or a settlement and another path that locks
   * transfers) sharing transfers wait for each other instead of deadlocking.
   */
  private Flux<Transfer> lock(List<UUID> transferIds) {
    UUID[] distinct = transferIds.stream().distinct().toArray(UUID[]::new);
    return db.sql(
            "SELECT "
                + TransferStore.COLUMNS
                + " FROM transfer WHERE id = ANY(:ids)"
                + " ORDER BY id FOR UPDATE")
        .bind("ids", distinct)
        .map(TransferStore::map)
        .all();
  }

  /** The transfer as {@code decision} left it: COMPLETED, or FAILED with the refund's reason. */
  private static Transfer settledAs(Decided decision, Instant now) {
    return decision instanceof Refund refund
        ? refund.transfer().fail(refund.reason(), now)
        : ((Credit) decision).transfer().complete(now);
  }

  /** Decides each pending transfer on its locked payee, then writes the credits and refunds. */
  private Mono<List<Decided>> creditOrRefund(List<Transfer> pending, Instant now) {
    if (pending.isEmpty()) {
      return Mono.just(List.of());
    }
    return accounts
        .lock(pending.stream().map(Transfer::toAccountId).toList())
        .map(payees -> CreditBatch.decide(pending, payees))
        .flatMap(decided -> credit(decided, now).then(refund(decided, now)).thenReturn(decided));
  }

  /** One credit per payee, landing on its balance after its last transfer; then the journals. */
  private Mono<Void> credit(List<Decided> decided, Instant now) {
    List<Credit> credited =
        decided.stream().filter(Credit.class::isInstance).map(Credit.class::cast).toList();
    if (credited.isEmpty()) {
      return Mono.empty();
    }
    Map<UUID, long[]> byPayee = new LinkedHashMap<>();
    for (Credit credit : credited) {
      long[] payee =
          byPayee.computeIfAbsent(credit.transfer().toAccountId(), id -> new long[] {0L, 0L});
      payee[0] = Math.addExact(payee[0], credit.transfer().amount().minorUnits());
      payee[1] = credit.payeeBalanceAfter();
    }
    return balances
        .credit(changes(byPayee))
        .then(
            Flux.fromIterable(credited)
                .concatMap(
                    credit ->
                        systemAccounts
                            .id(SystemAccounts.Kind.TRANSIT, credit.transfer().amount().currency())
                            .map(
                                transit -> {
                                  Transfer done = credit.transfer().complete(now);
                                  return new Credited(
                                      done,
                                      PostingRules.transferCredit(
                                          done.id(), transit, done.toAccountId(), done.amount()),
                                      credit.payeeBalanceAfter());
                                }))
                .collectList())
        .flatMap(done -> credits.append(done, now));
  }

  /**
   * The payee cannot take the money: give it back to the payer whatever the payer's status, because
   * it is the payer's money. The payers are locked (after the payees, in id order) and each gets
   * one give-back; each transfer its own journal (TRANSIT -> payer) and FAILED status, in order.
   */
  private Mono<Void> refund(List<Decided> decided, Instant now) {
    List<Refund> refunds =
        decided.stream().filter(Refund.class::isInstance).map(Refund.class::cast).toList();
    if (refunds.isEmpty()) {
      return Mono.empty();
    }
    return accounts
        .lock(refunds.stream().map(refund -> refund.transfer().fromAccountId()).toList())
        .flatMap(
            payers -> {
              Map<UUID, Account> current = new LinkedHashMap<>(payers);
              Map<UUID, long[]> byPayer = new LinkedHashMap<>();
              List<Refunded> refunded = new ArrayList<>();
              for (Refund refund : refunds) {
                Transfer failed = refund.transfer().fail(refund.reason(), now);
                Account payer = current.get(failed.fromAccountId());
                if (payer == null) {
                  return Mono.<Void>error(
                      new IllegalStateException(
                          "payer account " + failed.fromAccountId() + " vanished"));
                }
                Account after = payer.giveBack(failed.amount());
                current.put(after.id(), after);
                long[] total = byPayer.computeIfAbsent(after.id(), id -> new long[] {0L, 0L});
                total[0] = Math.addExact(total[0], failed.amount().minorUnits());
                total[1] = after.balance();
                refunded.add(new Refunded(failed, after.balance()));
              }
              return balances
                  .giveBack(changes(byPayer))
                  .then(journals(refunded))
                  .flatMap(ledger::appendAll)
                  .then(Flux.fromIterable(refunded).concatMap(r -> markFailed(r.failed())).then());
            });
  }

  /** A refunded transfer, FAILED, and its payer's balance right after the give-back. */
  private record Refunded(Transfer failed, long payerBalanceAfter) {}

  private Mono<List<Appended>> journals(List<Refunded> refunded) {
    return Flux.fromIterable(refunded)
        .concatMap(
            r ->
                systemAccounts
                    .id(SystemAccounts.Kind.TRANSIT, r.failed().amount().currency())
                    .map(
                        transit ->
                            new Appended(
                                PostingRules.transferRefund(
                                    r.failed().id(),
                                    transit,
                                    r.failed().fromAccountId(),
                                    r.failed().amount()),
                                Map.of(r.failed().fromAccountId(), r.payerBalanceAfter()),
                                r.failed().toAccountId(),
                                r.failed().description())))
        .collectList();
  }

  private static List<Change> changes(Map<UUID, long[]> totals) {
    return totals.entrySet().stream()
        .map(total -> new Change(total.getKey(), total.getValue()[0], total.getValue()[1]))
        .toList();
  }

  private Mono<Void> markFailed(Transfer transfer) {
    return db.sql(
            """
            UPDATE transfer SET status = :status, failure_reason = :reason, updated_at = :at
             WHERE id = :id AND status = 'PENDING'""")
        .bind("status", transfer.status().name())
        .bind("at", transfer.updatedAt())
        .bind("id", transfer.id())
        .bind("reason", Parameters.in(R2dbcType.VARCHAR, transfer.failureReason()))
        .fetch()
        .rowsUpdated()
        .flatMap(
            rows ->
                rows == 1
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new IllegalStateException(
                            "transfer " + transfer.id() + " was no longer PENDING when settled")));
  }
}
