package io.paystream.api.account;

import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.FieldChecks;
import io.paystream.domain.Account;
import io.paystream.persistence.hold.HoldStore;
import io.paystream.persistence.ledger.LedgerStore;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * An account's balance now, or as of an instant in the past, answered from the ledger's entries
 * (see {@link LedgerStore#balanceAt} for why the entries stamped up to an instant are a prefix of
 * the order the balance moved in).
 */
@RestController
public class BalanceController {

  private final AccountAccess access;
  private final LedgerStore ledger;
  private final HoldStore holds;
  private final Clock clock;

  public BalanceController(AccountAccess access, LedgerStore ledger, HoldStore holds, Clock clock) {
    this.access = access;
    this.ledger = ledger;
    this.holds = holds;
    this.clock = clock;
  }

  /**
   * A balance at one instant.
   *
   * @param at the instant it is the balance of: the one asked for, or when the answer was read
   * @param availableBalance what can be spent: the balance less what holds reserved at that instant
   */
  public record BalanceDocument(
      UUID accountId, String currency, Instant at, long balance, long availableBalance) {

    static BalanceDocument of(Account account, Instant at, long balance, long held) {
      return new BalanceDocument(
          account.id(), account.currency().getCurrencyCode(), at, balance, balance - held);
    }
  }

  @GetMapping("/api/v1/accounts/{id}/balance")
  public Mono<BalanceDocument> balance(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @Parameter(
              description =
                  "RFC 3339 instant with its offset (2026-12-07T08:00:00Z), not in the future: the"
                      + " balance right after the account's last entry at or before it (0 before"
                      + " its first). Without it, the balance now")
          @RequestParam(required = false)
          String at) {
    FieldChecks checks = new FieldChecks();
    Instant asOf = checks.pastInstant("at", at, clock.instant());
    checks.throwIfInvalid();
    Mono<Account> account = access.visible(CurrentUser.of(jwt), id);
    if (asOf == null) {
      return account.map(
          found -> BalanceDocument.of(found, clock.instant(), found.balance(), found.held()));
    }
    return account.flatMap(
        found ->
            ledger
                .balanceAt(found.id(), asOf)
                .zipWith(holds.heldAt(found.id(), asOf))
                .map(t -> BalanceDocument.of(found, asOf, t.getT1(), t.getT2())));
  }
}
