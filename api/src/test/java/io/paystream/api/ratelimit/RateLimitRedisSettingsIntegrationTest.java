package io.paystream.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The rate limiter finds Redis the way the rest of the application does, through {@code
 * spring.data.redis.*} as Spring Boot reads it. Against a Redis of the test's own that needs a
 * password, two limiters configured by Boot's auto-configuration (one by host, port, password and
 * database; one by URL) stand for two instances: they must share one bucket in that database. A
 * limiter that ignored the password could not log in and would answer from its own buckets, so each
 * instance would allow the whole limit.
 */
class RateLimitRedisSettingsIntegrationTest {

  private static final PasswordProtectedRedis REDIS =
      new PasswordProtectedRedis("rate-limit-test-" + UUID.randomUUID());

  /** Not 0, the default: a limiter that ignored the database would write where this test looks. */
  private static final int DATABASE = 2;

  @AfterAll
  static void stopRedis() {
    REDIS.close();
  }

  @Test
  void instancesShareBucketsOnARedisThatNeedsAPasswordAndADatabase() {
    String keyPrefix = "paystream:rate:settings-test:" + UUID.randomUUID() + ":";
    instance(
            keyPrefix,
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + REDIS.port(),
            "spring.data.redis.password=" + REDIS.password(),
            "spring.data.redis.database=" + DATABASE)
        .run(
            first ->
                instance(
                        keyPrefix,
                        "spring.data.redis.url=redis://:"
                            + REDIS.password()
                            + "@127.0.0.1:"
                            + REDIS.port()
                            + "/"
                            + DATABASE)
                    .run(
                        second -> {
                          RateLimiter one = first.getBean(RateLimiter.class);
                          RateLimiter other = second.getBean(RateLimiter.class);
                          connected(one);
                          connected(other);
                          String email = "shared-" + UUID.randomUUID() + "@example.com";

                          consume(one, email)
                              .concatWith(consume(other, email))
                              .concatWith(consume(one, email))
                              .concatWith(consume(other, email))
                              .map(RateDecision::allowed)
                              .as(StepVerifier::create)
                              .expectNext(true, true, true, false)
                              .verifyComplete();
                          assertThat(one.shared()).isTrue();
                          assertThat(other.shared()).isTrue();
                        }));
    assertThat(keys(DATABASE, keyPrefix)).hasSize(1);
    assertThat(keys(0, keyPrefix)).isEmpty();
  }

  private static ApplicationContextRunner instance(String keyPrefix, String... redisSettings) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
        .withUserConfiguration(RateLimitConfiguration.class, Meters.class)
        .withPropertyValues(
            "paystream.rate-limit.login-per-email=3",
            "paystream.rate-limit.key-prefix=" + keyPrefix,
            // Generous: on a machine busy with other builds a healthy Redis may take more than
            // the production 250 ms, and this test is about sharing, not latency.
            "paystream.rate-limit.redis-timeout-millis=2000")
        .withPropertyValues(redisSettings);
  }

  private static void connected(RateLimiter limiter) {
    limiter.connect().as(StepVerifier::create).expectNext(true).verifyComplete();
  }

  /** Runs the call where a request would: on a non-blocking thread (BlockHound watches it). */
  private static Mono<RateDecision> consume(RateLimiter limiter, String email) {
    return Mono.defer(() -> limiter.consume(RateLimit.LOGIN_PER_EMAIL, email))
        .subscribeOn(Schedulers.parallel());
  }

  /** Read on the test thread, with a plain client of the test's own. */
  private static List<String> keys(int database, String prefix) {
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(REDIS.port())
                .withPassword(REDIS.password())
                .withDatabase(database)
                .build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().keys(prefix + "*");
    } finally {
      client.shutdown();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Meters {

    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }
}
