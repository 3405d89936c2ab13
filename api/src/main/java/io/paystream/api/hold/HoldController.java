package io.paystream.api.hold;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.paystream.api.account.AccountAccess;
import io.paystream.api.account.PayeeAccess;
import io.paystream.api.idempotency.IdempotencyService;
import io.paystream.api.money.MoneyPolicy;
import io.paystream.api.money.MoneyRequests;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.Cursors;
import io.paystream.api.web.Cursors.Kind;
import io.paystream.api.web.FieldChecks;
import io.paystream.api.web.Page;
import io.paystream.domain.Hold;
import io.paystream.domain.HoldStatus;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.domain.TransferRequest;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.hold.HoldDocument;
import io.paystream.persistence.hold.HoldStore;
import io.paystream.persistence.hold.HoldStore.Capture;
import io.paystream.persistence.idempotency.StoredResponse;
import io.paystream.persistence.ops.MovementSearch;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Holds (two-phase transfers): money reserved on the payer's account for a payee, then captured
 * into a transfer, voided, or left to expire ({@link HoldExpiry}).
 *
 * <p>Who may: the payer's owner (or OPS) places a hold, as for a transfer. Either party's owner, or
 * OPS, may capture it: the payer authorised up to its amount when placing it. Only the payee's
 * owner or OPS may void it, since a hold is the payee's guarantee; the payer gets 403 and waits for
 * the expiry. Anyone else gets the hold's 404.
 */
@RestController
public class HoldController {

  private final HoldStore holds;
  private final PayeeAccess payees;
  private final AccountAccess access;
  private final IdempotencyService idempotency;
  private final MoneyPolicy policy;
  private final Cursors cursors;
  private final JsonMapper json;
  private final Clock clock;

  HoldController(
      HoldStore holds,
      PayeeAccess payees,
      AccountAccess access,
      IdempotencyService idempotency,
      MoneyPolicy policy,
      Cursors cursors,
      JsonMapper json,
      Clock clock) {
    this.holds = holds;
    this.payees = payees;
    this.access = access;
    this.idempotency = idempotency;
    this.policy = policy;
    this.cursors = cursors;
    this.json = json;
    this.clock = clock;
  }

  /** The body of a new hold; {@code expiresAt} absent means {@link Hold#DURATION_MAX} from now. */
  public record HoldRequest(
      UUID fromAccountId,
      UUID toAccountId,
      Long amount,
      String currency,
      String description,
      String expiresAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> metadata) {

    HoldRequest canonical() {
      return new HoldRequest(
          fromAccountId,
          toAccountId,
          amount,
          currency,
          description,
          expiresAt,
          MoneyRequests.canonical(metadata));
    }
  }

  /**
   * The body of a capture, all optional: {@code amount} absent captures all the hold reserves;
   * {@code description} and {@code metadata} absent give the transfer the hold's.
   */
  public record CaptureRequest(
      Long amount,
      String description,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> metadata) {

    static final CaptureRequest NONE = new CaptureRequest(null, null, null);

    CaptureRequest canonical() {
      return new CaptureRequest(amount, description, MoneyRequests.canonical(metadata));
    }
  }

  /** The body of a void, optional; the reason is kept in the audit trail. */
  public record VoidRequest(String reason) {

    static final VoidRequest NONE = new VoidRequest(null);
  }

  @ApiResponse(
      responseCode = "201",
      description = "The hold, HELD: the payer's available balance is that much lower",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = HoldDocument.class)))
  @PostMapping("/api/v1/holds")
  public Mono<ResponseEntity<byte[]>> place(
      @AuthenticationPrincipal Jwt jwt,
      @RequestHeader(name = IdempotencyService.KEY_HEADER, required = false) String key,
      @RequestBody HoldRequest request) {
    IdempotencyService.requireKey(key);
    Instant now = Timestamps.now(clock);
    FieldChecks checks = new FieldChecks();
    checks.id("fromAccountId", request.fromAccountId());
    checks.id("toAccountId", request.toAccountId());
    Long amount = checks.amount("amount", request.amount());
    Currency currency = checks.currency("currency", request.currency());
    checks.text("description", request.description(), MoneyRequests.TEXT_LENGTH_MAX);
    Instant expiresAt = checks.instant("expiresAt", request.expiresAt());
    if (expiresAt != null
        && (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(Hold.DURATION_MAX)))) {
      checks.fail(
          "expiresAt", "must be in the future and at most " + Hold.DURATION_MAX + " from now");
    }
    Metadata metadata = checks.metadata("metadata", request.metadata());
    checks.throwIfInvalid();
    Money money = MoneyRequests.money(amount, currency);
    CurrentUser user = CurrentUser.of(jwt);
    TransferRequest hold =
        new TransferRequest(
            user.id(),
            user.isOps(),
            request.fromAccountId(),
            request.toAccountId(),
            money,
            request.description(),
            metadata,
            null,
            policy.limits());
    return idempotency.execute(
        user,
        key,
        "POST /api/v1/holds " + json.writeValueAsString(request.canonical()),
        () ->
            holds
                .place(
                    hold,
                    expiresAt != null ? expiresAt : Timestamps.now(clock).plus(Hold.DURATION_MAX))
                .map(placed -> response(201, placed)));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The hold, CAPTURED, naming the PENDING transfer its capture made",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = HoldDocument.class)))
  @PostMapping("/api/v1/holds/{id}/capture")
  public Mono<ResponseEntity<byte[]>> capture(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @RequestHeader(name = IdempotencyService.KEY_HEADER, required = false) String key,
      @RequestBody(required = false) CaptureRequest body) {
    IdempotencyService.requireKey(key);
    CaptureRequest request = body == null ? CaptureRequest.NONE : body;
    FieldChecks checks = new FieldChecks();
    String description =
        checks.text("description", request.description(), MoneyRequests.TEXT_LENGTH_MAX);
    Metadata metadata =
        request.metadata() == null ? null : checks.metadata("metadata", request.metadata());
    checks.throwIfInvalid();
    if (request.amount() != null) {
      Money.refusesAmount(request.amount())
          .ifPresent(
              refusal -> {
                throw refusal.exception();
              });
    }
    CurrentUser user = CurrentUser.of(jwt);
    Capture capture = new Capture(request.amount(), description, metadata);
    return visible(user, id)
        .then(
            idempotency.execute(
                user,
                key,
                "POST /api/v1/holds/"
                    + id
                    + "/capture "
                    + json.writeValueAsString(request.canonical()),
                () ->
                    holds
                        .capture(
                            id,
                            capture,
                            (locked, amount, asked) ->
                                new TransferRequest(
                                    locked.createdBy(),
                                    locked.createdByOps(),
                                    locked.hold().fromAccountId(),
                                    locked.hold().toAccountId(),
                                    Money.of(amount, locked.hold().amount().currency()),
                                    asked.description() != null
                                        ? asked.description()
                                        : locked.hold().description(),
                                    asked.metadata() != null
                                        ? asked.metadata()
                                        : locked.hold().metadata(),
                                    null,
                                    policy.limits()))
                        .switchIfEmpty(Mono.error(HoldController::holdNotFound))
                        .map(captured -> response(200, captured.hold()))));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The hold, VOIDED: what it reserved is available again",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = HoldDocument.class)))
  @PostMapping("/api/v1/holds/{id}/void")
  public Mono<ResponseEntity<byte[]>> voidHold(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @RequestHeader(name = IdempotencyService.KEY_HEADER, required = false) String key,
      @RequestBody(required = false) VoidRequest body) {
    IdempotencyService.requireKey(key);
    VoidRequest request = body == null ? VoidRequest.NONE : body;
    FieldChecks checks = new FieldChecks();
    checks.text("reason", request.reason(), MoneyRequests.TEXT_LENGTH_MAX);
    checks.throwIfInvalid();
    CurrentUser user = CurrentUser.of(jwt);
    return payees
        .require(
            user,
            holds.find(id).map(Hold::toAccountId),
            holds.isParty(id, user.id()),
            HoldController::holdNotFound,
            "only the payee or an operator can void a hold; it ends at its expiry")
        .then(
            idempotency.execute(
                user,
                key,
                "POST /api/v1/holds/" + id + "/void " + json.writeValueAsString(request),
                () ->
                    holds
                        .voidHold(id)
                        .switchIfEmpty(Mono.error(HoldController::holdNotFound))
                        .map(voided -> response(200, voided))));
  }

  @GetMapping("/api/v1/holds/{id}")
  public Mono<HoldDocument> get(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
    CurrentUser user = CurrentUser.of(jwt);
    return holds
        .find(id)
        .filterWhen(hold -> user.isOps() ? Mono.just(true) : holds.isParty(id, user.id()))
        .map(HoldDocument::of)
        .switchIfEmpty(Mono.error(HoldController::holdNotFound));
  }

  /** An account's holds, as payer or payee, newest first: by status, and by one metadata pair. */
  @GetMapping("/api/v1/accounts/{id}/holds")
  public Mono<Page<HoldDocument>> ofAccount(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String metadataKey,
      @RequestParam(required = false) String metadataValue,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor) {
    int size = Page.limit(limit);
    UUID before = cursors.id(Kind.HOLDS, cursor);
    FieldChecks checks = new FieldChecks();
    if (status != null
        && Arrays.stream(HoldStatus.values()).noneMatch(s -> s.name().equals(status))) {
      checks.fail("status", "must be one of HELD, CAPTURED, VOIDED, EXPIRED");
    }
    Metadata metadata =
        checks.metadataPair("metadataKey", metadataKey, "metadataValue", metadataValue);
    checks.throwIfInvalid();
    CurrentUser user = CurrentUser.of(jwt);
    MovementSearch search =
        new MovementSearch(status, id, null, null, null, null, metadata, before, size + 1);
    return access
        .check(user, id)
        .thenMany(holds.search(search))
        .map(HoldDocument::of)
        .collectList()
        .map(items -> Page.of(items, size, last -> cursors.of(Kind.HOLDS, last.id())));
  }

  /** Completes when {@code user} may see (and so capture) the hold; else its 404. */
  private Mono<Void> visible(CurrentUser user, UUID holdId) {
    if (user.isOps()) {
      return Mono.empty();
    }
    return holds
        .isParty(holdId, user.id())
        .flatMap(party -> party ? Mono.<Void>empty() : Mono.error(holdNotFound()));
  }

  private StoredResponse response(int status, Hold hold) {
    return new StoredResponse(
        status, json.writeValueAsString(HoldDocument.of(hold)), "/api/v1/holds/" + hold.id());
  }

  private static RejectedException holdNotFound() {
    return new RejectedException(Rejection.HOLD_NOT_FOUND, "hold not found");
  }
}
