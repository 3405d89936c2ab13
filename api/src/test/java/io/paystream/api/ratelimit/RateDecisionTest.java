package io.paystream.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class RateDecisionTest {

  @Test
  void aRefusalCarriesRetryAfterAndTheRateLimitHeaders() {
    HttpHeaders headers = new HttpHeaders();

    new RateDecision(RateLimit.LOGIN_PER_EMAIL, false, 10, 0, 42, 60).writeHeaders(headers);

    assertThat(headers.getFirst("Retry-After")).isEqualTo("42");
    assertThat(headers.getFirst("RateLimit-Limit")).isEqualTo("10");
    assertThat(headers.getFirst("RateLimit-Remaining")).isEqualTo("0");
    assertThat(headers.getFirst("RateLimit-Reset")).isEqualTo("60");
  }

  @Test
  void anAllowedRequestHasNoRetryAfter() {
    HttpHeaders headers = new HttpHeaders();

    new RateDecision(RateLimit.API_PER_USER, true, 300, 299, 0, 60).writeHeaders(headers);

    assertThat(headers.containsHeader("Retry-After")).isFalse();
    assertThat(headers.getFirst("RateLimit-Remaining")).isEqualTo("299");
  }

  @Test
  void retryAfterIsNeverZeroSoAClientNeverRetriesAtOnce() {
    HttpHeaders headers = new HttpHeaders();

    new RateDecision(RateLimit.API_PER_USER, false, 300, 0, 0, 0).writeHeaders(headers);

    assertThat(headers.getFirst("Retry-After")).isEqualTo("1");
  }

  @Test
  void nanosecondsRoundUpToWholeSeconds() {
    assertThat(RateDecision.seconds(0)).isZero();
    assertThat(RateDecision.seconds(1)).isEqualTo(1);
    assertThat(RateDecision.seconds(TimeUnit.SECONDS.toNanos(1))).isEqualTo(1);
    assertThat(RateDecision.seconds(TimeUnit.SECONDS.toNanos(1) + 1)).isEqualTo(2);
  }
}
