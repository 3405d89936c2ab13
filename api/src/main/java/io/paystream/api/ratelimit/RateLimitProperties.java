package io.paystream.api.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every request-rate limit, under {@code paystream.rate-limit}. Each is a token bucket per key
 * holding its limit, refilled whole every {@code windowSeconds}: at most that many requests per
 * window, then 429 until the window ends. Buckets live in Redis, so every instance shares them.
 *
 * @param windowSeconds the refill window of every bucket; one minute, the unit people think in ("10
 *     failed logins a minute"); tests shorten it
 * @param apiPerUser requests per window per authenticated user over the whole API: 3000 (50 a
 *     second) is far above what an app screen needs, leaves room for an integration that batches,
 *     and still caps what a leaked token can scrape
 * @param moneyPerUser money-moving POSTs (deposits, transfers, withdrawals) per window per user:
 *     600 (10 a second). This limit stops runaway scripts and floods, not people; what a stolen
 *     token can move is bounded by the risk limits per account (per transfer, daily, velocity)
 * @param loginPerEmail login attempts per window per email address: 10 stops online password
 *     guessing against one account (about 14 000 guesses a day) while a user who mistypes a few
 *     times is never blocked
 * @param loginPerAddress login attempts per window per client address: 300. Much looser than per
 *     email because an office, a mobile carrier's NAT or a test harness puts many users behind one
 *     address; each of their emails still gets only 10 guesses a minute
 * @param registrationPerEmail registration attempts per window per email: 5; a real user registers
 *     once, so this only stops scripted probing of which emails exist (409)
 * @param registrationPerAddress registrations per window per client address: 120 (two a second), so
 *     one address cannot mint accounts in bulk while a carrier NAT or a load test that signs up its
 *     users is not refused
 * @param refreshPerAddress token refreshes per window per client address: 600; a refresh token
 *     cannot be guessed, but each refresh costs a database transaction
 * @param redisTimeoutMillis how long a bucket operation may wait for Redis before the local
 *     fallback decides: a rate limit must never make a request noticeably slower
 * @param redisRetrySeconds while Redis is unreachable, how often a new connection is tried; in
 *     between, requests go straight to the local fallback without waiting for a timeout
 * @param localBucketsMax buckets the per-instance fallback keeps in memory; the least recently used
 *     is dropped beyond this, so a flood of distinct keys cannot exhaust the heap
 * @param keyPrefix prefix of every bucket key in Redis: two deployments (or two test runs) with
 *     different limits sharing one Redis must not count in each other's buckets
 */
@ConfigurationProperties("paystream.rate-limit")
public record RateLimitProperties(
    @DefaultValue("60") int windowSeconds,
    @DefaultValue("3000") int apiPerUser,
    @DefaultValue("600") int moneyPerUser,
    @DefaultValue("10") int loginPerEmail,
    @DefaultValue("300") int loginPerAddress,
    @DefaultValue("5") int registrationPerEmail,
    @DefaultValue("120") int registrationPerAddress,
    @DefaultValue("600") int refreshPerAddress,
    @DefaultValue("250") long redisTimeoutMillis,
    @DefaultValue("5") long redisRetrySeconds,
    @DefaultValue("100000") int localBucketsMax,
    @DefaultValue("paystream:rate:") String keyPrefix) {

  /** The capacity configured for {@code limit}. */
  public int capacity(RateLimit limit) {
    return switch (limit) {
      case API_PER_USER -> apiPerUser;
      case MONEY_PER_USER -> moneyPerUser;
      case LOGIN_PER_EMAIL -> loginPerEmail;
      case LOGIN_PER_ADDRESS -> loginPerAddress;
      case REGISTRATION_PER_EMAIL -> registrationPerEmail;
      case REGISTRATION_PER_ADDRESS -> registrationPerAddress;
      case REFRESH_PER_ADDRESS -> refreshPerAddress;
    };
  }
}
