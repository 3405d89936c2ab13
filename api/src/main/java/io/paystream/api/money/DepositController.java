package io.paystream.api.money;

import io.paystream.api.idempotency.IdempotencyService;
import io.paystream.api.money.MoneyRequests.DepositRequest;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.FieldChecks;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.persistence.deposit.DepositDocument;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Currency;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Simulated funding of an account (owner or OPS), idempotent by key. */
@RestController
public class DepositController {

  private final DepositService deposits;
  private final JsonMapper json;

  public DepositController(DepositService deposits, JsonMapper json) {
    this.deposits = deposits;
    this.json = json;
  }

  @ApiResponse(
      responseCode = "201",
      description = "The deposit, COMPLETED",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = DepositDocument.class)))
  @PostMapping("/api/v1/deposits")
  public Mono<ResponseEntity<byte[]>> deposit(
      @AuthenticationPrincipal Jwt jwt,
      @RequestHeader(name = IdempotencyService.KEY_HEADER, required = false) String key,
      @RequestBody DepositRequest request) {
    IdempotencyService.requireKey(key);
    FieldChecks checks = new FieldChecks();
    checks.id("accountId", request.accountId());
    Long amount = checks.amount("amount", request.amount());
    Currency currency = checks.currency("currency", request.currency());
    checks.text("reference", request.reference(), MoneyRequests.TEXT_LENGTH_MAX);
    Metadata metadata = checks.metadata("metadata", request.metadata());
    checks.throwIfInvalid();
    Money money = MoneyRequests.money(amount, currency);
    return deposits.deposit(
        CurrentUser.of(jwt),
        key,
        "POST /api/v1/deposits " + json.writeValueAsString(request.canonical()),
        request.accountId(),
        money,
        request.reference(),
        metadata);
  }
}
