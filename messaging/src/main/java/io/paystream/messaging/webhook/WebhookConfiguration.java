package io.paystream.messaging.webhook;

import io.paystream.messaging.secrets.SecretSealer;
import io.paystream.persistence.webhook.WebhookStore;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Webhooks: the delivery queue (filled by the credit leg's pass), the delivery worker and the URL
 * guard. Signing secrets are sealed at rest by the {@link SecretSealer} (bound to the endpoint id)
 * under a key of their own, derived from the one key operators manage for every secret customers
 * give or get.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookConfiguration {

  @Bean
  public WebhookUrlGuard webhookUrlGuard(WebhookProperties properties) {
    return new WebhookUrlGuard(properties.allowLoopback(), properties.allowPrivate());
  }

  @Bean
  public WebhookQueue webhookQueue(WebhookStore store, WebhookProperties properties, Clock clock) {
    return new WebhookQueue(store, properties, clock);
  }

  @Bean
  public WebhookSender webhookSender(
      WebhookStore store,
      SecretSealer sealer,
      WebhookUrlGuard guard,
      WebhookProperties properties,
      Clock clock) {
    return new WebhookSender(store, sealer, guard, properties, clock);
  }
}
