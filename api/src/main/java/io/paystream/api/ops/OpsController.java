package io.paystream.api.ops;

import io.paystream.api.ops.LedgerAudit.LedgerCheck;
import io.paystream.api.ops.MovementSearches.Parameters;
import io.paystream.api.ops.OpsOverview.Overview;
import io.paystream.api.web.Cursors;
import io.paystream.api.web.Cursors.Kind;
import io.paystream.api.web.FieldChecks;
import io.paystream.api.web.Page;
import io.paystream.domain.HoldStatus;
import io.paystream.domain.TransferStatus;
import io.paystream.domain.WithdrawalStatus;
import io.paystream.persistence.hold.HoldDocument;
import io.paystream.persistence.hold.HoldStore;
import io.paystream.persistence.ops.MovementSearch;
import io.paystream.persistence.ops.OpsQueries;
import io.paystream.persistence.ops.OpsQueries.Volume;
import io.paystream.persistence.outbox.OutboxStore;
import io.paystream.persistence.transfer.TransferDocument;
import io.paystream.persistence.transfer.TransferStore;
import io.paystream.persistence.withdrawal.WithdrawalDocument;
import io.paystream.persistence.withdrawal.WithdrawalStore;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The operators' view of the whole system (OPS role, enforced by the security chain). */
@RestController
@RequestMapping("/api/v1/ops")
public class OpsController {

  private final OpsQueries queries;
  private final OutboxStore outbox;
  private final TransferStore transfers;
  private final LedgerAudit ledger;
  private final Cursors cursors;
  private final OpsOverview overview;
  private final WithdrawalStore withdrawals;
  private final HoldStore holds;
  private final MovementSearches searches;
  private final Clock clock;

  /** The status names each kind of movement has, in the order of its life. */
  private static final Set<String> TRANSFER_STATUSES = names(TransferStatus.values());

  private static final Set<String> WITHDRAWAL_STATUSES = names(WithdrawalStatus.values());
  private static final Set<String> HOLD_STATUSES = names(HoldStatus.values());

  public OpsController(
      OpsQueries queries,
      OutboxStore outbox,
      TransferStore transfers,
      LedgerAudit ledger,
      Cursors cursors,
      OpsOverview overview,
      WithdrawalStore withdrawals,
      HoldStore holds,
      MovementSearches searches,
      Clock clock) {
    this.clock = clock;
    this.cursors = cursors;
    this.overview = overview;
    this.withdrawals = withdrawals;
    this.holds = holds;
    this.searches = searches;
    this.queries = queries;
    this.outbox = outbox;
    this.transfers = transfers;
    this.ledger = ledger;
  }

  public record Stats(
      long users,
      Map<String, Long> accounts,
      Map<String, Long> transfers,
      List<Volume> volumeByCurrency,
      long outboxBacklog) {}

  @GetMapping("/stats")
  public Mono<Stats> stats() {
    return queries
        .users()
        .zipWith(queries.accountsByStatus())
        .zipWith(queries.transfersByStatus())
        .zipWith(queries.volumeByCurrency())
        .zipWith(outbox.backlog())
        .map(
            t ->
                new Stats(
                    t.getT1().getT1().getT1().getT1(),
                    t.getT1().getT1().getT1().getT2(),
                    t.getT1().getT1().getT2(),
                    t.getT1().getT2(),
                    t.getT2()));
  }

  /** See {@link OpsOverview}: the pipeline now, and as this instance sampled it lately. */
  @GetMapping("/overview")
  public Mono<Overview> overview() {
    return overview.overview();
  }

  /** Transfers newest first; see {@link MovementSearch} for the filters, which combine. */
  @GetMapping("/transfers")
  public Mono<Page<TransferDocument>> transfers(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) UUID accountId,
      @RequestParam(required = false) String email,
      @RequestParam(required = false) UUID id,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String metadataKey,
      @RequestParam(required = false) String metadataValue,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor) {
    int size = Page.limit(limit);
    UUID before = cursors.id(Kind.TRANSFERS, cursor);
    return searches
        .parse(
            new Parameters(
                status,
                accountId,
                email,
                id,
                from,
                to,
                metadataKey,
                metadataValue,
                before,
                size + 1),
            TRANSFER_STATUSES)
        .flatMapMany(transfers::search)
        .map(TransferDocument::of)
        .collectList()
        .map(items -> Page.of(items, size, last -> cursors.of(Kind.TRANSFERS, last.id())));
  }

  /** Withdrawals newest first, filtered as transfers are. */
  @GetMapping("/withdrawals")
  public Mono<Page<WithdrawalDocument>> withdrawals(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) UUID accountId,
      @RequestParam(required = false) String email,
      @RequestParam(required = false) UUID id,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String metadataKey,
      @RequestParam(required = false) String metadataValue,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor) {
    int size = Page.limit(limit);
    UUID before = cursors.id(Kind.WITHDRAWALS, cursor);
    return searches
        .parse(
            new Parameters(
                status,
                accountId,
                email,
                id,
                from,
                to,
                metadataKey,
                metadataValue,
                before,
                size + 1),
            WITHDRAWAL_STATUSES)
        .flatMapMany(withdrawals::search)
        .map(WithdrawalDocument::of)
        .collectList()
        .map(items -> Page.of(items, size, last -> cursors.of(Kind.WITHDRAWALS, last.id())));
  }

  /** Holds newest first, filtered as transfers are (an account matches as payer or payee). */
  @GetMapping("/holds")
  public Mono<Page<HoldDocument>> holds(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) UUID accountId,
      @RequestParam(required = false) String email,
      @RequestParam(required = false) UUID id,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String metadataKey,
      @RequestParam(required = false) String metadataValue,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor) {
    int size = Page.limit(limit);
    UUID before = cursors.id(Kind.HOLDS, cursor);
    return searches
        .parse(
            new Parameters(
                status,
                accountId,
                email,
                id,
                from,
                to,
                metadataKey,
                metadataValue,
                before,
                size + 1),
            HOLD_STATUSES)
        .flatMapMany(holds::search)
        .map(HoldDocument::of)
        .collectList()
        .map(items -> Page.of(items, size, last -> cursors.of(Kind.HOLDS, last.id())));
  }

  /**
   * See {@link LedgerAudit}: the same check that the scheduled probe publishes as a metric, or with
   * {@code at} the check as of that instant.
   */
  @GetMapping("/ledger/check")
  public Mono<LedgerCheck> ledgerCheck(
      @Parameter(
              description =
                  "RFC 3339 instant with its offset, not in the future: check the entries stamped"
                      + " at or before it, and each customer balance as of it")
          @RequestParam(required = false)
          String at) {
    FieldChecks checks = new FieldChecks();
    Instant asOf = checks.pastInstant("at", at, clock.instant());
    checks.throwIfInvalid();
    return asOf == null ? ledger.check() : ledger.checkAt(asOf);
  }

  private static Set<String> names(Enum<?>[] values) {
    Set<String> names = new LinkedHashSet<>();
    for (Enum<?> value : values) {
      names.add(value.name());
    }
    return names;
  }
}
