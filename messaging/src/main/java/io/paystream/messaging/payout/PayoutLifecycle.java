package io.paystream.messaging.payout;

import io.paystream.messaging.BackgroundStreams;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.KafkaAdmin;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Starts the payout-leg consumer and the recovery sweep with the rest of messaging (same switch,
 * same phase), and stops them before the pools close. Both are infinite; an error restarts them
 * with backoff.
 */
@Component
@ConditionalOnProperty(
    name = "paystream.messaging.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class PayoutLifecycle extends BackgroundStreams {

  private final PayoutLegConsumer consumer;
  private final PayoutRecovery recovery;

  public PayoutLifecycle(
      KafkaAdmin admin,
      MessagingProperties messaging,
      PayoutLegConsumer consumer,
      PayoutRecovery recovery) {
    super(admin, messaging);
    this.consumer = consumer;
    this.recovery = recovery;
  }

  @Override
  protected Map<String, Flux<?>> streams() {
    return Map.of("payout-leg consumer", consumer.run(), "payout recovery", recovery.run());
  }
}
