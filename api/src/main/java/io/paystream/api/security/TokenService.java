package io.paystream.api.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.paystream.api.ApiProperties;
import io.paystream.domain.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Issues and verifies access tokens (HS256 JWTs, the algorithm pinned on both sides) and makes
 * refresh tokens: 256 random bits, handed to the client once and stored only as a SHA-256 hash.
 */
@Component
public class TokenService {

  public static final String ROLES_CLAIM = "roles";
  public static final String SESSION_CLAIM = "sid";

  /** RFC 7518 3.2: an HS256 key must be at least as long as the hash output. */
  static final int SECRET_BYTES_MIN = 32;

  /**
   * Verified access tokens remembered per instance ({@link VerifiedTokens}): a verification costs
   * about 13 µs of CPU (parse, HMAC, claims) and a hit under 1 µs, on every request. Each entry is
   * a parsed token of about 2 KB, so this holds 20 MB at most: one token per user for well over the
   * users one instance serves within an access token's 15 minutes; past it, the least used are
   * verified again.
   */
  static final int VERIFIED_TOKENS_MAX = 10_000;

  private final NimbusJwtEncoder encoder;
  private final ReactiveJwtDecoder decoder;
  private final ApiProperties properties;

  public TokenService(ApiProperties properties, Clock clock) {
    this.properties = properties;
    SecretKey key = key(properties.jwtSecret());
    this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(key));
    NimbusJwtDecoder nimbus =
        NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
    nimbus.setJwtValidator(validator(properties, clock));
    // Our issuer is a name, not a URL. The default converter tries it as a URL first, which
    // throws (and fills a stack trace) on every request before falling back to the string.
    nimbus.setClaimSetConverter(
        MappedJwtClaimSetConverter.withDefaults(
            Map.of(JwtClaimNames.ISS, issuer -> issuer == null ? null : issuer.toString())));
    // Decoded at once, not by NimbusReactiveJwtDecoder's operator chain: a request's
    // authentication stays reachable for as long as its response runs, and that chain kept the
    // parsed token (SignedJWT, its claims and Base64 parts) alive beside the Jwt, about 1 KB per
    // open SSE stream. Verifying an HMAC signature is CPU work only, fine on an event loop; the
    // errors (BadJwtException, JwtValidationException) are the same.
    ReactiveJwtDecoder verifier = token -> Mono.fromCallable(() -> nimbus.decode(token));
    this.decoder = new VerifiedTokens(verifier, clock, VERIFIED_TOKENS_MAX);
  }

  private static SecretKey key(String secret) {
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < SECRET_BYTES_MIN) {
      throw new IllegalStateException(
          "PAYSTREAM_JWT_SECRET must be set to at least " + SECRET_BYTES_MIN + " bytes");
    }
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  private static OAuth2TokenValidator<Jwt> validator(ApiProperties properties, Clock clock) {
    Duration skew = Duration.ofSeconds(properties.clockSkewSeconds());
    JwtTimestampValidator notExpired = new JwtTimestampValidator(skew);
    notExpired.setClock(clock);
    return new DelegatingOAuth2TokenValidator<>(
        notExpired,
        new JwtLifetimeValidator(
            skew, Duration.ofSeconds(properties.accessTokenTtlSeconds()), clock),
        new JwtIssuerValidator(properties.jwtIssuer()),
        new JwtClaimValidator<List<String>>(
            JwtClaimNames.AUD, aud -> aud != null && aud.contains(properties.jwtAudience())),
        new JwtClaimValidator<Instant>(JwtClaimNames.EXP, exp -> exp != null),
        new JwtClaimValidator<Instant>(JwtClaimNames.IAT, iat -> iat != null),
        new JwtClaimValidator<String>(JwtClaimNames.JTI, jti -> jti != null && !jti.isBlank()),
        new JwtClaimValidator<String>(JwtClaimNames.SUB, TokenService::isUuid));
  }

  private static boolean isUuid(String text) {
    try {
      return text != null && UUID.fromString(text).toString().equals(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public ReactiveJwtDecoder decoder() {
    return decoder;
  }

  /** Signs an access token. CPU-light (one HMAC); safe on an event loop. */
  public String accessToken(UUID userId, List<String> roles, UUID sessionId, Instant now) {
    JwtClaimsSet claims =
        JwtClaimsSet.builder()
            .issuer(properties.jwtIssuer())
            .audience(List.of(properties.jwtAudience()))
            .subject(userId.toString())
            .issuedAt(now)
            .expiresAt(now.plusSeconds(properties.accessTokenTtlSeconds()))
            .id(Ids.newId().toString())
            .claim(ROLES_CLAIM, roles)
            .claim(SESSION_CLAIM, sessionId.toString())
            .build();
    JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
    return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
  }

  public long accessTokenTtlSeconds() {
    return properties.accessTokenTtlSeconds();
  }

  public long refreshTokenTtlSeconds() {
    return properties.refreshTokenTtlSeconds();
  }

  /** A new opaque refresh token: 32 random bytes, URL-safe base64. */
  public String newRefreshToken() {
    byte[] bytes = new byte[32];
    Ids.random().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String refreshToken) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(refreshToken.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
