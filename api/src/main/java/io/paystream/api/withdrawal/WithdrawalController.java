package io.paystream.api.withdrawal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.paystream.api.idempotency.IdempotencyService;
import io.paystream.api.live.PreferWait;
import io.paystream.api.money.MoneyRequests;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.FieldChecks;
import io.paystream.domain.Iban;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.persistence.withdrawal.WithdrawalDocument;
import io.paystream.persistence.withdrawal.WithdrawalStore;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Currency;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Withdrawals to an IBAN through the payout provider. The POST commits the payer's debit into
 * PAYOUT and answers 202 with the PENDING withdrawal; the payout leg moves it to PROCESSING and
 * then COMPLETED (with the provider's reference) or FAILED (money returned). The answer shows the
 * destination masked; the whole IBAN is stored only encrypted and sent only to the provider.
 */
@RestController
public class WithdrawalController {

  /** The request body, as the contract names its fields. */
  public record WithdrawalRequest(
      UUID accountId,
      Long amount,
      String currency,
      String destination,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> metadata) {

    /** With its metadata in canonical form ({@link MoneyRequests#canonical}). */
    WithdrawalRequest canonical() {
      return new WithdrawalRequest(
          accountId, amount, currency, destination, MoneyRequests.canonical(metadata));
    }
  }

  private final WithdrawalService withdrawals;
  private final WithdrawalStore store;
  private final JsonMapper json;
  private final PreferWait preferWait;

  public WithdrawalController(
      WithdrawalService withdrawals,
      WithdrawalStore store,
      JsonMapper json,
      PreferWait preferWait) {
    this.withdrawals = withdrawals;
    this.store = store;
    this.json = json;
    this.preferWait = preferWait;
  }

  @ApiResponse(
      responseCode = "200",
      description =
          "With Prefer: wait=N, the withdrawal reached a terminal status within N seconds",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = WithdrawalDocument.class)))
  @ApiResponse(
      responseCode = "202",
      description = "Accepted: the debit is committed, the payout completes asynchronously",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = WithdrawalDocument.class)))
  @PostMapping("/api/v1/withdrawals")
  public Mono<ResponseEntity<byte[]>> create(
      @AuthenticationPrincipal Jwt jwt,
      @RequestHeader(name = IdempotencyService.KEY_HEADER, required = false) String key,
      @RequestHeader(name = PreferWait.PREFER, required = false) String prefer,
      @RequestBody WithdrawalRequest request) {
    IdempotencyService.requireKey(key);
    FieldChecks checks = new FieldChecks();
    checks.id("accountId", request.accountId());
    Long amount = checks.amount("amount", request.amount());
    Currency currency = checks.currency("currency", request.currency());
    Iban destination = destination(checks, request.destination());
    Metadata metadata = checks.metadata("metadata", request.metadata());
    checks.throwIfInvalid();
    Money money = MoneyRequests.money(amount, currency);
    CurrentUser user = CurrentUser.of(jwt);
    return withdrawals
        .withdraw(
            user,
            key,
            "POST /api/v1/withdrawals " + json.writeValueAsString(request.canonical()),
            request.accountId(),
            money,
            destination,
            metadata)
        // After the commit: a wait holds neither a connection nor the idempotency lock.
        .flatMap(response -> preferWait.apply(prefer, response));
  }

  private static Iban destination(FieldChecks checks, String text) {
    if (text == null || text.isBlank()) {
      checks.fail("destination", "is required");
      return null;
    }
    try {
      return Iban.parse(text);
    } catch (RejectedException e) {
      checks.fail("destination", "must be an IBAN with a valid checksum");
      return null;
    }
  }

  /** The withdrawal, for the owner of its account or OPS; 404 for anyone else. */
  @GetMapping("/api/v1/withdrawals/{id}")
  public Mono<WithdrawalDocument> get(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
    CurrentUser user = CurrentUser.of(jwt);
    return store
        .find(id)
        .filterWhen(withdrawal -> user.isOps() ? Mono.just(true) : store.isOwner(id, user.id()))
        .map(WithdrawalDocument::of)
        .switchIfEmpty(
            Mono.error(
                () ->
                    new RejectedException(Rejection.WITHDRAWAL_NOT_FOUND, "withdrawal not found")));
  }
}
