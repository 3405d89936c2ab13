package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A transfer is PENDING until exactly one terminal status; terminal is final (DESIGN.md). */
class TransferStatusPropertiesTest {

  private static final Instant ACCEPTED_AT = Instant.parse("2026-11-21T10:15:30Z");

  /** One call on a transfer: {@code complete()} without a reason, {@code fail(reason)} with one. */
  record Attempt(String failureReason, Instant at) {

    boolean completes() {
      return failureReason == null;
    }

    Transfer applyTo(Transfer transfer) {
      return completes() ? transfer.complete(at) : transfer.fail(failureReason, at);
    }
  }

  @Test
  void fromPendingAtMostOneTransitionSucceedsAndItLeadsToATerminalStatus() {
    PropertyCheck.forAll(
        TransferStatusPropertiesTest::targets,
        targets -> {
          TransferStatus current = TransferStatus.PENDING;
          int succeeded = 0;
          for (TransferStatus target : targets) {
            TransferStatus before = current;
            boolean modelAllows =
                before == TransferStatus.PENDING && target != TransferStatus.PENDING;
            try {
              current.requireCanMoveTo(target);
              current = target;
              succeeded++;
            } catch (IllegalStateException refused) {
              assertThat(refused).hasMessageContaining(before.name());
            }
            assertThat(current == target && before != current).isEqualTo(modelAllows);
            assertThat(before.canMoveTo(target)).isEqualTo(modelAllows);
          }
          assertThat(succeeded).isLessThanOrEqualTo(1);
          assertThat(current.isTerminal()).isEqualTo(succeeded == 1);
          boolean anyTerminalTarget = targets.stream().anyMatch(TransferStatus::isTerminal);
          assertThat(succeeded).isEqualTo(anyTerminalTarget ? 1 : 0);
        });
  }

  @ParameterizedTest
  @EnumSource(
      value = TransferStatus.class,
      names = {"COMPLETED", "FAILED"})
  void terminalStatusRefusesEveryTransitionNamingItself(TransferStatus terminal) {
    assertThat(terminal.isTerminal()).isTrue();
    for (TransferStatus target : TransferStatus.values()) {
      assertThat(terminal.canMoveTo(target)).isFalse();
      assertThatThrownBy(() -> terminal.requireCanMoveTo(target))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("status " + terminal.name());
    }
  }

  @Test
  void pendingMayBecomeEitherTerminalStatusButNotPendingAgain() {
    assertThat(TransferStatus.PENDING.isTerminal()).isFalse();
    assertThatCode(() -> TransferStatus.PENDING.requireCanMoveTo(TransferStatus.COMPLETED))
        .doesNotThrowAnyException();
    assertThatCode(() -> TransferStatus.PENDING.requireCanMoveTo(TransferStatus.FAILED))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> TransferStatus.PENDING.requireCanMoveTo(TransferStatus.PENDING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PENDING");
  }

  @Test
  void transferCompletesOrFailsOnceAndEveryLaterCallThrowsNamingTheFinalStatus() {
    PropertyCheck.forAll(
        TransferStatusPropertiesTest::attempts,
        attempts -> {
          Transfer pending = acceptedTransfer();
          Attempt first = attempts.get(0);

          Transfer done = first.applyTo(pending);

          TransferStatus expected =
              first.completes() ? TransferStatus.COMPLETED : TransferStatus.FAILED;
          assertThat(done.status()).isEqualTo(expected);
          assertThat(done.failureReason()).isEqualTo(first.failureReason());
          assertThat(done.updatedAt()).isEqualTo(first.at());
          assertThat(done)
              .usingRecursiveComparison()
              .ignoringFields("status", "failureReason", "updatedAt")
              .isEqualTo(pending);
          for (Attempt later : attempts.subList(1, attempts.size())) {
            assertThatThrownBy(() -> later.applyTo(done))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("status " + expected.name());
          }
        });
  }

  @Test
  void acceptedTransferIsPendingWithoutFailureReason() {
    Transfer transfer = acceptedTransfer();

    assertThat(transfer.status()).isEqualTo(TransferStatus.PENDING);
    assertThat(transfer.failureReason()).isNull();
    assertThat(transfer.createdAt()).isEqualTo(ACCEPTED_AT).isEqualTo(transfer.updatedAt());
    assertThat(transfer.id().version()).isEqualTo(7);
  }

  @Test
  void failingNeedsAReason() {
    assertThatNullPointerException()
        .isThrownBy(() -> acceptedTransfer().fail(null, ACCEPTED_AT.plusSeconds(1)));
  }

  @Test
  void failedTransferWithoutReasonCannotExist() {
    Transfer pending = acceptedTransfer();

    assertThatThrownBy(() -> withStatus(pending, TransferStatus.FAILED, null))
        .isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = TransferStatus.class,
      names = {"PENDING", "COMPLETED"})
  void onlyAFailedTransferCarriesAFailureReason(TransferStatus status) {
    Transfer pending = acceptedTransfer();

    assertThatThrownBy(() -> withStatus(pending, status, "payee_account_closed"))
        .isInstanceOf(IllegalStateException.class);
    assertThatCode(() -> withStatus(pending, status, null)).doesNotThrowAnyException();
  }

  @Test
  void transferFromAnAccountToItselfCannotExist() {
    UUID account = Ids.newId();

    assertThatThrownBy(
            () ->
                Transfer.accept(
                    account, account, Money.of(100, "EUR"), null, Metadata.NONE, null, ACCEPTED_AT))
        .isInstanceOf(IllegalStateException.class);
  }

  // --- generators --------------------------------------------------------------------------

  private static List<TransferStatus> targets(SplittableRandom random) {
    List<TransferStatus> targets = new ArrayList<>();
    for (int count = random.nextInt(0, 9); count > 0; count--) {
      targets.add(TransferStatus.values()[random.nextInt(TransferStatus.values().length)]);
    }
    return targets;
  }

  private static List<Attempt> attempts(SplittableRandom random) {
    List<Attempt> attempts = new ArrayList<>();
    for (int count = random.nextInt(1, 7); count > 0; count--) {
      String reason = random.nextBoolean() ? null : "reason_" + random.nextInt(1000);
      attempts.add(new Attempt(reason, ACCEPTED_AT.plusMillis(random.nextLong(1, 86_400_000))));
    }
    return attempts;
  }

  private static Transfer acceptedTransfer() {
    return Transfer.accept(
        Ids.newId(), Ids.newId(), Money.of(2_500, "EUR"), "rent", Metadata.NONE, null, ACCEPTED_AT);
  }

  private static Transfer withStatus(Transfer t, TransferStatus status, String failureReason) {
    return new Transfer(
        t.id(),
        t.fromAccountId(),
        t.toAccountId(),
        t.amount(),
        t.description(),
        Metadata.NONE,
        null,
        status,
        failureReason,
        t.createdAt(),
        t.updatedAt());
  }
}
