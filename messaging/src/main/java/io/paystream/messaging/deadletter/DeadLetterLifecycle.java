package io.paystream.messaging.deadletter;

import io.paystream.messaging.kafka.KafkaAdmin;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Starts copying dead letters into PostgreSQL with the rest of messaging (same switch, same
 * phase), and stops before the pools close. An error restarts it with backoff.
 */
@Component
@ConditionalOnProperty(name = "paystream.messaging.enabled", havingValue = "true",
    matchIfMissing = true)
public class DeadLetterLifecycle implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterLifecycle.class);

  private final KafkaAdmin admin;
  private final DeadLetters deadLetters;
  private volatile Disposable running;

  public DeadLetterLifecycle(KafkaAdmin admin, DeadLetters deadLetters) {
    this.admin = admin;
    this.deadLetters = deadLetters;
  }

  @Override
  public void start() {
    // Topic creation is idempotent; waiting for it keeps the consumer from subscribing too early.
    Mono<Void> topics = admin.createTopics().retryWhen(restart());
    running = topics.thenMany(deadLetters.record()
            .doOnError(error -> log.error("dead-letter copy stopped, restarting", error))
            .retryWhen(restart()))
        .subscribe(null, error -> log.error("dead-letter copy stopped", error));
  }

  private static Retry restart() {
    return Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(30))
        .jitter(0.5);
  }

  @Override
  public void stop() {
    Disposable current = running;
    if (current != null) {
      current.dispose();
    }
    running = null;
  }

  @Override
  public boolean isRunning() {
    return running != null && !running.isDisposed();
  }

  /** The same phase as the relay and the credit leg. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2048;
  }
}
