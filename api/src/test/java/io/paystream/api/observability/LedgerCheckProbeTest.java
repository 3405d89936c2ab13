package io.paystream.api.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paystream.api.ops.LedgerAudit;
import io.paystream.api.ops.LedgerAudit.LedgerCheck;
import io.paystream.persistence.ledger.LedgerStore.CurrencySum;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class LedgerCheckProbeTest {

  private static final LedgerCheck BALANCED =
      new LedgerCheck(true, List.of(new CurrencySum("EUR", 0)), 0, List.of(), 0L, null);
  private static final LedgerCheck UNBALANCED =
      new LedgerCheck(false, List.of(new CurrencySum("EUR", 7)), 2, List.of(), 0L, null);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Deque<Mono<LedgerCheck>> answers = new ArrayDeque<>();
  private final LedgerCheckProbe probe =
      new LedgerCheckProbe(new ScriptedAudit(answers), new ObservabilityProperties(300), meters);

  @Test
  void anUnbalancedLedgerRaisesTheGaugeAndABalancedOneLowersIt() {
    answers.add(Mono.just(UNBALANCED));
    answers.add(Mono.just(BALANCED));

    probe.checkOnce().as(StepVerifier::create).expectNext(UNBALANCED).verifyComplete();
    assertThat(gauge("paystream.ledger.unbalanced")).isEqualTo(1.0);
    assertThat(gauge("paystream.ledger.unreconciled.accounts")).isEqualTo(2.0);

    probe.checkOnce().as(StepVerifier::create).expectNext(BALANCED).verifyComplete();
    assertThat(gauge("paystream.ledger.unbalanced")).isZero();
    assertThat(gauge("paystream.ledger.unreconciled.accounts")).isZero();
  }

  @Test
  void aCheckThatCannotRunIsCountedAndKeepsTheLastVerdict() {
    answers.add(Mono.just(UNBALANCED));
    answers.add(Mono.error(new IllegalStateException("database unreachable")));

    probe.checkOnce().as(StepVerifier::create).expectNext(UNBALANCED).verifyComplete();
    probe.checkOnce().as(StepVerifier::create).verifyComplete();

    assertThat(gauge("paystream.ledger.unbalanced")).isEqualTo(1.0);
    assertThat(meters.get("paystream.ledger.check.failures").counter().count()).isEqualTo(1.0);
  }

  @Test
  void theIntervalIsBounded() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new ObservabilityProperties(0))
        .withMessageContaining("paystream.observability.ledger-check-interval-seconds");
  }

  private double gauge(String name) {
    return meters.get(name).gauge().value();
  }

  /** The ledger check's answers, one per call, without a database. */
  private static final class ScriptedAudit extends LedgerAudit {

    private final Deque<Mono<LedgerCheck>> answers;

    ScriptedAudit(Deque<Mono<LedgerCheck>> answers) {
      super(null, null);
      this.answers = answers;
    }

    @Override
    public Mono<LedgerCheck> check() {
      return answers.removeFirst();
    }
  }
}
