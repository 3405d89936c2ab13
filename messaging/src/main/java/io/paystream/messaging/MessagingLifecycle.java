package io.paystream.messaging;

import io.paystream.messaging.credit.CreditLegConsumer;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.messaging.relay.OutboxNotifications;
import io.paystream.messaging.relay.OutboxRelay;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Starts the relay and the credit-leg consumer once the application context is up (Flyway has
 * migrated by then), and stops them before the connection pools close. Both are infinite
 * streams; an error restarts them with backoff rather than leaving the instance half-alive.
 */
@Component
@ConditionalOnProperty(name = "paystream.messaging.enabled", havingValue = "true",
    matchIfMissing = true)
public class MessagingLifecycle implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MessagingLifecycle.class);

  private final KafkaAdmin admin;
  private final OutboxRelay relay;
  private final OutboxNotifications notifications;
  private final CreditLegConsumer consumer;
  private final MessagingProperties properties;
  private volatile Disposable running;

  public MessagingLifecycle(KafkaAdmin admin, OutboxRelay relay,
      OutboxNotifications notifications, CreditLegConsumer consumer,
      MessagingProperties properties) {
    this.admin = admin;
    this.relay = relay;
    this.notifications = notifications;
    this.consumer = consumer;
    this.properties = properties;
  }

  @Override
  public void start() {
    Flux<Object> wakeUps = Flux.merge(notifications.listen(),
        Flux.interval(Duration.ZERO, properties.outboxPollInterval()));
    Mono<Void> topics = admin.createTopics()
        .doOnError(error -> log.warn("creating Kafka topics failed, retrying: {}", error.toString()))
        .retryWhen(restart());
    running = topics.thenMany(Flux.merge(
            relay.run(wakeUps).retryWhen(restart()),
            consumer.run()
                .doOnError(error -> log.error("credit-leg consumer stopped, restarting", error))
                .retryWhen(restart())))
        .subscribe(null, error -> log.error("messaging stopped", error));
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

  /** After the web server (phase below), before the pools are closed. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2048;
  }
}
