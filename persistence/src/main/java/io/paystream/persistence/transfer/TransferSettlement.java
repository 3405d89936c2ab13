package io.paystream.persistence.transfer;

import io.paystream.domain.AccountStatus;
import io.paystream.domain.Ids;
import io.paystream.domain.Money;
import io.paystream.domain.PostingRules;
import io.paystream.domain.Transfer;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.account.AccountBalances;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.account.SystemAccounts;
import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.outbox.OutboxEvent;
import io.paystream.persistence.outbox.OutboxStore;
import io.paystream.persistence.outbox.Topics;
import io.paystream.persistence.transfer.CreditRecords.Credited;
import io.paystream.persistence.transfer.TransferStore.Settlement;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payee's side of transfers, run by the credit-leg consumer: credits the payee from TRANSIT
 * ({@code COMPLETED}), or refunds the payer when the payee cannot take the money ({@code FAILED}).
 *
 * <p>{@link #settle(List)} settles many pending transfers in one transaction, so that a hot payee
 * receiving every transfer pays for one commit and one wait on its balance row per batch, not per
 * transfer. Per payee it runs ONE conditional credit of the sum; each transfer still gets its own
 * journal (with its own running {@code balance_after}), status and outbox event, so every transfer
 * reads exactly as if it had been settled alone, in the order given.
 *
 * <p>Lock order: the transfers (id order), then the payees (id order), then the payers of refunded
 * transfers. No other path locks more than one account, so only two batches whose refunds cross (a
 * payee of one is a refunded payer of the other, which needs a frozen or closed payee) can
 * deadlock; PostgreSQL then aborts one, and the consumer retries it.
 */
@Repository
public class TransferSettlement {

  private final DatabaseClient db;
  private final AccountStore accounts;
  private final AccountBalances balances;
  private final SystemAccounts systemAccounts;
  private final LedgerStore ledger;
  private final OutboxStore outbox;
  private final CreditRecords credits;
  private final TransactionalOperator transaction;
  private final JsonMapper json;
  private final Clock clock;

  TransferSettlement(
      DatabaseClient db,
      AccountStore accounts,
      AccountBalances balances,
      SystemAccounts systemAccounts,
      LedgerStore ledger,
      OutboxStore outbox,
      CreditRecords credits,
      TransactionalOperator transaction,
      JsonMapper json,
      Clock clock) {
    this.db = db;
    this.accounts = accounts;
    this.balances = balances;
    this.systemAccounts = systemAccounts;
    this.ledger = ledger;
    this.outbox = outbox;
    this.credits = credits;
    this.transaction = transaction;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Settles the transfers in one transaction (joining the caller's, which records its inbox rows in
   * it): one {@link Settlement} per id, in the order given. An id given twice is settled at its
   * first position and {@code ALREADY_SETTLED} at the later ones, as if the same message had been
   * applied twice in a row. Idempotent: a transfer already terminal is left alone. Fails only when
   * the database does; then nothing of the batch is written and the whole batch may be retried.
   */
  public Mono<List<Settlement>> settle(List<UUID> transferIds) {
    if (transferIds.isEmpty()) {
      return Mono.just(List.of());
    }
    Mono<List<Settlement>> flow =
        lock(transferIds)
            .collectMap(Transfer::id)
            .flatMap(
                locked -> {
                  Settlement[] settled = new Settlement[transferIds.size()];
                  List<Transfer> pending = new ArrayList<>();
                  Set<UUID> seen = new HashSet<>();
                  for (int i = 0; i < settled.length; i++) {
                    Transfer transfer = locked.get(transferIds.get(i));
                    if (transfer == null) {
                      settled[i] = Settlement.UNKNOWN_TRANSFER;
                    } else if (!seen.add(transfer.id()) || transfer.status().isTerminal()) {
                      settled[i] = Settlement.ALREADY_SETTLED;
                    } else {
                      pending.add(transfer);
                    }
                  }
                  return creditOrRefund(pending)
                      .map(
                          outcomes -> {
                            for (int i = 0, p = 0; i < settled.length; i++) {
                              if (settled[i] == null) {
                                settled[i] = outcomes.get(pending.get(p++).id());
                              }
                            }
                            return List.of(settled);
                          });
                });
    return transaction.transactional(flow);
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

  /** Credits each payee once for all its transfers, refunds the transfers it could not take. */
  private Mono<Map<UUID, Settlement>> creditOrRefund(List<Transfer> pending) {
    if (pending.isEmpty()) {
      return Mono.just(Map.of());
    }
    Instant now = Timestamps.now(clock);
    Map<UUID, Settlement> outcomes = new HashMap<>();
    Map<UUID, Long> balanceAfter = new HashMap<>();
    // Payees in id order: two batches crediting the same payees take their rows in one order.
    return Flux.fromIterable(creditGroups(pending))
        .concatMap(
            group ->
                balances
                    .credit(group.payee(), Money.of(group.sum(), group.currency()))
                    .doOnNext(
                        balance -> {
                          runningBalances(group, balance, balanceAfter);
                          group
                              .transfers()
                              .forEach(t -> outcomes.put(t.id(), Settlement.COMPLETED));
                        })
                    .switchIfEmpty(
                        Mono.fromRunnable(
                            () ->
                                group
                                    .transfers()
                                    .forEach(t -> outcomes.put(t.id(), Settlement.REFUNDED)))))
        .then(Mono.defer(() -> completed(pending, outcomes, balanceAfter, now)))
        .flatMap(credited -> credits.append(credited, now))
        .then(
            Flux.fromIterable(pending)
                .filter(transfer -> outcomes.get(transfer.id()) == Settlement.REFUNDED)
                .concatMap(this::refund)
                .then())
        .then(Mono.fromSupplier(() -> outcomes));
  }

  /** The transfers one credit UPDATE moves: same payee and currency, in message order. */
  private record CreditGroup(UUID payee, Currency currency, List<Transfer> transfers, long sum) {}

  /**
   * Groups by payee and currency, in payee id order. A group's sum stays a valid amount: should one
   * payee's transfers exceed {@link Money#AMOUNT_MAX} together, they take several UPDATEs.
   */
  private static List<CreditGroup> creditGroups(List<Transfer> pending) {
    Map<String, List<Transfer>> byPayee = new LinkedHashMap<>();
    for (Transfer transfer : pending) {
      byPayee
          .computeIfAbsent(
              transfer.toAccountId() + "/" + transfer.amount().currencyCode(),
              key -> new ArrayList<>())
          .add(transfer);
    }
    List<CreditGroup> groups = new ArrayList<>();
    for (List<Transfer> transfers : byPayee.values()) {
      List<Transfer> chunk = new ArrayList<>();
      long sum = 0;
      for (Transfer transfer : transfers) {
        long amount = transfer.amount().minorUnits();
        if (!chunk.isEmpty() && sum > Money.AMOUNT_MAX - amount) {
          groups.add(group(chunk, sum));
          chunk = new ArrayList<>();
          sum = 0;
        }
        chunk.add(transfer);
        sum += amount;
      }
      groups.add(group(chunk, sum));
    }
    groups.sort(
        Comparator.comparing(CreditGroup::payee)
            .thenComparing(group -> group.currency().getCurrencyCode()));
    return groups;
  }

  private static CreditGroup group(List<Transfer> transfers, long sum) {
    Transfer first = transfers.get(0);
    return new CreditGroup(
        first.toAccountId(), first.amount().currency(), List.copyOf(transfers), sum);
  }

  /**
   * The UPDATE returned the balance after the whole group; each transfer's entry shows the balance
   * right after it, counting back from the last.
   */
  private static void runningBalances(CreditGroup group, long balance, Map<UUID, Long> after) {
    long running = balance;
    List<Transfer> transfers = group.transfers();
    for (int i = transfers.size() - 1; i >= 0; i--) {
      after.put(transfers.get(i).id(), running);
      running = Math.subtractExact(running, transfers.get(i).amount().minorUnits());
    }
    if (running < 0) {
      throw new IllegalStateException(
          "payee " + group.payee() + " had " + running + " before a credit of " + group.sum());
    }
  }

  /** Journals of the credited transfers, in message order across payees. */
  private Mono<List<Credited>> completed(
      List<Transfer> pending,
      Map<UUID, Settlement> outcomes,
      Map<UUID, Long> balanceAfter,
      Instant now) {
    return Flux.fromIterable(pending)
        .filter(transfer -> outcomes.get(transfer.id()) == Settlement.COMPLETED)
        .concatMap(
            transfer ->
                systemAccounts
                    .id(SystemAccounts.Kind.TRANSIT, transfer.amount().currency())
                    .map(
                        transit -> {
                          Transfer done = transfer.complete(now);
                          return new Credited(
                              done,
                              PostingRules.transferCredit(
                                  done.id(), transit, done.toAccountId(), done.amount()),
                              balanceAfter.get(done.id()));
                        }))
        .collectList();
  }

  /**
   * The payee cannot take the money: return it to the payer whatever the payer's status, because it
   * is the payer's money. The reason names the payee's state, not its owner. One transfer at a
   * time, each with its own journal, status and event, as a refund is rare.
   */
  private Mono<Void> refund(Transfer pending) {
    Instant now = Timestamps.now(clock);
    return accounts
        .find(pending.toAccountId())
        .map(
            payee ->
                payee.status() != AccountStatus.ACTIVE
                    ? "recipient account is " + payee.status().name().toLowerCase()
                    : "recipient account cannot take " + pending.amount().currencyCode())
        .defaultIfEmpty("recipient account not found")
        .flatMap(
            reason -> {
              Transfer failed = pending.fail(reason, now);
              return balances
                  .giveBack(failed.fromAccountId(), failed.amount())
                  .switchIfEmpty(
                      Mono.error(
                          () ->
                              new IllegalStateException(
                                  "payer account " + failed.fromAccountId() + " vanished")))
                  .flatMap(
                      payerBalance ->
                          systemAccounts
                              .id(SystemAccounts.Kind.TRANSIT, failed.amount().currency())
                              .flatMap(
                                  transit ->
                                      ledger.append(
                                          PostingRules.transferRefund(
                                              failed.id(),
                                              transit,
                                              failed.fromAccountId(),
                                              failed.amount()),
                                          Map.of(failed.fromAccountId(), payerBalance),
                                          failed.toAccountId(),
                                          failed.description(),
                                          now)))
                  .then(markFailed(failed))
                  .then(publish("transfer.failed", failed, now));
            });
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

  private Mono<Void> publish(String type, Transfer transfer, Instant at) {
    String data = json.writeValueAsString(TransferDocument.of(transfer));
    // Keyed by the payee, as every transfer event (TransferStore.publish).
    return outbox.append(
        Topics.EVENTS,
        new OutboxEvent(Ids.newId(), type, transfer.toAccountId().toString(), at, data));
  }
}
