package io.paystream.api.statement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The job's schedule, in virtual time: when it runs, and that nothing stops it. */
class StatementJobScheduleTest {

  private static final Duration INITIAL_DELAY = Duration.ofSeconds(60);
  private static final Duration INTERVAL = Duration.ofHours(1);

  @Test
  void theJobRunsAfterTheInitialDelayAndThenEveryInterval() {
    AtomicInteger runs = new AtomicInteger();

    StepVerifier.withVirtualTime(
            () ->
                StatementJob.schedule(
                    INITIAL_DELAY,
                    INTERVAL,
                    () -> Mono.fromCallable(runs::incrementAndGet),
                    VirtualTimeScheduler.get()))
        .expectSubscription()
        .expectNoEvent(INITIAL_DELAY.minusSeconds(1))
        .thenAwait(Duration.ofSeconds(1))
        .expectNext(1)
        .expectNoEvent(INTERVAL.minusSeconds(1))
        .thenAwait(Duration.ofSeconds(1))
        .expectNext(2)
        .thenAwait(INTERVAL)
        .expectNext(3)
        .thenCancel()
        .verify();
  }

  @Test
  void aFailedRunIsSkippedAndTheScheduleGoesOn() {
    AtomicInteger runs = new AtomicInteger();

    StepVerifier.withVirtualTime(
            () ->
                StatementJob.schedule(
                    INITIAL_DELAY,
                    INTERVAL,
                    () ->
                        runs.incrementAndGet() == 1
                            ? Mono.<Integer>error(new IllegalStateException("database down"))
                            : Mono.just(runs.get()),
                    VirtualTimeScheduler.get()))
        .expectSubscription()
        .thenAwait(INITIAL_DELAY)
        .expectNoEvent(INTERVAL.minusSeconds(1))
        .thenAwait(Duration.ofSeconds(1))
        .expectNext(2)
        .thenCancel()
        .verify();
  }

  @Test
  void ticksDuringALongRunAreDroppedNotQueued() {
    AtomicInteger runs = new AtomicInteger();

    StepVerifier.withVirtualTime(
            () ->
                StatementJob.schedule(
                    INITIAL_DELAY,
                    INTERVAL,
                    () -> Mono.delay(INTERVAL.multipliedBy(3)).map(tick -> runs.incrementAndGet()),
                    VirtualTimeScheduler.get()))
        .expectSubscription()
        .thenAwait(INITIAL_DELAY.plus(INTERVAL.multipliedBy(3)))
        .expectNext(1)
        .thenAwait(INTERVAL.multipliedBy(3))
        .thenCancel()
        .verify();

    assertThat(runs.get())
        .as("runs started in 6 intervals, each 3 intervals long")
        .isLessThanOrEqualTo(2);
  }
}
