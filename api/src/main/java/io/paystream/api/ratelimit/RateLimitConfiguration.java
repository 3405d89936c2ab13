package io.paystream.api.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.api.platform.RedisEndpoint;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shared rate limiter, on the same Redis as the rest of the application. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitConfiguration {

  /**
   * On the Redis of {@code spring.data.redis.*} as Boot reads it (URL, password, database, TLS,
   * Sentinel), not host and port alone: a limiter that cannot log in answers from its local
   * buckets, and every limit silently becomes per instance.
   */
  @Bean(destroyMethod = "close")
  RateLimiter rateLimiter(
      RateLimitProperties properties,
      DataRedisConnectionDetails redis,
      DataRedisProperties redisProperties,
      MeterRegistry meters) {
    return new RateLimiter(
        properties, RedisEndpoint.from(redis, redisProperties), properties.keyPrefix(), meters);
  }

  /** Connect once the application is up (not in a constructor), without holding start-up. */
  @Bean
  ApplicationListener<ApplicationReadyEvent> connectRateLimiter(RateLimiter limiter) {
    return ready -> limiter.connect().subscribe();
  }
}
