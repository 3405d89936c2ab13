package io.paystream.api;

import io.paystream.api.statement.StatementProperties;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every limit and secret of the api module, under {@code paystream}.
 *
 * @param jwtSecret HMAC-SHA256 key for access tokens, at least 32 bytes (RFC 7518 3.2); no default
 *     outside the local profile, so a deployment cannot run on a known key
 * @param jwtIssuer the {@code iss} claim written and required
 * @param jwtAudience the {@code aud} claim written and required
 * @param accessTokenTtlSeconds 15 minutes: short enough that a leaked token dies soon, long enough
 *     that a mobile client refreshes a few times an hour
 * @param refreshTokenTtlSeconds 30 days: a login lasts a month of inactivity
 * @param clockSkewSeconds tolerated difference between our clock and a token's timestamps
 * @param opsEmail with {@code opsPassword}, the OPS user ensured at start-up
 * @param opsPassword see {@code opsEmail}
 * @param idempotencyRetentionHours the contract's minimum is 24 hours; keys older than this may be
 *     reused
 * @param requestBodyBytesMax every request body in the contract is under 1 KiB; 64 KiB leaves room
 *     and still refuses a body that would cost real memory (413)
 * @param passwordHashConcurrencyMax bcrypt threads: one per core keeps hashing from starving the
 *     event loops on a 2-core machine; excess logins queue
 * @param passwordHashQueueMax logins waiting for a hashing thread before 503; bounded so a flood
 *     cannot grow memory
 * @param transferMaxMinorUnits per-transfer ceiling by currency code (limit_exceeded)
 * @param dailyOutgoingMaxMinorUnits per-account daily outgoing ceiling by currency code
 * @param waitSecondsMax the contract's ceiling for {@code Prefer: wait=N}
 * @param velocityPerMinuteMax transfers one account may send per minute, by currency code
 *     (limit_exceeded, limit velocity_per_minute); none by default, as a sensible number depends on
 *     the currency's customers
 * @param corsAllowedOrigins browser origins allowed to call the API cross-origin; none by default,
 *     because the API's clients are apps and servers and a browser front end is deployed
 *     deliberately, with its origin named here
 * @param statements monthly statements: link signing, rendering limits, the monthly job
 * @param trustedProxies networks (CIDR, e.g. {@code 127.0.0.2/32}) whose {@code X-Forwarded-For}
 *     names the client for per-address rate limits and the audit trail; none by default, because
 *     any client can send the header and only the load balancer's own address may be believed
 */
@ConfigurationProperties("paystream")
public record ApiProperties(
    String jwtSecret,
    @DefaultValue("paystream") String jwtIssuer,
    @DefaultValue("paystream-api") String jwtAudience,
    @DefaultValue("900") long accessTokenTtlSeconds,
    @DefaultValue("2592000") long refreshTokenTtlSeconds,
    @DefaultValue("30") long clockSkewSeconds,
    String opsEmail,
    String opsPassword,
    @DefaultValue("24") long idempotencyRetentionHours,
    @DefaultValue("65536") int requestBodyBytesMax,
    @DefaultValue("2") int passwordHashConcurrencyMax,
    @DefaultValue("1000") int passwordHashQueueMax,
    @DefaultValue Map<String, Long> transferMaxMinorUnits,
    @DefaultValue Map<String, Long> dailyOutgoingMaxMinorUnits,
    @DefaultValue("10") int waitSecondsMax,
    @DefaultValue Map<String, Integer> velocityPerMinuteMax,
    @DefaultValue List<String> corsAllowedOrigins,
    // A record from another package: without this the metadata shows one opaque
    // paystream.statements value instead of its properties.
    @NestedConfigurationProperty @DefaultValue StatementProperties statements,
    @DefaultValue List<String> trustedProxies) {}
