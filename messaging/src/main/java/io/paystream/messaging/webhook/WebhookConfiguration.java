package io.paystream.messaging.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.UndecodableEvents;
import io.paystream.messaging.secrets.SecretSealer;
import io.paystream.persistence.outbox.EventEnvelope;
import io.paystream.persistence.webhook.WebhookStore;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks: the fan-out consumer, the delivery worker and the URL guard. Signing secrets are sealed
 * at rest by the {@link SecretSealer} (bound to the endpoint id) under a key of their own, derived
 * from the one key operators manage for every secret customers give or get.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookConfiguration {

  @Bean
  public WebhookUrlGuard webhookUrlGuard(WebhookProperties properties) {
    return new WebhookUrlGuard(properties.allowLoopback(), properties.allowPrivate());
  }

  @Bean
  public WebhookFanOut webhookFanOut(
      WebhookStore store,
      MessagingProperties messaging,
      WebhookProperties properties,
      EventEnvelope envelope,
      UndecodableEvents undecodable,
      JsonMapper json,
      Clock clock,
      MeterRegistry meters) {
    return new WebhookFanOut(
        store, messaging, properties, envelope, undecodable, json, clock, meters);
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
