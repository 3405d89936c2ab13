package io.paystream.api.platform;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/** Redis through Lettuce, connected at start-up rather than on the first request. */
@Configuration(proxyBeanMethods = false)
public class RedisConfiguration {

  private static final Logger log = LoggerFactory.getLogger(RedisConfiguration.class);

  /**
   * A lazily initialised Lettuce factory opens its connection on first use, synchronously, on
   * whichever thread asks: an event loop serving the first readiness probe (DESIGN.md). So the
   * shared connection is opened here, on the start-up thread. Lettuce's own eager initialisation
   * would do the same but fail the whole start-up when Redis is unreachable; Redis is a cache and a
   * rate-limit store here, so the instance starts (not ready) and keeps connecting from a
   * bounded-elastic thread until Redis answers. Once connected, Lettuce reconnects by itself.
   */
  @Bean
  static BeanPostProcessor eagerLettuce() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String name) {
        if (bean instanceof LettuceConnectionFactory lettuce) {
          lettuce.setEagerInitialization(false);
        }
        return bean;
      }

      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof LettuceConnectionFactory lettuce) {
          try {
            lettuce.initConnection();
          } catch (RuntimeException unreachable) {
            log.warn(
                "Redis unreachable at start-up, connecting in the background: {}",
                unreachable.toString());
            Mono.fromRunnable(lettuce::initConnection)
                .subscribeOn(Schedulers.boundedElastic())
                // Until connected, or until the factory stops with its application context.
                .retryWhen(
                    Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500))
                        .maxBackoff(Duration.ofSeconds(10))
                        .filter(error -> lettuce.isRunning()))
                .subscribe(
                    null, error -> log.info("stopped connecting to Redis: {}", error.toString()));
          }
        }
        return bean;
      }
    };
  }
}
