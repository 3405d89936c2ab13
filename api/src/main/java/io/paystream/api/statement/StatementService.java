package io.paystream.api.statement;

import io.paystream.api.ApiProperties;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.domain.Account;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.statement.StatementStore;
import io.paystream.persistence.statement.StoredStatement;
import io.paystream.persistence.user.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Makes sure the statement a link points at is stored: a final month is rendered once and kept, the
 * current month is rendered again when its stored copy is older than the short cache. Downloads
 * then serve the stored bytes.
 */
@Component
public class StatementService {

  private final AccountStore accounts;
  private final UserStore users;
  private final StatementStore store;
  private final StatementRendering rendering;
  private final StatementProperties limits;
  private final Clock clock;

  public StatementService(
      AccountStore accounts,
      UserStore users,
      StatementStore store,
      StatementRendering rendering,
      ApiProperties properties,
      Clock clock) {
    this.accounts = accounts;
    this.users = users;
    this.store = store;
    this.rendering = rendering;
    this.limits = properties.statements();
    this.clock = clock;
  }

  /** A month is final once it has ended and settled (see {@code settleSeconds}). */
  boolean isFinal(YearMonth month, Instant now) {
    return !now.isBefore(
        StatementStore.start(month.plusMonths(1)).plusSeconds(limits.settleSeconds()));
  }

  /** The latest month that is final at {@code now}: the one the monthly job renders. */
  YearMonth latestFinalMonth(Instant now) {
    return YearMonth.from(now.minusSeconds(limits.settleSeconds()).atZone(ZoneOffset.UTC))
        .minusMonths(1);
  }

  Instant now() {
    return Timestamps.now(clock);
  }

  /**
   * Stores the statement unless a usable copy is there; emits whether the stored one is final.
   * Fails with 422 {@code statement_too_large} past {@code entriesMax} entries.
   */
  Mono<Boolean> prepare(Account account, YearMonth month, StatementFormat format) {
    Instant now = now();
    boolean isFinal = isFinal(month, now);
    Instant freshAfter = now.minusSeconds(limits.currentMonthCacheSeconds());
    return store
        .status(account.id(), month, format.name())
        .filter(stored -> stored.isFinal() || (!isFinal && stored.renderedAt().isAfter(freshAfter)))
        .map(StatementStore.Status::isFinal)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    renderAndStore(account, month, isFinal, List.of(format), now)
                        .thenReturn(isFinal)));
  }

  /**
   * The monthly job's step for one account: renders and stores every format of {@code month} that
   * has no final statement yet. Emits how many were stored by this call (0 when another run got
   * there first). Safe to repeat.
   */
  Mono<Long> renderFinal(UUID accountId, YearMonth month) {
    Instant now = now();
    if (!isFinal(month, now)) {
      throw new IllegalStateException(month + " is not final yet at " + now);
    }
    return accounts
        .find(accountId)
        .flatMap(
            account ->
                Flux.fromArray(StatementFormat.values())
                    .filterWhen(
                        format ->
                            store
                                .status(accountId, month, format.name())
                                .map(StatementStore.Status::isFinal)
                                .defaultIfEmpty(false)
                                .map(done -> !done))
                    .collectList()
                    .flatMap(
                        missing ->
                            missing.isEmpty()
                                ? Mono.just(0L)
                                : renderAndStore(account, month, true, missing, now)))
        .defaultIfEmpty(0L);
  }

  private Mono<Long> renderAndStore(
      Account account,
      YearMonth month,
      boolean isFinal,
      List<StatementFormat> formats,
      Instant now) {
    return Mono.zip(
            users.find(account.ownerId()),
            store.balanceBefore(account.id(), month),
            store.entriesOf(account.id(), month, limits.entriesMax() + 1).collectList())
        .map(
            read -> {
              if (read.getT3().size() > limits.entriesMax()) {
                throw new ApiException(
                    ApiError.STATEMENT_TOO_LARGE,
                    "this month has more than "
                        + limits.entriesMax()
                        + " entries; read them with the transactions endpoint");
              }
              return Statement.of(
                  account,
                  read.getT1().name(),
                  read.getT1().email(),
                  month,
                  isFinal,
                  now,
                  read.getT2(),
                  read.getT3());
            })
        .flatMapMany(
            statement ->
                Flux.fromIterable(formats)
                    .concatMap(
                        format ->
                            rendering
                                .render(statement, format)
                                .flatMap(
                                    rendered ->
                                        store.save(
                                            new StoredStatement(
                                                account.id(),
                                                month,
                                                format.name(),
                                                rendered.content(),
                                                rendered.sha256(),
                                                now,
                                                isFinal)))))
        .filter(stored -> stored)
        .count();
  }
}
