package io.paystream.api.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Refuses an access token whose times we would never have written: issued in the future (beyond the
 * tolerated clock skew), or living longer than we let an access token live. {@code
 * JwtTimestampValidator} checks only that {@code exp} has not passed and {@code nbf} has come, so
 * without this a token issued an hour ahead with a ten-year expiry would be honoured for ten years.
 * With it, no token we accept outlives {@code lifetimeMax} plus the skew from now.
 *
 * <p>A token that expires no later than it was issued never gets here: {@link Jwt} itself refuses
 * to exist with {@code exp} not after {@code iat}, and the decoder answers that with a {@code
 * BadJwtException} (TokenSecurityIntegrationTest keeps that true).
 */
final class JwtLifetimeValidator implements OAuth2TokenValidator<Jwt> {

  private final Duration skew;
  private final Duration lifetimeMax;
  private final Clock clock;

  /**
   * @param skew how far ahead of our clock a token's {@code iat} may be (another instance's clock)
   * @param lifetimeMax the longest {@code exp - iat}: the lifetime we give our access tokens.
   *     {@code iat} and {@code exp} are whole seconds from one reading of the issuer's clock, so
   *     our own tokens have exactly this
   */
  JwtLifetimeValidator(Duration skew, Duration lifetimeMax, Clock clock) {
    if (skew.isNegative() || lifetimeMax.isNegative() || lifetimeMax.isZero()) {
      throw new IllegalArgumentException(
          "skew must not be negative and lifetimeMax must be"
              + " positive: "
              + skew
              + ", "
              + lifetimeMax);
    }
    this.skew = skew;
    this.lifetimeMax = lifetimeMax;
    this.clock = clock;
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt jwt) {
    Instant issued = jwt.getIssuedAt();
    Instant expires = jwt.getExpiresAt();
    if (issued == null || expires == null) {
      return refused("iat and exp are required");
    }
    if (issued.isAfter(clock.instant().plus(skew))) {
      return refused("iat is in the future");
    }
    if (Duration.between(issued, expires).compareTo(lifetimeMax) > 0) {
      return refused("exp is further from iat than an access token lives");
    }
    return OAuth2TokenValidatorResult.success();
  }

  private static OAuth2TokenValidatorResult refused(String description) {
    return OAuth2TokenValidatorResult.failure(
        new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
  }
}
