package io.paystream.api.statement;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.paystream.api.ApiProperties;
import io.paystream.api.account.AccountAccess;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.domain.Account;
import io.paystream.persistence.statement.StatementStore;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Monthly statements: an owner (or OPS) asks for a signed download link; the link itself needs no
 * token until it expires. Another customer's account answers 404, like every account route.
 */
@RestController
public class StatementController {

  private final AccountAccess access;
  private final StatementService statements;
  private final StatementLinks links;
  private final StatementStore store;
  private final StatementProperties limits;

  public StatementController(
      AccountAccess access,
      StatementService statements,
      StatementLinks links,
      StatementStore store,
      ApiProperties properties) {
    this.access = access;
    this.statements = statements;
    this.links = links;
    this.store = store;
    this.limits = properties.statements();
  }

  /** The answer to a link request; {@code final} says whether the month is closed for good. */
  public record StatementLink(
      String month,
      String format,
      String downloadUrl,
      Instant expiresAt,
      @JsonProperty("final") boolean isFinal) {}

  @GetMapping("/api/v1/accounts/{id}/statements/{month}")
  public Mono<StatementLink> link(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @PathVariable("month") String monthText,
      @RequestParam(required = false) String format,
      ServerHttpRequest request) {
    YearMonth month = month(monthText);
    StatementFormat requested = StatementFormat.ofParameter(format);
    return access
        .visible(CurrentUser.of(jwt), id)
        .flatMap(
            account -> {
              requireCovered(account, month, statements.now());
              return statements.prepare(account, month, requested);
            })
        .map(
            isFinal -> {
              Instant expires = statements.now().plusSeconds(limits.linkTtlSeconds());
              StatementLinks.Grant grant =
                  new StatementLinks.Grant(
                      id, month, requested, Instant.ofEpochSecond(expires.getEpochSecond()));
              return new StatementLink(
                  month.toString(),
                  requested.parameter(),
                  downloadUrl(request, grant),
                  grant.expires(),
                  isFinal);
            });
  }

  /** The signed link itself: the stored file, as rendered, without re-rendering. */
  @GetMapping(StatementLinks.PATH)
  @Parameter(name = "account", in = ParameterIn.QUERY, required = true)
  @Parameter(name = "month", in = ParameterIn.QUERY, required = true)
  @Parameter(name = "format", in = ParameterIn.QUERY, required = true)
  @Parameter(
      name = "expires",
      in = ParameterIn.QUERY,
      required = true,
      description = "Unix seconds")
  @Parameter(
      name = "sig",
      in = ParameterIn.QUERY,
      required = true,
      description = "base64url HMAC-SHA256 over the other four")
  @ApiResponse(
      responseCode = "200",
      description = "The statement file",
      content = {@Content(mediaType = "application/pdf"), @Content(mediaType = "text/csv")})
  public Mono<ResponseEntity<byte[]>> download(ServerHttpRequest request) {
    StatementLinks.Grant grant = links.verify(request.getQueryParams(), statements.now());
    return store
        .find(grant.account(), grant.month(), grant.format().name())
        .switchIfEmpty(
            Mono.error(
                () ->
                    new ApiException(
                        ApiError.NOT_FOUND,
                        "the statement is no longer stored; ask for a new link")))
        .map(
            stored ->
                ResponseEntity.ok()
                    .contentType(grant.format().mediaType())
                    .contentLength(stored.content().length)
                    // The link is a bearer credential: keep it out of caches and Referer headers.
                    .cacheControl(CacheControl.noStore())
                    .header("Referrer-Policy", "no-referrer")
                    .eTag(java.util.HexFormat.of().formatHex(stored.sha256()))
                    .header(
                        "Content-Disposition",
                        ContentDisposition.attachment()
                            .filename(
                                "statement-"
                                    + grant.account()
                                    + "-"
                                    + grant.month()
                                    + "."
                                    + grant.format().parameter())
                            .build()
                            .toString())
                    .body(stored.content()));
  }

  private String downloadUrl(ServerHttpRequest request, StatementLinks.Grant grant) {
    UriComponentsBuilder url =
        limits.publicBaseUrl() == null || limits.publicBaseUrl().isBlank()
            ? UriComponentsBuilder.fromUri(request.getURI()).replacePath(null).replaceQuery(null)
            : UriComponentsBuilder.fromUriString(limits.publicBaseUrl());
    url.path(StatementLinks.PATH);
    links.sign(grant).forEach(url::queryParam);
    return url.build().toUriString();
  }

  /**
   * Statements exist from the month the account was opened through the current month: a month
   * before that or in the future is a 400, so no one can fill storage with empty statements.
   */
  private static void requireCovered(Account account, YearMonth month, Instant now) {
    YearMonth opened = YearMonth.from(account.createdAt().atZone(ZoneOffset.UTC));
    YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
    if (month.isBefore(opened)) {
      throw ApiException.invalid(
          "month", "must not be before the account was opened (" + opened + ")");
    }
    if (month.isAfter(current)) {
      throw ApiException.invalid("month", "must not be in the future");
    }
  }

  private static YearMonth month(String text) {
    try {
      if (text == null || !text.matches("\\d{4}-\\d{2}")) {
        throw new DateTimeParseException("not YYYY-MM", String.valueOf(text), 0);
      }
      return YearMonth.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("month", "must be a month as YYYY-MM");
    }
  }
}
