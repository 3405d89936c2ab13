package io.paystream.api.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shared rate limiter, on the same Redis as the rest of the application. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitConfiguration {

  @Bean(destroyMethod = "close")
  RateLimiter rateLimiter(
      RateLimitProperties properties, DataRedisProperties redis, MeterRegistry meters) {
    return new RateLimiter(
        properties, redis.getHost(), redis.getPort(), properties.keyPrefix(), meters);
  }

  /** Connect once the application is up (not in a constructor), without holding start-up. */
  @Bean
  ApplicationListener<ApplicationReadyEvent> connectRateLimiter(RateLimiter limiter) {
    return ready -> limiter.connect().subscribe();
  }
}
