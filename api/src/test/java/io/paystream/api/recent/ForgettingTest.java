package io.paystream.api.recent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The coalescing of forgets alone, with calls whose end the test decides. */
class ForgettingTest {

  /** Calls made so far, each with the sink that ends it. */
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  private record Call(Set<UUID> accounts, Sinks.Empty<Void> end) {}

  private final Function<Set<UUID>, Mono<Void>> heldOpen =
      accounts -> {
        Sinks.Empty<Void> end = Sinks.empty();
        calls.add(new Call(accounts, end));
        return end.asMono();
      };

  @Test
  void aLoneForgetGoesOutAtOnce() {
    Forgetting forgetting = new Forgetting(8, 64, heldOpen);
    UUID account = UUID.randomUUID();

    forgetting
        .forget(account)
        .as(StepVerifier::create)
        .then(
            () -> {
              assertThat(calls).hasSize(1);
              assertThat(calls.get(0).accounts()).containsExactly(account);
              calls.get(0).end().tryEmitEmpty();
            })
        .verifyComplete();
  }

  @Test
  void forgetsThatArriveWhileACallRunsGoOutTogetherAndEachWaitsForItsOwnCall() {
    Forgetting forgetting = new Forgetting(8, 64, heldOpen);
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    UUID third = UUID.randomUUID();
    List<UUID> done = new CopyOnWriteArrayList<>();
    forgetting.forget(first).subscribe(null, null, () -> done.add(first));
    forgetting.forget(second).subscribe(null, null, () -> done.add(second));
    forgetting.forget(third).subscribe(null, null, () -> done.add(third));
    assertThat(calls).hasSize(1);

    calls.get(0).end().tryEmitEmpty();

    // The first is gone; the two that waited are not yet: their call has only just started.
    assertThat(done).containsExactly(first);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).accounts()).containsExactly(second, third);

    calls.get(1).end().tryEmitEmpty();

    assertThat(done).containsExactly(first, second, third);
  }

  @Test
  void aCallTakesAtMostBatchMaxAccounts() {
    Forgetting forgetting = new Forgetting(2, 64, heldOpen);
    for (int i = 0; i < 6; i++) {
      forgetting.forget(UUID.randomUUID()).subscribe();
    }

    calls.get(0).end().tryEmitEmpty();
    calls.get(1).end().tryEmitEmpty();

    assertThat(calls).extracting(call -> call.accounts().size()).containsExactly(1, 2, 2);
  }

  @Test
  void pastTheQueueBoundAForgetGoesOutAloneAtOnce() {
    Forgetting forgetting = new Forgetting(8, 2, heldOpen);
    // One call in flight, two waiting: the queue is full.
    for (int i = 0; i < 3; i++) {
      forgetting.forget(UUID.randomUUID()).subscribe();
    }
    UUID overflow = UUID.randomUUID();

    forgetting.forget(overflow).subscribe();

    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).accounts()).containsExactly(overflow);
  }

  @Test
  void aFailedCallFailsEveryForgetOfItsBatchAndTheNextCallStillGoesOut() {
    Forgetting forgetting = new Forgetting(8, 64, heldOpen);
    forgetting.forget(UUID.randomUUID()).subscribe(null, failure -> {});
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    forgetting.forget(UUID.randomUUID()).subscribe(null, failures::add);
    forgetting.forget(UUID.randomUUID()).subscribe(null, failures::add);
    calls.get(0).end().tryEmitEmpty();

    calls.get(1).end().tryEmitError(new IllegalStateException("Redis failed"));

    assertThat(failures).hasSize(2).allMatch(IllegalStateException.class::isInstance);
    UUID later = UUID.randomUUID();
    forgetting.forget(later).subscribe();
    assertThat(calls).hasSize(3);
    assertThat(calls.get(2).accounts()).containsExactly(later);
  }
}
