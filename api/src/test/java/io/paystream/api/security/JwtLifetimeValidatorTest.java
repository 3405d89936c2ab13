package io.paystream.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/** Times checked against a fixed clock, at each boundary and one second past it. */
class JwtLifetimeValidatorTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final Duration LIFETIME = Duration.ofSeconds(900);

  private final JwtLifetimeValidator validator =
      new JwtLifetimeValidator(SKEW, LIFETIME, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aTokenWithTheTimesWeIssueIsValid() {
    assertValid(token(NOW, NOW.plus(LIFETIME)));
  }

  @Test
  void aTokenIssuedUpToTheSkewAheadOfOurClockIsValid() {
    Instant issued = NOW.plus(SKEW);

    assertValid(token(issued, issued.plus(LIFETIME)));
  }

  @Test
  void aTokenIssuedFurtherAheadThanTheSkewIsRefused() {
    Instant issued = NOW.plus(SKEW).plusSeconds(1);

    assertRefused(token(issued, issued.plusSeconds(60)), "iat is in the future");
  }

  @Test
  void aTokenIssuedAnHourAheadWithATenYearExpiryIsRefused() {
    Instant issued = NOW.plus(Duration.ofHours(1));

    assertRefused(token(issued, issued.plus(Duration.ofDays(3650))), "iat is in the future");
  }

  @Test
  void aTokenLivingOneSecondLongerThanAnAccessTokenIsRefused() {
    assertRefused(
        token(NOW, NOW.plus(LIFETIME).plusSeconds(1)),
        "exp is further from iat than an access token lives");
  }

  @Test
  void aTokenIssuedNowWithATenYearExpiryIsRefused() {
    assertRefused(
        token(NOW, NOW.plus(Duration.ofDays(3650))),
        "exp is further from iat than an access token lives");
  }

  /** Nimbus turns any numeric iat or exp into a Date: the extremes are refused, not thrown. */
  @Test
  void theMostExtremeTimesADecodedTokenCanCarryAreRefused() {
    Instant earliest = Instant.ofEpochMilli(Long.MIN_VALUE);
    Instant latest = Instant.ofEpochMilli(Long.MAX_VALUE);

    assertRefused(token(earliest, latest), "exp is further from iat than an access token lives");
    assertRefused(token(latest.minusSeconds(1), latest), "iat is in the future");
  }

  @Test
  void aTokenWithoutIssueOrExpiryTimeIsRefused() {
    Jwt withoutIssued =
        Jwt.withTokenValue("t").header("alg", "HS256").expiresAt(NOW.plusSeconds(60)).build();
    Jwt withoutExpiry = Jwt.withTokenValue("t").header("alg", "HS256").issuedAt(NOW).build();

    assertRefused(withoutIssued, "iat and exp are required");
    assertRefused(withoutExpiry, "iat and exp are required");
  }

  @Test
  void aNegativeSkewOrANonPositiveLifetimeIsAConfigurationError() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    assertThatThrownBy(() -> new JwtLifetimeValidator(Duration.ofSeconds(-1), LIFETIME, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JwtLifetimeValidator(SKEW, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Jwt token(Instant issued, Instant expires) {
    return Jwt.withTokenValue("t")
        .header("alg", "HS256")
        .issuedAt(issued)
        .expiresAt(expires)
        .build();
  }

  private void assertValid(Jwt jwt) {
    assertThat(validator.validate(jwt).hasErrors()).isFalse();
  }

  private void assertRefused(Jwt jwt, String description) {
    OAuth2TokenValidatorResult result = validator.validate(jwt);
    assertThat(result.getErrors())
        .extracting(OAuth2Error::getErrorCode, OAuth2Error::getDescription)
        .containsExactly(tuple(OAuth2ErrorCodes.INVALID_TOKEN, description));
  }
}
