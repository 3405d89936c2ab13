package io.paystream.api.platform;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Redis through Lettuce, connected at start-up rather than on the first request. */
@Configuration(proxyBeanMethods = false)
public class RedisConfiguration {

  /**
   * A lazily initialised Lettuce factory opens its connection on first use, synchronously, on
   * whichever thread asks: an event loop serving the first readiness probe (DESIGN.md).
   */
  @Bean
  static BeanPostProcessor eagerLettuce() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String name) {
        if (bean instanceof LettuceConnectionFactory lettuce) {
          lettuce.setEagerInitialization(true);
        }
        return bean;
      }
    };
  }
}
