package io.paystream.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Which tokens are verified again, and which are answered from memory. */
class VerifiedTokensTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private final MovableClock clock = new MovableClock(NOW);
  private final AtomicInteger verifications = new AtomicInteger();

  /** Accepts "good-*" tokens expiring 15 minutes after NOW, refuses everything else. */
  private final ReactiveJwtDecoder verifier =
      token ->
          Mono.fromCallable(
              () -> {
                verifications.incrementAndGet();
                if (!token.startsWith("good-")) {
                  throw new BadJwtException("refused");
                }
                return Jwt.withTokenValue(token)
                    .header("alg", "HS256")
                    .subject(token)
                    .issuedAt(NOW)
                    .expiresAt(NOW.plus(Duration.ofMinutes(15)))
                    .build();
              });

  private final VerifiedTokens tokens = new VerifiedTokens(verifier, clock, 100);

  @Test
  void aTokenPresentedAgainIsNotVerifiedAgain() {
    decodeSubject("good-a").expectNext("good-a").verifyComplete();
    decodeSubject("good-a").expectNext("good-a").verifyComplete();

    assertThat(verifications).hasValue(1);
  }

  @Test
  void anotherTokenIsVerifiedInFull() {
    decodeSubject("good-a").expectNext("good-a").verifyComplete();
    decodeSubject("good-b").expectNext("good-b").verifyComplete();

    assertThat(verifications).hasValue(2);
  }

  @Test
  void aRefusedTokenIsVerifiedAndRefusedEveryTime() {
    for (int i = 0; i < 2; i++) {
      tokens.decode("forged").as(StepVerifier::create).expectError(BadJwtException.class).verify();
    }

    assertThat(verifications).hasValue(2);
  }

  @Test
  void fromItsExpiryOnATokenIsVerifiedAgainSoTheVerifierDecides() {
    decodeSubject("good-a").expectNext("good-a").verifyComplete();

    clock.set(NOW.plus(Duration.ofMinutes(15)));
    decodeSubject("good-a").expectNext("good-a").verifyComplete();

    assertThat(verifications).hasValue(2);
  }

  @Test
  void aTokenAlreadyExpiredWhenVerifiedIsNotRemembered() {
    clock.set(NOW.plus(Duration.ofMinutes(16)));
    decodeSubject("good-a").expectNext("good-a").verifyComplete();
    decodeSubject("good-a").expectNext("good-a").verifyComplete();

    assertThat(verifications).hasValue(2);
  }

  private StepVerifier.FirstStep<String> decodeSubject(String token) {
    return tokens.decode(token).map(Jwt::getSubject).as(StepVerifier::create);
  }

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
