package io.paystream.messaging.webhook;

import io.paystream.messaging.BackgroundStreams;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.KafkaAdmin;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Starts the webhook delivery worker with the rest of messaging (same switch, same phase), and
 * stops it before the pools close. An error restarts it with backoff. (Deliveries are queued by the
 * credit leg's pass, in the transaction that sequences their events.)
 */
@Component
@ConditionalOnProperty(
    name = "paystream.messaging.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class WebhookLifecycle extends BackgroundStreams {

  private final WebhookSender sender;

  public WebhookLifecycle(KafkaAdmin admin, MessagingProperties messaging, WebhookSender sender) {
    super(admin, messaging);
    this.sender = sender;
  }

  @Override
  protected Map<String, Flux<?>> streams() {
    return Map.of("webhook delivery", sender.run());
  }
}
