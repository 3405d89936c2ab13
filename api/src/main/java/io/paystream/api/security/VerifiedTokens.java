package io.paystream.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Access tokens this instance has verified, by their exact text, until they expire: a client
 * presents the same token on every request for its 15 minutes, and each of those would otherwise be
 * parsed, its HMAC checked and its claims converted and validated again.
 *
 * <p>Only what the verifier accepted is kept, and only while the token's {@code exp} is in the
 * future by {@code clock} (checked on every hit, as well as by the cache's own expiry), so an entry
 * never outlives what the verifier itself would accept: its checks are either timeless (signature,
 * issuer, audience, subject, lifetime) or become true with time and then stay true until {@code
 * exp} ({@code iat} not in the future). Anything else — a different byte, another key — is a miss
 * and verified in full. What is not a property of the token, whether its login is revoked, is not
 * cached here: the caller asks that on every request ({@link LoginSessions}). The signing key is
 * fixed for the life of the process, so no entry can survive a key change.
 *
 * <p>Bounded: at most {@code entriesMax} tokens, the least valuable dropped first.
 */
final class VerifiedTokens implements ReactiveJwtDecoder {

  private final ReactiveJwtDecoder verifier;
  private final Clock clock;
  private final Cache<String, Jwt> verified;

  VerifiedTokens(ReactiveJwtDecoder verifier, Clock clock, int entriesMax) {
    this.verifier = verifier;
    this.clock = clock;
    this.verified =
        Caffeine.newBuilder()
            .maximumSize(entriesMax)
            .expireAfter(
                Expiry.<String, Jwt>creating(
                    (token, jwt) -> Duration.between(clock.instant(), jwt.getExpiresAt())))
            .build();
  }

  @Override
  public Mono<Jwt> decode(String token) {
    Jwt known = verified.getIfPresent(token);
    if (known != null && unexpired(known)) {
      return Mono.just(known);
    }
    return verifier
        .decode(token)
        .doOnNext(
            jwt -> {
              if (unexpired(jwt)) {
                verified.put(token, jwt);
              }
            });
  }

  private boolean unexpired(Jwt jwt) {
    Instant expires = jwt.getExpiresAt();
    return expires != null && clock.instant().isBefore(expires);
  }
}
