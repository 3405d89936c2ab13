package io.paystream.messaging.deadletter;

import io.paystream.messaging.BackgroundStreams;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.KafkaAdmin;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Starts copying dead letters into PostgreSQL with the rest of messaging (same switch, same phase),
 * and stops before the pools close. An error restarts it with backoff.
 */
@Component
@ConditionalOnProperty(
    name = "paystream.messaging.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class DeadLetterLifecycle extends BackgroundStreams {

  private final DeadLetters deadLetters;

  public DeadLetterLifecycle(
      KafkaAdmin admin, MessagingProperties messaging, DeadLetters deadLetters) {
    super(admin, messaging);
    this.deadLetters = deadLetters;
  }

  @Override
  protected Map<String, Flux<?>> streams() {
    return Map.of("dead-letter copy", deadLetters.record());
  }
}
