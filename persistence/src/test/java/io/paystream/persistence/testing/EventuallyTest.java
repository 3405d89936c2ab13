package io.paystream.persistence.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class EventuallyTest {

  private static final Duration PATIENCE = Duration.ofSeconds(5);

  @Test
  void returnsTheFirstValueThatSatisfiesTheCondition() {
    AtomicInteger polls = new AtomicInteger();

    int seen = Eventually.await(PATIENCE, "the third poll", polls::incrementAndGet, n -> n >= 3);

    assertThat(seen).isEqualTo(3);
    assertThat(polls).hasValue(3);
  }

  @Test
  void returnsWhatAProbeFindsOnceItFindsSomething() {
    AtomicInteger polls = new AtomicInteger();

    String found =
        Eventually.awaitPresent(
            PATIENCE,
            "something",
            () -> polls.incrementAndGet() < 2 ? Optional.empty() : Optional.of("found"));

    assertThat(found).isEqualTo("found");
  }

  @Test
  void failsAfterTheTimeoutNamingWhatItWaitedForAndWhatItSawLast() {
    long started = System.nanoTime();

    assertThatThrownBy(
            () ->
                Eventually.await(Duration.ofMillis(200), "a miracle", () -> "nothing", "x"::equals))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("PT0.2S")
        .hasMessageContaining("a miracle")
        .hasMessageContaining("saw nothing");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200))
        .isLessThan(PATIENCE);
  }

  @Test
  void aConditionThatNeverHoldsFails() {
    assertThatThrownBy(() -> Eventually.await(Duration.ofMillis(50), "false", () -> false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("waiting for false");
  }

  @Test
  void aProbeThatThrowsFailsTheWaitAtOnce() {
    AtomicInteger polls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                Eventually.await(
                    PATIENCE,
                    "a broken probe",
                    () -> {
                      polls.incrementAndGet();
                      throw new IllegalStateException("broken");
                    }))
        .hasMessage("broken");
    assertThat(polls).hasValue(1);
  }

  @Test
  void refusesToWaitOnAReactorThread() {
    Mono.fromRunnable(() -> Eventually.await(PATIENCE, "anything", () -> true))
        .subscribeOn(Schedulers.parallel())
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("parallel"))
        .verify(PATIENCE);
  }
}
