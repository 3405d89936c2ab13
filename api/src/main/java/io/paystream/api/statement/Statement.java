package io.paystream.api.statement;

import io.paystream.domain.Account;
import io.paystream.domain.Direction;
import io.paystream.persistence.ledger.LedgerEntry;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/**
 * What a statement says, whatever its format: one account's month, from the opening balance through
 * every entry to the closing balance. Built only by {@link #of}, which proves that the entries
 * chain: each entry's {@code balanceAfter} is the one before it plus or minus its amount, and the
 * closing balance is the opening one plus credits minus debits.
 */
public record Statement(
    UUID accountId,
    String ownerName,
    String ownerEmail,
    Currency currency,
    YearMonth month,
    boolean isFinal,
    Instant renderedAt,
    long openingBalance,
    List<LedgerEntry> entries,
    long debits,
    long credits,
    long closingBalance) {

  public Statement {
    entries = List.copyOf(entries);
  }

  /**
   * @param balanceBefore the balance after the last entry before the month (0 if none)
   * @param entries the month's entries in balance order (see the store)
   */
  static Statement of(
      Account account,
      String ownerName,
      String ownerEmail,
      YearMonth month,
      boolean isFinal,
      Instant renderedAt,
      long balanceBefore,
      List<LedgerEntry> entries) {
    // Opening from the first entry's own chain link, not only from the last entry before the
    // month: the two differ only if transfers raced across midnight, and this way the month's
    // chain is checked from its first link.
    long opening =
        entries.isEmpty()
            ? balanceBefore
            : Math.subtractExact(
                balanceAfterOf(entries.get(0)),
                entries.get(0).direction().signed(entries.get(0).amount()));
    long running = opening;
    long debits = 0;
    long credits = 0;
    for (LedgerEntry entry : entries) {
      if (!entry.accountId().equals(account.id())
          || !entry.currency().equals(account.currency().getCurrencyCode())) {
        throw new IllegalStateException(
            "entry "
                + entry.id()
                + " is not of account "
                + account.id()
                + " in "
                + account.currency());
      }
      running = Math.addExact(running, entry.direction().signed(entry.amount()));
      if (running != balanceAfterOf(entry)) {
        throw new IllegalStateException(
            "the balance chain of account "
                + account.id()
                + " breaks at entry "
                + entry.id()
                + ": "
                + running
                + " != "
                + entry.balanceAfter());
      }
      if (entry.direction() == Direction.DEBIT) {
        debits = Math.addExact(debits, entry.amount());
      } else {
        credits = Math.addExact(credits, entry.amount());
      }
    }
    if (Math.subtractExact(Math.addExact(opening, credits), debits) != running) {
      throw new IllegalStateException("totals do not reconcile for account " + account.id());
    }
    return new Statement(
        account.id(),
        ownerName,
        ownerEmail,
        account.currency(),
        month,
        isFinal,
        renderedAt,
        opening,
        entries,
        debits,
        credits,
        running);
  }

  private static long balanceAfterOf(LedgerEntry entry) {
    if (entry.balanceAfter() == null) {
      throw new IllegalStateException("customer entry " + entry.id() + " has no balance after");
    }
    return entry.balanceAfter();
  }

  /** The currency's exponent (EUR 2, JPY 0, KWD 3): how amounts are written for people. */
  int scale() {
    return currency.getDefaultFractionDigits();
  }
}
