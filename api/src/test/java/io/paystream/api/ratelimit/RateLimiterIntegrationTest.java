package io.paystream.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paystream.api.platform.RedisEndpoint;
import io.paystream.persistence.testing.Eventually;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The limiter itself, against the machine's real Redis and against a Redis that is not there. Two
 * limiters stand for two instances of the API. Every call runs on a non-blocking Reactor thread, so
 * BlockHound fails the test if the limiter ever blocks.
 */
class RateLimiterIntegrationTest {

  /**
   * Small limits so that a test needs only a few calls; the window is the production one. The Redis
   * timeout is generous: on a machine busy with other builds a healthy Redis may take more than the
   * production 250 ms, and these tests are about sharing, not about latency.
   */
  private static final RateLimitProperties LIMITS =
      new RateLimitProperties(60, 5, 2, 3, 4, 2, 2, 2, 2_000, 5, 1_000, "unused:");

  /** What a money POST takes from, in the order RateLimitFilter takes it. */
  private static final List<RateLimit> MONEY =
      List.of(RateLimit.API_PER_USER, RateLimit.MONEY_PER_USER);

  private static final String REDIS_HOST = "localhost";
  private static final int REDIS_PORT = 6379;

  @Test
  void twoInstancesShareOneBucketThroughRedis() {
    String namespace = namespace();
    try (RateLimiter first = limiter(REDIS_PORT, namespace);
        RateLimiter second = limiter(REDIS_PORT, namespace)) {
      connected(first);
      connected(second);
      String email = "shared-" + UUID.randomUUID() + "@example.com";

      consume(first, RateLimit.LOGIN_PER_EMAIL, email)
          .concatWith(consume(second, RateLimit.LOGIN_PER_EMAIL, email))
          .concatWith(consume(first, RateLimit.LOGIN_PER_EMAIL, email))
          .concatWith(consume(second, RateLimit.LOGIN_PER_EMAIL, email))
          .map(RateDecision::allowed)
          .as(StepVerifier::create)
          .expectNext(true, true, true, false)
          .verifyComplete();
      assertThat(first.shared()).isTrue();
      assertThat(second.shared()).isTrue();
    }
  }

  @Test
  void aRefusalSaysWhenToRetryAndWhenTheBucketIsFull() {
    try (RateLimiter limiter = limiter(REDIS_PORT, namespace())) {
      connected(limiter);
      String user = UUID.randomUUID().toString();

      consume(limiter, RateLimit.MONEY_PER_USER, user)
          .concatWith(consume(limiter, RateLimit.MONEY_PER_USER, user))
          .concatWith(consume(limiter, RateLimit.MONEY_PER_USER, user))
          .as(StepVerifier::create)
          .assertNext(decision -> assertThat(decision.remaining()).isEqualTo(1))
          .assertNext(decision -> assertThat(decision.remaining()).isZero())
          .assertNext(
              decision -> {
                assertThat(decision.allowed()).isFalse();
                assertThat(decision.limit()).isEqualTo(2);
                // Two tokens a minute, refilled together when the minute is over.
                assertThat(decision.retryAfterSeconds()).isBetween(55L, 60L);
                assertThat(decision.resetSeconds()).isBetween(55L, 60L);
              })
          .verifyComplete();
    }
  }

  @Test
  void aMoneyRequestTakesFromBothOfItsBucketsInOneRedisRoundTrip() throws InterruptedException {
    String namespace = namespace();
    try (RedisMonitor monitor = new RedisMonitor(REDIS_HOST, REDIS_PORT);
        RateLimiter limiter = limiter(REDIS_PORT, namespace)) {
      connected(limiter);
      String user = UUID.randomUUID().toString();

      consume(limiter, MONEY, user)
          .concatWith(consume(limiter, MONEY, user))
          .as(StepVerifier::create)
          .assertNext(decision -> assertThat(decision.name()).isEqualTo(RateLimit.MONEY_PER_USER))
          .assertNext(decision -> assertThat(decision.remaining()).isZero())
          .verifyComplete();

      // One script call per request; inside it an INCR per bucket, and the first one of each
      // bucket's window also sets its expiry.
      Eventually.await(
          Duration.ofSeconds(5), "the monitor saw both calls", () -> monitor.sent(namespace) >= 2);
      Thread.sleep(200);
      assertThat(monitor.sent(namespace)).as(monitor.lines(namespace).toString()).isEqualTo(2);
      assertThat(monitor.ranByScripts(namespace)).isEqualTo(6);
    }
  }

  @Test
  void theMoneyBucketRefusesWhileTheApiBucketKeepsCounting() {
    try (RateLimiter limiter = limiter(REDIS_PORT, namespace())) {
      connected(limiter);
      String user = UUID.randomUUID().toString();

      consume(limiter, MONEY, user)
          .concatWith(consume(limiter, MONEY, user))
          .concatWith(consume(limiter, MONEY, user))
          .concatWith(consume(limiter, RateLimit.API_PER_USER, user))
          .as(StepVerifier::create)
          .assertNext(decision -> assertThat(decision.allowed()).isTrue())
          .assertNext(decision -> assertThat(decision.allowed()).isTrue())
          .assertNext(
              decision -> {
                assertThat(decision.name()).isEqualTo(RateLimit.MONEY_PER_USER);
                assertThat(decision.allowed()).isFalse();
                assertThat(decision.limit()).isEqualTo(2);
                assertThat(decision.remaining()).isZero();
                assertThat(decision.retryAfterSeconds()).isBetween(55L, 60L);
                assertThat(decision.resetSeconds()).isBetween(55L, 60L);
              })
          // Five a minute over the whole API: the three money requests took three.
          .assertNext(
              decision -> {
                assertThat(decision.allowed()).isTrue();
                assertThat(decision.remaining()).isOne();
              })
          .verifyComplete();
    }
  }

  @Test
  void aRequestTheApiBucketRefusesTakesNothingFromTheMoneyBucket() throws InterruptedException {
    String namespace = namespace();
    try (RedisMonitor monitor = new RedisMonitor(REDIS_HOST, REDIS_PORT);
        RateLimiter limiter = limiter(REDIS_PORT, namespace)) {
      connected(limiter);
      String user = UUID.randomUUID().toString();

      Flux.range(0, 5)
          .concatMap(i -> consume(limiter, RateLimit.API_PER_USER, user))
          .then(consume(limiter, MONEY, user))
          .as(StepVerifier::create)
          .assertNext(
              decision -> {
                assertThat(decision.name()).isEqualTo(RateLimit.API_PER_USER);
                assertThat(decision.allowed()).isFalse();
              })
          .verifyComplete();

      Eventually.await(
          Duration.ofSeconds(5), "the monitor saw every call", () -> monitor.sent(namespace) >= 6);
      Thread.sleep(200);
      String money = namespace + RateLimit.MONEY_PER_USER.limitName();
      assertThat(monitor.ranByScripts(money))
          .as("the money bucket is neither counted nor created: %s", monitor.lines(money))
          .isZero();
    }
  }

  @Test
  void aRedisThatForgotTheScriptIsSentItAgain() {
    try (PasswordProtectedRedis redis = new PasswordProtectedRedis("script-" + UUID.randomUUID());
        RateLimiter limiter =
            new RateLimiter(
                LIMITS,
                new RedisEndpoint(
                    RedisURI.builder()
                        .withHost("127.0.0.1")
                        .withPort(redis.port())
                        .withPassword(redis.password().toCharArray())
                        .build(),
                    null),
                namespace(),
                new SimpleMeterRegistry())) {
      connected(limiter);
      String user = UUID.randomUUID().toString();
      consume(limiter, MONEY, user)
          .map(RateDecision::remaining)
          .as(StepVerifier::create)
          .expectNext(1L)
          .verifyComplete();

      redis.flushScripts();

      consume(limiter, MONEY, user)
          .concatWith(consume(limiter, MONEY, user))
          .map(RateDecision::allowed)
          .as(StepVerifier::create)
          .expectNext(true, false)
          .verifyComplete();
    }
  }

  @Test
  void withRedisDownAMoneyRequestStillTakesFromBothBucketsLocally() throws IOException {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (RateLimiter limiter =
        new RateLimiter(
            LIMITS, RedisEndpoint.standalone(REDIS_HOST, closedPort()), namespace(), meters)) {
      String user = UUID.randomUUID().toString();

      Flux.range(0, 3)
          .concatMap(i -> consume(limiter, MONEY, user))
          .concatWith(consume(limiter, RateLimit.API_PER_USER, user))
          .map(decision -> decision.name().limitName() + " " + decision.allowed())
          .as(StepVerifier::create)
          .expectNext(
              "money_per_user true",
              "money_per_user true",
              "money_per_user false",
              "api_per_user true")
          .expectComplete()
          .verify(Duration.ofSeconds(5));
    }
    assertThat(meters.get("paystream.rate.limit.local").counter().count()).isEqualTo(4);
  }

  @Test
  void eachKeyHasItsOwnBucket() {
    try (RateLimiter limiter = limiter(REDIS_PORT, namespace())) {
      connected(limiter);
      String spent = "10.0.0.1";
      Flux.range(0, 4)
          .concatMap(i -> consume(limiter, RateLimit.LOGIN_PER_ADDRESS, spent))
          .then(consume(limiter, RateLimit.LOGIN_PER_ADDRESS, "10.0.0.2"))
          .map(RateDecision::allowed)
          .as(StepVerifier::create)
          .expectNext(true)
          .verifyComplete();
    }
  }

  @Test
  void withRedisDownLoginLimitsStillApplyPerInstanceAndAnswerQuickly() throws IOException {
    try (RateLimiter limiter = limiter(closedPort(), namespace())) {
      limiter.connect().as(StepVerifier::create).expectNext(false).verifyComplete();
      String email = "offline-" + UUID.randomUUID() + "@example.com";

      Flux.range(0, 4)
          .concatMap(i -> consume(limiter, RateLimit.LOGIN_PER_EMAIL, email))
          .map(RateDecision::allowed)
          .as(StepVerifier::create)
          .expectNext(true, true, true, false)
          .expectComplete()
          .verify(Duration.ofSeconds(5));
      assertThat(limiter.shared()).isFalse();
    }
  }

  @Test
  void withRedisDownEveryOtherLimitKeepsServingWithinItsLimit() throws IOException {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (RateLimiter limiter =
        new RateLimiter(
            LIMITS, RedisEndpoint.standalone(REDIS_HOST, closedPort()), namespace(), meters)) {
      String user = UUID.randomUUID().toString();

      Flux.range(0, 6)
          .concatMap(i -> consume(limiter, RateLimit.API_PER_USER, user))
          .map(RateDecision::allowed)
          .as(StepVerifier::create)
          .expectNext(true, true, true, true, true, false)
          .expectComplete()
          .verify(Duration.ofSeconds(5));
    }
    // Each of the six was decided locally, and counted so for the operator.
    assertThat(meters.get("paystream.rate.limit.local").counter().count()).isEqualTo(6);
  }

  @Test
  void whenRedisGoesAwayWhileRunningTheLimiterAnswersLocallyAndQuickly() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (RedisOutage redis = new RedisOutage(REDIS_HOST, REDIS_PORT);
        RateLimiter limiter =
            new RateLimiter(
                LIMITS, RedisEndpoint.standalone(REDIS_HOST, redis.port()), namespace(), meters)) {
      connected(limiter);
      String email = "outage-" + UUID.randomUUID() + "@example.com";
      consume(limiter, RateLimit.LOGIN_PER_EMAIL, email)
          .map(RateDecision::allowed)
          .as(StepVerifier::create)
          .expectNext(true)
          .verifyComplete();
      assertThat(meters.get("paystream.rate.limit.local").counter().count()).isZero();

      redis.cut();

      // The bucket starts afresh locally: three more attempts, then refused.
      Flux.range(0, 4)
          .concatMap(i -> consume(limiter, RateLimit.LOGIN_PER_EMAIL, email))
          .map(RateDecision::allowed)
          .as(StepVerifier::create)
          .expectNext(true, true, true, false)
          .expectComplete()
          .verify(Duration.ofSeconds(5));
      assertThat(meters.get("paystream.rate.limit.local").counter().count()).isEqualTo(4);
    }
  }

  @Test
  void emailsAndAddressesAreHashedBeforeTheyBecomeRedisKeys() {
    String email = "someone@example.com";

    assertThat(RateLimiter.hash(email))
        .hasSize(32)
        .doesNotContain("someone")
        .isEqualTo(RateLimiter.hash(email))
        .isNotEqualTo(RateLimiter.hash("someone@example.org"));
  }

  private static RateLimiter limiter(int port, String namespace) {
    return new RateLimiter(
        LIMITS, RedisEndpoint.standalone(REDIS_HOST, port), namespace, new SimpleMeterRegistry());
  }

  private static void connected(RateLimiter limiter) {
    limiter.connect().as(StepVerifier::create).expectNext(true).verifyComplete();
  }

  /** Runs the call where a request would: on a non-blocking thread (BlockHound watches it). */
  private static Mono<RateDecision> consume(RateLimiter limiter, RateLimit limit, String key) {
    return consume(limiter, List.of(limit), key);
  }

  private static Mono<RateDecision> consume(
      RateLimiter limiter, List<RateLimit> limits, String key) {
    return Mono.defer(() -> limiter.consume(limits, key)).subscribeOn(Schedulers.parallel());
  }

  private static String namespace() {
    return "paystream-test:" + UUID.randomUUID() + ":";
  }

  /** A port nothing listens on: bound, then released. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
