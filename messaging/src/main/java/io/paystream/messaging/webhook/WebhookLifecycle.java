package io.paystream.messaging.webhook;

import io.paystream.messaging.kafka.KafkaAdmin;
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
 * Starts the webhook fan-out consumer and the delivery worker with the rest of messaging (same
 * switch, same phase), and stops them before the pools close. An error restarts them with backoff.
 */
@Component
@ConditionalOnProperty(name = "paystream.messaging.enabled", havingValue = "true",
    matchIfMissing = true)
public class WebhookLifecycle implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WebhookLifecycle.class);

  private final KafkaAdmin admin;
  private final WebhookFanOut fanOut;
  private final WebhookSender sender;
  private volatile Disposable running;

  public WebhookLifecycle(KafkaAdmin admin, WebhookFanOut fanOut, WebhookSender sender) {
    this.admin = admin;
    this.fanOut = fanOut;
    this.sender = sender;
  }

  @Override
  public void start() {
    // Topic creation is idempotent; waiting for it keeps the consumer from subscribing too early.
    Mono<Void> topics = admin.createTopics().retryWhen(restart());
    running = topics.thenMany(Flux.merge(
            fanOut.run()
                .doOnError(error -> log.error("webhook fan-out stopped, restarting", error))
                .retryWhen(restart()),
            sender.run()
                .doOnError(error -> log.error("webhook delivery stopped, restarting", error))
                .retryWhen(restart())))
        .subscribe(null, error -> log.error("webhooks stopped", error));
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
