package io.paystream.api.account;

import io.paystream.api.audit.AuditTrail;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.FieldChecks;
import io.paystream.api.web.Items;
import io.paystream.api.web.RunToCompletion;
import io.paystream.domain.Account;
import io.paystream.domain.Account.Actor;
import io.paystream.domain.AccountStatus;
import io.paystream.persistence.account.AccountStore;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.Currency;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Opening, reading and changing the status of accounts. */
@RestController
@RequestMapping("/api/v1/accounts")
public class AccountController {

  private final AccountStore accounts;
  private final AccountAccess access;
  private final AuditTrail audit;
  private final TransactionalOperator transaction;

  public AccountController(
      AccountStore accounts,
      AccountAccess access,
      AuditTrail audit,
      TransactionalOperator transaction) {
    this.accounts = accounts;
    this.access = access;
    this.audit = audit;
    this.transaction = transaction;
  }

  public record OpenAccount(String currency) {}

  @ApiResponse(
      responseCode = "201",
      description = "The new account, ACTIVE with balance 0",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = AccountDocument.class)))
  @PostMapping
  public Mono<ResponseEntity<AccountDocument>> open(
      @AuthenticationPrincipal Jwt jwt, @RequestBody OpenAccount request) {
    FieldChecks checks = new FieldChecks();
    Currency currency = checks.currency("currency", request.currency());
    checks.throwIfInvalid();
    return accounts
        .open(CurrentUser.of(jwt).id(), currency)
        .map(
            account ->
                ResponseEntity.created(URI.create("/api/v1/accounts/" + account.id()))
                    .body(AccountDocument.of(account)));
  }

  @GetMapping
  public Mono<Items<AccountDocument>> list(@AuthenticationPrincipal Jwt jwt) {
    return accounts
        .findByOwner(CurrentUser.of(jwt).id())
        .map(AccountDocument::of)
        .collectList()
        .map(Items::new);
  }

  @GetMapping("/{id}")
  public Mono<AccountDocument> get(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
    return access.visible(CurrentUser.of(jwt), id).map(AccountDocument::of);
  }

  @PostMapping("/{id}/freeze")
  public Mono<AccountDocument> freeze(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
    return changeStatus(CurrentUser.of(jwt), id, AccountStatus.FROZEN);
  }

  @PostMapping("/{id}/unfreeze")
  public Mono<AccountDocument> unfreeze(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
    return changeStatus(CurrentUser.of(jwt), id, AccountStatus.ACTIVE);
  }

  @PostMapping("/{id}/close")
  public Mono<AccountDocument> close(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
    return changeStatus(CurrentUser.of(jwt), id, AccountStatus.CLOSED);
  }

  /**
   * Asking for the status an account already has succeeds and changes nothing. The UPDATE is
   * conditional on the status read, so a concurrent change (or a deposit before a close) makes it
   * miss; then the account is read again and the request decided afresh, a bounded number of times.
   */
  private Mono<AccountDocument> changeStatus(CurrentUser user, UUID id, AccountStatus target) {
    return access
        .visible(user, id)
        .flatMap(account -> decide(user, account, target))
        .repeatWhenEmpty(STATUS_CHANGE_ATTEMPTS_MAX, repeats -> repeats)
        .map(AccountDocument::of);
  }

  /** A status change races only with other changes of the same account: a few tries suffice. */
  static final int STATUS_CHANGE_ATTEMPTS_MAX = 3;

  private Mono<Account> decide(CurrentUser user, Account account, AccountStatus target) {
    if (account.status() == target) {
      return Mono.just(account);
    }
    return account
        .refusesStatus(target, user.isOps() ? Actor.OPERATOR : Actor.OWNER)
        .<Mono<Account>>map(refusal -> Mono.error(refusal.exception()))
        .orElseGet(
            () ->
                RunToCompletion.of(
                    transaction.transactional(
                        accounts
                            .changeStatus(account.id(), account.status(), target)
                            .flatMap(
                                changed ->
                                    audit
                                        .record(
                                            auditType(target),
                                            user.id(),
                                            Map.of(
                                                "accountId", account.id().toString(),
                                                "ownerId", String.valueOf(account.ownerId()),
                                                "from", account.status().name(),
                                                "to", target.name()))
                                        .thenReturn(changed)))));
  }

  private static String auditType(AccountStatus target) {
    return switch (target) {
      case FROZEN -> AuditTrail.ACCOUNT_FROZEN;
      case ACTIVE -> AuditTrail.ACCOUNT_UNFROZEN;
      case CLOSED -> AuditTrail.ACCOUNT_CLOSED;
    };
  }
}
