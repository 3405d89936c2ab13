package io.paystream.api.account;

import io.paystream.api.audit.EmailMask;
import io.paystream.api.auth.EmailAddresses;
import io.paystream.api.web.Cursors;
import io.paystream.api.web.Cursors.Kind;
import io.paystream.api.web.FieldChecks;
import io.paystream.api.web.Page;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.persistence.account.AccountOwners;
import io.paystream.persistence.account.AccountOwners.AccountWithOwner;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Customer accounts looked up by operators (OPS role, enforced by the security chain on
 * /api/v1/ops/**), each with its owner. The owner's e-mail is masked ({@link EmailMask}): enough
 * for an operator on the phone to confirm whom they are looking at, not a list of addresses.
 */
@RestController
public class OpsAccountController {

  private final AccountOwners owners;
  private final Cursors cursors;

  public OpsAccountController(AccountOwners owners, Cursors cursors) {
    this.owners = owners;
    this.cursors = cursors;
  }

  /** Who owns an account; {@code email} is masked. */
  public record Owner(UUID userId, String email, String name) {}

  public record AccountWithOwnerDocument(AccountDocument account, Owner owner) {

    static AccountWithOwnerDocument of(AccountWithOwner found) {
      return new AccountWithOwnerDocument(
          AccountDocument.of(found.account()),
          new Owner(
              found.account().ownerId(), EmailMask.mask(found.ownerEmail()), found.ownerName()));
    }
  }

  /** Customer accounts newest first; with {@code email}, only that customer's (exact address). */
  @GetMapping("/api/v1/ops/accounts")
  public Mono<Page<AccountWithOwnerDocument>> accounts(
      @RequestParam(required = false) String email,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor) {
    int size = Page.limit(limit);
    String normalised = null;
    if (email != null) {
      FieldChecks checks = new FieldChecks();
      normalised = EmailAddresses.normalise(checks, "email", email);
      checks.throwIfInvalid();
    }
    UUID before = cursors.id(Kind.ACCOUNTS, cursor);
    return owners
        .page(normalised, before, size + 1)
        .map(AccountWithOwnerDocument::of)
        .collectList()
        .map(items -> Page.of(items, size, last -> cursors.of(Kind.ACCOUNTS, last.account().id())));
  }

  @GetMapping("/api/v1/ops/accounts/{id}")
  public Mono<AccountWithOwnerDocument> account(@PathVariable UUID id) {
    return owners
        .find(id)
        .map(AccountWithOwnerDocument::of)
        .switchIfEmpty(
            Mono.error(
                () -> new RejectedException(Rejection.ACCOUNT_NOT_FOUND, "account not found")));
  }
}
