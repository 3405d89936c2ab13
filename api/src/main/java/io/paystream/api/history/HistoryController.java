package io.paystream.api.history;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.paystream.api.account.AccountAccess;
import io.paystream.api.recent.RecentEntriesCache;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.ApiException;
import io.paystream.api.web.Cursors;
import io.paystream.api.web.Cursors.Kind;
import io.paystream.api.web.Cursors.TimeAndId;
import io.paystream.api.web.FieldChecks;
import io.paystream.api.web.Page;
import io.paystream.domain.Metadata;
import io.paystream.persistence.ledger.LedgerEntry;
import io.paystream.persistence.ledger.LedgerStore;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** An account's ledger entries: by month, paged newest first, and the latest few. */
@RestController
public class HistoryController {

  /** The contract's "recent" list length. */
  static final int RECENT_ENTRIES = 20;

  private final AccountAccess access;
  private final LedgerStore ledger;
  private final Clock clock;
  private final RecentEntriesCache recentEntries;
  private final Cursors cursors;

  public HistoryController(
      AccountAccess access,
      LedgerStore ledger,
      Clock clock,
      RecentEntriesCache recentEntries,
      Cursors cursors) {
    this.cursors = cursors;
    this.access = access;
    this.ledger = ledger;
    this.clock = clock;
    this.recentEntries = recentEntries;
  }

  @GetMapping("/api/v1/accounts/{id}/transactions")
  public Mono<Page<LedgerEntry>> transactions(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @RequestParam(required = false) String month,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      @Parameter(description = "with metadataValue: only entries of movements labelled so")
          @RequestParam(required = false)
          String metadataKey,
      @RequestParam(required = false) String metadataValue) {
    FieldChecks checks = new FieldChecks();
    Metadata labelled =
        checks.metadataPair("metadataKey", metadataKey, "metadataValue", metadataValue);
    checks.throwIfInvalid();
    YearMonth period = month(month);
    int size = Page.limit(limit);
    TimeAndId after = cursors.timeAndId(Kind.ENTRIES, cursor);
    Instant from = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant until = period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    return access
        .check(CurrentUser.of(jwt), id)
        .then(
            ledger
                .page(
                    id,
                    from,
                    until,
                    after == null ? null : after.time(),
                    after == null ? null : after.id(),
                    labelled,
                    size + 1)
                .collectList())
        .map(
            entries ->
                Page.of(
                    entries,
                    size,
                    last -> cursors.of(Kind.ENTRIES, new TimeAndId(last.createdAt(), last.id()))));
  }

  @GetMapping("/api/v1/accounts/{id}/transactions/recent")
  @ApiResponse(
      responseCode = "200",
      description = "The latest 20 entries, newest first",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = RecentDocument.class)))
  public Mono<RawItems> recent(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
    return access
        .check(CurrentUser.of(jwt), id)
        // From Redis when warm; PostgreSQL rebuilds a miss and answers when Redis is down.
        .then(Mono.defer(() -> recentEntries.recentJson(id)))
        .map(RawItems::new);
  }

  /** {@code {"items": [...]}} around a JSON array that is already encoded (the cache's). */
  public record RawItems(@JsonRawValue String items) {}

  /** The documented shape of {@link RawItems}. */
  public record RecentDocument(List<LedgerEntry> items) {}

  private YearMonth month(String month) {
    if (month == null) {
      return YearMonth.now(clock.withZone(ZoneOffset.UTC));
    }
    try {
      if (!month.matches("\\d{4}-\\d{2}")) {
        throw new DateTimeParseException("not YYYY-MM", month, 0);
      }
      return YearMonth.parse(month);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("month", "must be a month as YYYY-MM");
    }
  }
}
