package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Rejection codes are part of the public contract: clients match on them. */
class RejectionTest {

  @Test
  void everyCodeIsTheSnakeCaseOfItsNameAndUnique() {
    for (Rejection rejection : Rejection.values()) {
      assertThat(rejection.code())
          .isEqualTo(rejection.name().toLowerCase(Locale.ROOT))
          .matches("[a-z]+(_[a-z]+)*");
    }
    assertThat(Arrays.stream(Rejection.values()).map(Rejection::code)).doesNotHaveDuplicates();
  }

  @Test
  void codesTheApiPromisesKeepTheirSpelling() {
    assertThat(Rejection.INSUFFICIENT_FUNDS.code()).isEqualTo("insufficient_funds");
    assertThat(Rejection.ACCOUNT_NOT_ACTIVE.code()).isEqualTo("account_not_active");
    assertThat(Rejection.CURRENCY_MISMATCH.code()).isEqualTo("currency_mismatch");
    assertThat(Rejection.SAME_ACCOUNT.code()).isEqualTo("same_account");
    assertThat(Rejection.AMOUNT_OUT_OF_RANGE.code()).isEqualTo("amount_out_of_range");
    assertThat(Rejection.LIMIT_EXCEEDED.code()).isEqualTo("limit_exceeded");
    assertThat(Rejection.VALIDATION_FAILED.code()).isEqualTo("validation_failed");
    assertThat(Rejection.BALANCE_NOT_ZERO.code()).isEqualTo("balance_not_zero");
  }

  @Test
  void rejectedExceptionCarriesItsRejectionAndDetail() {
    RejectedException rejected =
        new RejectedException(Rejection.LIMIT_EXCEEDED, "per_transfer_max");

    assertThat(rejected.rejection()).isEqualTo(Rejection.LIMIT_EXCEEDED);
    assertThat(rejected).hasMessage("per_transfer_max");
    assertThatNullPointerException().isThrownBy(() -> new RejectedException(null, "detail"));
  }
}
