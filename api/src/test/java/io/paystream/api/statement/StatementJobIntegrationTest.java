package io.paystream.api.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.statement.StatementJobLock;
import io.paystream.persistence.statement.StatementStore;
import io.paystream.persistence.statement.StoredStatement;
import io.paystream.persistence.testing.TestDatabase;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.function.Tuple2;

/**
 * The monthly job against the real database: one run at a time across instances (the advisory
 * lock), each statement rendered once, final statements immutable. Each test seeds accounts in a
 * month of the last century of its own; accounts other tests seeded earlier also existed then, so
 * counts are compared with what the runs report, not with this test's accounts alone.
 */
class StatementJobIntegrationTest extends ApiIntegrationTest {

  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  @Autowired private StatementJob job;

  @Autowired private StatementJobLock lock;

  @Autowired private StatementStore store;

  @Autowired private StatementRendering rendering;

  @Test
  void twoConcurrentRunsRenderEachStatementOfTheMonthExactlyOnce() {
    YearMonth month = YearMonth.of(1999, 7);
    List<UUID> accounts = seedAccounts(month, 3);
    UUID openedLater = seed("1999-08-02T00:00:00Z", "1999-08-02T01:00:00Z");
    long renderedBefore = renderedCount();

    Tuple2<StatementJob.Run, StatementJob.Run> runs =
        Mono.zip(
                job.runOnce(month).subscribeOn(Schedulers.boundedElastic()),
                job.runOnce(month).subscribeOn(Schedulers.boundedElastic()))
            .block(RUN_TIMEOUT);

    long stored = runs.getT1().stored() + runs.getT2().stored();
    long rendered = renderedCount() - renderedBefore;
    StatementJob.Run later = job.runOnce(month).block(RUN_TIMEOUT);

    assertThat(stored).isGreaterThanOrEqualTo(accounts.size() * 2L);
    assertThat(rendered).as("renderings, one per stored statement").isEqualTo(stored);
    assertThat(runs.getT1().ran() || runs.getT2().ran()).isTrue();
    assertThat(later.stored()).isZero();
    assertThat(renderedCount() - renderedBefore)
        .as("a later run renders nothing")
        .isEqualTo(stored);
    for (UUID account : accounts) {
      for (StatementFormat format : StatementFormat.values()) {
        StoredStatement row = store.find(account, month, format.name()).block(RUN_TIMEOUT);
        assertThat(row).as("%s %s", account, format).isNotNull();
        assertThat(row.isFinal()).isTrue();
        assertThat(row.sha256()).isEqualTo(StatementRendering.sha256(row.content()));
      }
    }
    assertThat(store.find(openedLater, month, "PDF").block(RUN_TIMEOUT))
        .as("an account opened after the month has no statement of it")
        .isNull();
  }

  @Test
  void aRunWhileAnotherHoldsTheLockDoesNothingAndTheNextRunDoesItAll() {
    YearMonth month = YearMonth.of(1998, 3);
    List<UUID> accounts = seedAccounts(month, 2);
    Sinks.Empty<Void> release = Sinks.empty();
    Sinks.Empty<Void> held = Sinks.empty();
    Mono<Boolean> holder =
        lock.tryRun(Mono.fromRunnable(held::tryEmitEmpty).then(release.asMono())).cache();
    holder.subscribe();
    held.asMono().block(RUN_TIMEOUT);

    StatementJob.Run blocked = job.runOnce(month).block(RUN_TIMEOUT);
    release.tryEmitEmpty();
    assertThat(holder.block(RUN_TIMEOUT)).isTrue();
    StatementJob.Run next = job.runOnce(month).block(RUN_TIMEOUT);
    StatementJob.Run again = job.runOnce(month).block(RUN_TIMEOUT);

    assertThat(blocked.ran()).isFalse();
    assertThat(blocked.stored()).isZero();
    assertThat(next.ran()).isTrue();
    assertThat(next.stored()).isGreaterThanOrEqualTo(accounts.size() * 2L);
    for (UUID account : accounts) {
      assertThat(store.status(account, month, "PDF").block(RUN_TIMEOUT).isFinal()).isTrue();
      assertThat(store.status(account, month, "CSV").block(RUN_TIMEOUT).isFinal()).isTrue();
    }
    assertThat(again.ran()).isTrue();
    assertThat(again.stored()).as("a repeated run finds everything done").isZero();
  }

  @Test
  void aFinalStatementCannotBeChangedOrDeletedEvenBySql() {
    YearMonth month = YearMonth.of(1997, 5);
    UUID account = seedAccounts(month, 1).get(0);
    job.runOnce(month).block(RUN_TIMEOUT);
    String where = " WHERE account_id = '" + account + "' AND month = '1997-05-01'";

    assertThatThrownBy(() -> TestDatabase.sql("UPDATE statement SET content = '\\x00'" + where))
        .hasMessageContaining("is final");
    assertThatThrownBy(() -> TestDatabase.sql("DELETE FROM statement" + where))
        .hasMessageContaining("is final");
    assertThat(store.find(account, month, "CSV").block(RUN_TIMEOUT)).isNotNull();
  }

  // --- helpers --------------------------------------------------------------------------------

  /** {@code count} EUR accounts opened in {@code month}, each with one deposit in it. */
  private List<UUID> seedAccounts(YearMonth month, int count) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(i -> seed(month.atDay(2) + "T10:00:00Z", month.atDay(3 + i) + "T12:00:00Z"))
        .toList();
  }

  private UUID seed(String openedAt, String depositAt) {
    User owner = client.newCustomer();
    client.openAccount(owner, "EUR");
    return PastLedger.open(owner.id(), "EUR", openedAt).credit(1_000, depositAt, "deposit").write();
  }

  private long renderedCount() {
    return rendering.renderedCount(StatementFormat.PDF)
        + rendering.renderedCount(StatementFormat.CSV);
  }
}
