package io.paystream.messaging.webhook;

import io.paystream.messaging.BackgroundStreams;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.KafkaAdmin;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Starts the webhook fan-out consumer and the delivery worker with the rest of messaging (same
 * switch, same phase), and stops them before the pools close. An error restarts them with backoff.
 */
@Component
@ConditionalOnProperty(
    name = "paystream.messaging.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class WebhookLifecycle extends BackgroundStreams {

  private final WebhookFanOut fanOut;
  private final WebhookSender sender;

  public WebhookLifecycle(
      KafkaAdmin admin, MessagingProperties messaging, WebhookFanOut fanOut, WebhookSender sender) {
    super(admin, messaging);
    this.fanOut = fanOut;
    this.sender = sender;
  }

  @Override
  protected Map<String, Flux<?>> streams() {
    return Map.of("webhook fan-out", fanOut.run(), "webhook delivery", sender.run());
  }
}
