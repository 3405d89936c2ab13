package io.paystream.api.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.paystream.api.security.CurrentUser;
import io.paystream.domain.Account;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.persistence.account.AccountStore;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Who may see an account: its owner, or OPS. Anyone else gets the same 404 as for an id that does
 * not exist, so that account ids cannot be probed.
 *
 * <p>{@link #visible} reads the account (its balance and status are needed). {@link #check} only
 * decides, from memory for a known account: an account's owner is fixed when it is opened and an
 * account is never deleted, so a remembered owner cannot go stale.
 */
@Component
public class AccountAccess {

  private final AccountStore accounts;
  private final Cache<UUID, UUID> owners = Caffeine.newBuilder().maximumSize(500_000).build();

  public AccountAccess(AccountStore accounts) {
    this.accounts = accounts;
  }

  public Mono<Account> visible(CurrentUser user, UUID accountId) {
    return accounts
        .find(accountId)
        .doOnNext(account -> owners.put(account.id(), account.ownerId()))
        .filter(account -> user.isOps() || account.isOwnedBy(user.id()))
        .switchIfEmpty(Mono.error(AccountAccess::notFound));
  }

  /** Completes when {@code user} may see the account, else fails as {@link #visible} does. */
  public Mono<Void> check(CurrentUser user, UUID accountId) {
    UUID owner = owners.getIfPresent(accountId);
    if (owner != null) {
      return user.isOps() || owner.equals(user.id()) ? Mono.empty() : Mono.error(notFound());
    }
    return visible(user, accountId).then();
  }

  private static RejectedException notFound() {
    return new RejectedException(Rejection.ACCOUNT_NOT_FOUND, "account not found");
  }
}
