package io.paystream.api.account;

import io.paystream.api.security.CurrentUser;
import io.paystream.domain.Account;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.persistence.account.AccountStore;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Who may see an account: its owner, or OPS. Anyone else gets the same 404 as for an id that
 * does not exist, so that account ids cannot be probed.
 */
@Component
public class AccountAccess {

  private final AccountStore accounts;

  public AccountAccess(AccountStore accounts) {
    this.accounts = accounts;
  }

  public Mono<Account> visible(CurrentUser user, UUID accountId) {
    return accounts.find(accountId)
        .filter(account -> user.isOps() || account.isOwnedBy(user.id()))
        .switchIfEmpty(Mono.error(() ->
            new RejectedException(Rejection.ACCOUNT_NOT_FOUND, "account not found")));
  }
}
