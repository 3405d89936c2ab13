package io.paystream.api.account;

import io.paystream.domain.Account;
import java.time.Instant;
import java.util.UUID;

/**
 * An account as clients see it (CONTRACT.md, Accounts).
 *
 * @param availableBalance what can be spent: the balance less what holds reserve
 */
public record AccountDocument(
    UUID id,
    UUID ownerId,
    String currency,
    long balance,
    long availableBalance,
    String status,
    Instant createdAt) {

  public static AccountDocument of(Account account) {
    return new AccountDocument(
        account.id(),
        account.ownerId(),
        account.currency().getCurrencyCode(),
        account.balance(),
        account.availableBalance(),
        account.status().name(),
        account.createdAt());
  }
}
