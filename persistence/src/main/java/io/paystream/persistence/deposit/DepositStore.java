package io.paystream.persistence.deposit;

import io.paystream.domain.Account;
import io.paystream.domain.Decision;
import io.paystream.domain.Deposit;
import io.paystream.domain.Ids;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.MoneyEvent;
import io.paystream.domain.PostingRules;
import io.paystream.domain.Rejection;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.account.AccountBalances;
import io.paystream.persistence.account.AccountBalances.Change;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.account.SystemAccounts;
import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.metadata.MetadataJson;
import io.paystream.persistence.outbox.OutboxStore;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Simulated funding: money enters a customer account from the currency's WORLD account, with its
 * journal and a {@code deposit.completed} event. The account is locked, {@code Account.credit}
 * decides, and the same credit statement as a transfer's carries it out.
 */
@Repository
public class DepositStore {

  private final DatabaseClient db;
  private final AccountStore accounts;
  private final AccountBalances balances;
  private final SystemAccounts systemAccounts;
  private final LedgerStore ledger;
  private final OutboxStore outbox;
  private final Clock clock;

  public DepositStore(
      DatabaseClient db,
      AccountStore accounts,
      AccountBalances balances,
      SystemAccounts systemAccounts,
      LedgerStore ledger,
      OutboxStore outbox,
      Clock clock) {
    this.db = db;
    this.accounts = accounts;
    this.balances = balances;
    this.systemAccounts = systemAccounts;
    this.ledger = ledger;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * Credits {@code amount} to the account. Refused (with {@code RejectedException}, before any
   * write) when the account is not visible to the caller, not ACTIVE, in another currency, or would
   * hold more than an account may. Call inside a transaction.
   */
  public Mono<DepositDocument> deposit(
      UUID requestedBy,
      boolean asOps,
      UUID accountId,
      Money amount,
      String reference,
      Metadata metadata) {
    return accounts
        .lock(List.of(accountId))
        .flatMap(
            found -> {
              Account account = found.get(accountId);
              Decision<Account> credit =
                  account == null || !account.isMovableBy(requestedBy, asOps)
                      ? Decision.refused(Rejection.ACCOUNT_NOT_FOUND, "account not found")
                      : account.credit(amount);
              return credit.refusal() != null
                  ? Mono.error(credit.refusal().exception())
                  : record(requestedBy, credit.value(), amount, reference, metadata);
            });
  }

  private Mono<DepositDocument> record(
      UUID requestedBy, Account credited, Money amount, String reference, Metadata metadata) {
    Instant now = Timestamps.now(clock);
    UUID accountId = credited.id();
    Deposit deposit = new Deposit(Ids.newId(), accountId, amount, reference, metadata, now);
    return balances
        .credit(List.of(new Change(accountId, amount.minorUnits(), credited.balance())))
        .then(
            db.sql(
                    """
                    INSERT INTO deposit (id, account_id, amount, currency, reference, metadata,
                                         created_by, created_at)
                    VALUES (:id, :account, :amount, :currency, :reference, :metadata::jsonb,
                            :createdBy, :at)""")
                .bind("id", deposit.id())
                .bind("account", accountId)
                .bind("amount", amount.minorUnits())
                .bind("currency", amount.currencyCode())
                .bind("reference", Parameters.in(R2dbcType.VARCHAR, reference))
                .bind("metadata", MetadataJson.write(metadata))
                .bind("createdBy", requestedBy)
                .bind("at", now)
                .fetch()
                .rowsUpdated())
        .then(systemAccounts.id(SystemAccounts.Kind.WORLD, amount.currency()))
        .flatMap(
            world ->
                ledger.append(
                    PostingRules.deposit(deposit.id(), world, accountId, amount),
                    Map.of(accountId, credited.balance()),
                    null,
                    reference))
        .then(outbox.append(MoneyEvent.of(deposit, now)))
        .thenReturn(DepositDocument.of(deposit));
  }
}
