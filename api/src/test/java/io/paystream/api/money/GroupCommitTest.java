package io.paystream.api.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The coalescing alone, with batches whose end the test decides: who runs together, in what order,
 * and what each submitter is told when a batch fails.
 */
class GroupCommitTest {

  private static final int QUEUE_MAX = 64;

  /** Batches started so far, each with the sink that ends it. */
  private final List<Started> started = new CopyOnWriteArrayList<>();

  private record Started(List<Integer> items, Sinks.One<List<String>> end) {

    void answer() {
      end.tryEmitValue(items.stream().map(item -> "done " + item).toList());
    }
  }

  private final Function<List<Integer>, Mono<List<String>>> heldOpen =
      items -> {
        Sinks.One<List<String>> end = Sinks.one();
        started.add(new Started(items, end));
        return end.asMono();
      };

  private final DistributionSummary sizes =
      DistributionSummary.builder("batch").register(new SimpleMeterRegistry());

  @Test
  void aLoneSubmissionRunsAtOnceAsABatchOfOne() {
    GroupCommit<Integer, String> commit = new GroupCommit<>(8, 2, QUEUE_MAX, heldOpen, sizes);

    commit
        .submit(1)
        .as(StepVerifier::create)
        .then(
            () -> {
              assertThat(started).hasSize(1);
              assertThat(started.get(0).items()).containsExactly(1);
              started.get(0).answer();
            })
        .expectNext("done 1")
        .verifyComplete();
    assertThat(sizes.count()).isEqualTo(1);
  }

  @Test
  void submissionsWaitingForASlotRunTogetherInSubmissionOrderWhenOneFrees() {
    GroupCommit<Integer, String> commit = new GroupCommit<>(8, 1, QUEUE_MAX, heldOpen, sizes);
    List<String> answers = new CopyOnWriteArrayList<>();
    commit.submit(1).subscribe(answers::add);
    for (int i = 2; i <= 5; i++) {
      commit.submit(i).subscribe(answers::add);
    }
    assertThat(started).hasSize(1);
    assertThat(commit.queued()).isEqualTo(4);

    started.get(0).answer();

    assertThat(started).hasSize(2);
    assertThat(started.get(1).items()).containsExactly(2, 3, 4, 5);
    assertThat(commit.queued()).isZero();
    started.get(1).answer();
    assertThat(answers).containsExactly("done 1", "done 2", "done 3", "done 4", "done 5");
  }

  @Test
  void noBatchIsLargerThanTheMaximumAndNoMoreRunAtOnceThanTheSlots() {
    GroupCommit<Integer, String> commit = new GroupCommit<>(3, 2, QUEUE_MAX, heldOpen, sizes);
    List<String> answers = new CopyOnWriteArrayList<>();
    for (int i = 1; i <= 10; i++) {
      commit.submit(i).subscribe(answers::add);
    }
    // Items 1 and 2 each found a free slot; the other eight wait.
    assertThat(started).extracting(Started::items).containsExactly(List.of(1), List.of(2));
    assertThat(commit.queued()).isEqualTo(8);

    started.get(0).answer();
    started.get(1).answer();
    assertThat(started)
        .extracting(Started::items)
        .containsExactly(List.of(1), List.of(2), List.of(3, 4, 5), List.of(6, 7, 8));

    started.get(2).answer();
    started.get(3).answer();
    assertThat(started.get(4).items()).containsExactly(9, 10);
    started.get(4).answer();
    assertThat(answers).hasSize(10);
    assertThat(sizes.max()).isEqualTo(3);
  }

  @Test
  void aFailedBatchFailsEachOfItsSubmittersAndTheNextBatchStillRuns() {
    GroupCommit<Integer, String> commit = new GroupCommit<>(8, 1, QUEUE_MAX, heldOpen, sizes);
    List<Throwable> failures = new ArrayList<>();
    commit.submit(1).subscribe(answer -> {}, failures::add);
    commit.submit(2).subscribe(answer -> {}, failures::add);
    commit.submit(3).subscribe(answer -> {}, failures::add);
    IllegalStateException outage = new IllegalStateException("connection lost");

    started.get(0).end().tryEmitError(outage);
    assertThat(failures).containsExactly(outage);
    started.get(1).end().tryEmitError(outage);
    assertThat(failures).containsExactly(outage, outage, outage);

    commit
        .submit(4)
        .as(StepVerifier::create)
        .then(() -> started.get(2).answer())
        .expectNext("done 4")
        .verifyComplete();
  }

  @Test
  void aBatchAnsweringTheWrongNumberOfOutputsFailsEveryItemOfIt() {
    GroupCommit<Integer, String> commit = new GroupCommit<>(8, 1, QUEUE_MAX, heldOpen, sizes);
    commit.submit(1).subscribe();
    Mono<String> second = commit.submit(2);
    Mono<String> third = commit.submit(3);
    List<Throwable> failures = new ArrayList<>();
    second.subscribe(answer -> {}, failures::add);
    third.subscribe(answer -> {}, failures::add);
    started.get(0).answer();

    started.get(1).end().tryEmitValue(List.of("only one"));

    assertThat(failures)
        .hasSize(2)
        .allSatisfy(
            failure ->
                assertThat(failure)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("1 answers for a batch of 2"));
  }

  @Test
  void aBatchThatEndsWithoutAnswersFailsItsItemsAndFreesItsSlot() {
    GroupCommit<Integer, String> commit =
        new GroupCommit<>(
            8,
            1,
            QUEUE_MAX,
            items -> items.contains(1) ? Mono.empty() : heldOpen.apply(items),
            sizes);

    commit
        .submit(1)
        .as(StepVerifier::create)
        .expectErrorMessage("a batch ended without answers")
        .verify();
    commit
        .submit(2)
        .as(StepVerifier::create)
        .then(() -> started.get(0).answer())
        .expectNext("done 2")
        .verifyComplete();
  }

  @Test
  void aSubmitterThatStopsWaitingDoesNotStopItsBatch() {
    GroupCommit<Integer, String> commit = new GroupCommit<>(8, 1, QUEUE_MAX, heldOpen, sizes);
    commit.submit(1).subscribe();
    Disposable impatient = commit.submit(2).subscribe();
    List<String> answers = new CopyOnWriteArrayList<>();
    commit.submit(3).subscribe(answers::add);
    started.get(0).answer();

    impatient.dispose();
    started.get(1).answer();

    assertThat(started.get(1).items()).containsExactly(2, 3);
    assertThat(answers).containsExactly("done 3");
    assertThat(commit.queued()).isZero();
  }

  @Test
  void aSubmissionFindingTheQueueFullIsRefusedAtOnceAndTheWaitingOnesStillRun() {
    GroupCommit<Integer, String> commit = new GroupCommit<>(8, 1, 2, heldOpen, sizes);
    List<String> answers = new CopyOnWriteArrayList<>();
    commit.submit(1).subscribe(answers::add);
    commit.submit(2).subscribe(answers::add);
    commit.submit(3).subscribe(answers::add);

    commit.submit(4).as(StepVerifier::create).expectError(GroupCommit.Full.class).verify();

    assertThat(commit.queued()).isEqualTo(2);
    started.get(0).answer();
    started.get(1).answer();
    assertThat(answers).containsExactly("done 1", "done 2", "done 3");
    // Room again once the queue has been taken.
    commit
        .submit(5)
        .as(StepVerifier::create)
        .then(() -> started.get(2).answer())
        .expectNext("done 5")
        .verifyComplete();
  }

  @Test
  void withALingerALoneSubmissionWaitsForCompanyThenRunsWithWhatArrived() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    GroupCommit<Integer, String> commit = lingering(8, Duration.ofMillis(2), clock);
    List<String> answers = new CopyOnWriteArrayList<>();
    commit.submit(1).subscribe(answers::add);
    clock.advanceTimeBy(Duration.ofMillis(1));
    commit.submit(2).subscribe(answers::add);
    assertThat(started).isEmpty();

    clock.advanceTimeBy(Duration.ofMillis(1));

    // Two milliseconds after the first, not after the second: no item waits longer.
    assertThat(started).extracting(Started::items).containsExactly(List.of(1, 2));
    started.get(0).answer();
    assertThat(answers).containsExactly("done 1", "done 2");
  }

  @Test
  void withALingerAFullBatchStartsAtOnce() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    GroupCommit<Integer, String> commit = lingering(3, Duration.ofMillis(2), clock);

    for (int i = 1; i <= 4; i++) {
      commit.submit(i).subscribe();
    }

    assertThat(started).extracting(Started::items).containsExactly(List.of(1, 2, 3));
    started.get(0).answer();
    // The fourth, alone, still lingers for its two milliseconds.
    assertThat(started).hasSize(1);
    clock.advanceTimeBy(Duration.ofMillis(2));
    assertThat(started).extracting(Started::items).containsExactly(List.of(1, 2, 3), List.of(4));
  }

  @Test
  void withALingerItemsThatWaitedThatLongForASlotStartAsSoonAsItFrees() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    GroupCommit<Integer, String> commit = lingering(8, Duration.ofMillis(2), clock);
    commit.submit(1).subscribe();
    clock.advanceTimeBy(Duration.ofMillis(2));
    commit.submit(2).subscribe();
    commit.submit(3).subscribe();
    clock.advanceTimeBy(Duration.ofMillis(5));
    assertThat(started).hasSize(1);

    started.get(0).answer();

    assertThat(started).extracting(Started::items).containsExactly(List.of(1), List.of(2, 3));
  }

  @Test
  void aNegativeLingerIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> lingering(8, Duration.ofMillis(-1), VirtualTimeScheduler.create()));
  }

  private GroupCommit<Integer, String> lingering(
      int batchMax, Duration linger, VirtualTimeScheduler clock) {
    return new GroupCommit<>(batchMax, 1, QUEUE_MAX, linger, clock, heldOpen, sizes);
  }

  @Test
  void limitsBelowOneAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new GroupCommit<>(0, 1, QUEUE_MAX, heldOpen, sizes));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new GroupCommit<>(1, 0, QUEUE_MAX, heldOpen, sizes));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new GroupCommit<>(1, 1, 0, heldOpen, sizes));
  }
}
