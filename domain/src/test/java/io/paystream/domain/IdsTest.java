package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

  /** Enough ids that many share a millisecond, so the in-millisecond ordering is exercised. */
  private static final int IDS_IN_LOOP = 20_000;

  @Test
  void newIdIsAnRfc9562Version7Uuid() {
    UUID id = Ids.newId();

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
  }

  @Test
  void newIdCarriesTheCurrentUnixMillisecondsInItsFirst48Bits() {
    long before = System.currentTimeMillis();
    UUID id = Ids.newId();
    long after = System.currentTimeMillis();

    long millis = id.getMostSignificantBits() >>> 16;
    // One millisecond of slack either side: the JDK clock and the library's clock are read apart.
    assertThat(millis).isBetween(before - 1, after + 1);
  }

  @Test
  void idsGeneratedInALoopAreStrictlyIncreasing() {
    UUID previous = Ids.newId();
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < IDS_IN_LOOP; i++) {
      UUID next = Ids.newId();

      assertThat(compareUnsigned(previous, next)).as("%s then %s", previous, next).isNegative();
      assertThat(previous.toString().compareTo(next.toString()))
          .as("%s then %s as text", previous, next)
          .isNegative();
      assertThat(seen.add(next)).as("%s is new", next).isTrue();
      previous = next;
    }
  }

  @Test
  void parseReadsBackAnIdItsTextForm() {
    UUID id = Ids.newId();

    assertThat(Ids.parse(id.toString())).isEqualTo(id);
    assertThat(Ids.parse("0190f5c2-7b3a-7d4e-8f00-0123456789ab"))
        .isEqualTo(new UUID(0x0190f5c27b3a7d4eL, 0x8f000123456789abL));
  }

  @Test
  void parseAcceptsUpperCaseHexBecauseUuidsAreCaseInsensitive() {
    UUID id = Ids.newId();

    assertThat(Ids.parse(id.toString().toUpperCase())).isEqualTo(id);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "not-a-uuid",
        "0190f5c2-7b3a-7d4e-8f00-0123456789a",
        "0190f5c2-7b3a-7d4e-8f00-0123456789abc",
        "0190f5c27b3a7d4e8f000123456789ab",
        "0190f5c2-7b3a-7d4e-8f00-0123456789ag",
        "g190f5c2-7b3a-7d4e-8f00-0123456789ab",
        "0190f5c2_7b3a_7d4e_8f00_0123456789ab",
        "{0190f5c2-7b3a-7d4e-8f00-0123456789ab}",
        " 0190f5c2-7b3a-7d4e-8f00-0123456789ab",
        "0190f5c2-7b3a-7d4e-8f00-0123456789ab ",
        "------------------------------------",
        "0190f5c2-7b3a-7d4e-8f00-0123456789ab\n",
        "' OR 1=1 --' OR 1=1 --' OR 1=1 --'--",
        "1-1-1-1-000000000000000000000000000a",
        "+0000000-0000-0000-0000-000000000000",
        "0190f5c2-7b3a-7d4e-8f00-01234567\u0661\u0662ab",
      })
  void parseRefusesAnythingButAUuidAsValidationFailed(String text) {
    assertThatThrownBy(() -> Ids.parse(text))
        .isInstanceOfSatisfying(
            RejectedException.class,
            rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.VALIDATION_FAILED));
  }

  @Test
  void parseRefusalDoesNotEchoAHugeInput() {
    String huge = "x".repeat(100_000);

    assertThatThrownBy(() -> Ids.parse(huge))
        .isInstanceOf(RejectedException.class)
        .satisfies(refused -> assertThat(refused.getMessage()).hasSizeLessThan(100));
  }

  private static int compareUnsigned(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }
}
