package io.paystream.messaging.credit;

import io.paystream.domain.Account;
import io.paystream.domain.Ids;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferLimits;
import io.paystream.domain.TransferRequest;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.transfer.TransferStore;
import io.paystream.persistence.user.UserRecord;
import io.paystream.persistence.user.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Accounts and pending transfers made through the real stores, and reads of what the credit leg
 * wrote. Setup and reads block: they run on the JUnit thread, never on an event loop.
 */
final class CreditFixtures {

  static final Currency EUR = Currency.getInstance("EUR");
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final UserStore users;
  private final AccountStore accounts;
  private final DepositStore deposits;
  private final TransferStore transfers;
  private final DatabaseClient db;
  private final TransactionalOperator transaction;
  private final UUID owner = Ids.newId();

  CreditFixtures(
      UserStore users,
      AccountStore accounts,
      DepositStore deposits,
      TransferStore transfers,
      DatabaseClient db) {
    this.users = users;
    this.accounts = accounts;
    this.deposits = deposits;
    this.transfers = transfers;
    this.db = db;
    // Each store call in its own transaction, as the application services run them.
    this.transaction =
        TransactionalOperator.create(new R2dbcTransactionManager(db.getConnectionFactory()));
    users
        .insert(
            new UserRecord(
                owner, owner + "@example.com", "Owner", "x", List.of("CUSTOMER"), Instant.now()))
        .block(PATIENCE);
  }

  UUID account(long funding) {
    Account account = accounts.open(owner, EUR).block(PATIENCE);
    if (funding > 0) {
      deposits
          .deposit(owner, false, account.id(), Money.of(funding, EUR), "funding", Metadata.NONE)
          .as(transaction::transactional)
          .block(PATIENCE);
    }
    return account.id();
  }

  Transfer transfer(UUID from, UUID to, long amount) {
    return transfers
        .accept(
            new TransferRequest(
                owner,
                false,
                from,
                to,
                Money.of(amount, EUR),
                "batch " + amount,
                Metadata.NONE,
                null,
                TransferLimits.none()))
        .as(transaction::transactional)
        .block(PATIENCE);
  }

  /** The {@code transfer.pending} outbox row the accept wrote, exactly as the relay sends it. */
  String pendingMessage(Transfer pending) {
    return db.sql(
            "SELECT payload FROM outbox WHERE event_type = 'transfer.pending'"
                + " AND payload LIKE :transfer")
        .bind("transfer", "%" + pending.id() + "%")
        .map(row -> row.get("payload", String.class))
        .one()
        .block(PATIENCE);
  }

  long balance(UUID account) {
    return accounts.find(account).block(PATIENCE).balance();
  }

  Transfer find(UUID transfer) {
    return transfers.find(transfer).block(PATIENCE);
  }

  /** An account's entries in the order they were written: movement and balance after. */
  List<EntryRow> entries(UUID account) {
    return db.sql(
            "SELECT movement_id, direction, amount, balance_after FROM entry"
                + " WHERE account_id = :account ORDER BY seq")
        .bind("account", account)
        .map(
            row ->
                new EntryRow(
                    row.get("movement_id", UUID.class),
                    row.get("direction", String.class),
                    row.get("amount", Long.class),
                    row.get("balance_after", Long.class)))
        .all()
        .collectList()
        .block(PATIENCE);
  }

  record EntryRow(UUID transferId, String direction, long amount, Long balanceAfter) {}

  /**
   * The transfer ids of the sequenced events of this type on {@code account}'s stream, in stream
   * order: the credit leg's pass writes a transfer's terminal event straight into the event log.
   */
  List<UUID> events(String type, UUID account) {
    return db.sql(
            "SELECT resource_id FROM event_log WHERE event_type = :type"
                + " AND (account_id = :account OR other_account_id = :account) ORDER BY seq")
        .bind("type", type)
        .bind("account", account)
        .map(row -> row.get("resource_id", UUID.class))
        .all()
        .collectList()
        .block(PATIENCE);
  }
}
