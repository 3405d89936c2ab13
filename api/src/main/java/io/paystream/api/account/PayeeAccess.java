package io.paystream.api.account;

import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.domain.RejectedException;
import io.paystream.persistence.account.AccountStore;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Who may act for the payee of a movement (refund a transfer, void a hold): an operator, or the
 * owner of the payee's account. The other party (the payer) sees the movement but is refused with
 * 403; anyone else gets the movement's 404, as for one they cannot see.
 */
@Component
public class PayeeAccess {

  private final AccountStore accounts;

  public PayeeAccess(AccountStore accounts) {
    this.accounts = accounts;
  }

  /**
   * Completes when {@code user} may act for the payee.
   *
   * @param payeeAccount the movement's payee account; empty when there is no such movement
   * @param isParty whether {@code user} owns either party's account, asked only when the user is
   *     not the payee's owner
   * @param notFound the movement's 404
   * @param forbidden what the 403 says to the payer
   */
  public Mono<Void> require(
      CurrentUser user,
      Mono<UUID> payeeAccount,
      Mono<Boolean> isParty,
      Supplier<RejectedException> notFound,
      String forbidden) {
    if (user.isOps()) {
      return Mono.empty();
    }
    return payeeAccount
        .switchIfEmpty(Mono.error(notFound))
        .flatMap(
            payee -> accounts.find(payee).filter(found -> found.isOwnedBy(user.id())).hasElement())
        .flatMap(
            owner ->
                owner
                    ? Mono.<Void>empty()
                    : isParty.flatMap(
                        party ->
                            Mono.error(
                                party
                                    ? new ApiException(ApiError.FORBIDDEN, forbidden)
                                    : notFound.get())));
  }
}
