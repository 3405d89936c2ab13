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
import java.util.LinkedHashMap;
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

  /**
   * The optional body of freeze, unfreeze and close: why. Kept in the audit event's metadata, so
   * the trail says not only who changed an account but on what grounds.
   */
  public record StatusChangeRequest(String reason) {}

  /**
   * Long enough for a ticket reference and a sentence or two; the audit trail is not a case file.
   */
  static final int REASON_LENGTH_MAX = 500;

  @PostMapping("/{id}/freeze")
  public Mono<AccountDocument> freeze(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @RequestBody(required = false) StatusChangeRequest request) {
    return changeStatus(CurrentUser.of(jwt), id, AccountStatus.FROZEN, reason(request));
  }

  @PostMapping("/{id}/unfreeze")
  public Mono<AccountDocument> unfreeze(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @RequestBody(required = false) StatusChangeRequest request) {
    return changeStatus(CurrentUser.of(jwt), id, AccountStatus.ACTIVE, reason(request));
  }

  @PostMapping("/{id}/close")
  public Mono<AccountDocument> close(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @RequestBody(required = false) StatusChangeRequest request) {
    return changeStatus(CurrentUser.of(jwt), id, AccountStatus.CLOSED, reason(request));
  }

  /** The reason given, or null without a body or without a reason in it; 400 if it is not text. */
  private static String reason(StatusChangeRequest request) {
    if (request == null || request.reason() == null) {
      return null;
    }
    FieldChecks checks = new FieldChecks();
    String reason = checks.requiredText("reason", request.reason(), REASON_LENGTH_MAX);
    checks.throwIfInvalid();
    return reason;
  }

  /**
   * Asking for the status an account already has succeeds and changes nothing. The UPDATE is
   * conditional on the status read, so a concurrent change (or a deposit before a close) makes it
   * miss; then the account is read again and the request decided afresh, a bounded number of times.
   */
  private Mono<AccountDocument> changeStatus(
      CurrentUser user, UUID id, AccountStatus target, String reason) {
    return access
        .visible(user, id)
        .flatMap(account -> decide(user, account, target, reason))
        .repeatWhenEmpty(STATUS_CHANGE_ATTEMPTS_MAX, repeats -> repeats)
        .map(AccountDocument::of);
  }

  /** A status change races only with other changes of the same account: a few tries suffice. */
  static final int STATUS_CHANGE_ATTEMPTS_MAX = 3;

  private Mono<Account> decide(
      CurrentUser user, Account account, AccountStatus target, String reason) {
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
                                            metadata(account, target, reason))
                                        .thenReturn(changed)))));
  }

  private static Map<String, String> metadata(
      Account account, AccountStatus target, String reason) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("accountId", account.id().toString());
    metadata.put("ownerId", String.valueOf(account.ownerId()));
    metadata.put("from", account.status().name());
    metadata.put("to", target.name());
    if (reason != null) {
      metadata.put("reason", reason);
    }
    return metadata;
  }

  private static String auditType(AccountStatus target) {
    return switch (target) {
      case FROZEN -> AuditTrail.ACCOUNT_FROZEN;
      case ACTIVE -> AuditTrail.ACCOUNT_UNFROZEN;
      case CLOSED -> AuditTrail.ACCOUNT_CLOSED;
    };
  }
}
