package io.paystream.messaging;

import io.paystream.messaging.kafka.KafkaAdmin;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Keeps a few infinite streams (consumers, sweeps, relays) running for the life of the application:
 * started once the context is up (Flyway has migrated by then) and the Kafka topics exist, stopped
 * before the connection pools close. A stream that fails is restarted with backoff, so an outage of
 * Kafka or PostgreSQL never leaves the instance half-alive.
 *
 * <p>This restart is the module's one retry without a limit on attempts. Giving up here would leave
 * a consumer, the relay or a sweep stopped until the process restarts, and nothing else would start
 * it again. Every retry inside a stream is bounded; a stream whose retries run out fails into this
 * one (a consumer restarted this way resumes from its last committed offset, so Kafka redelivers
 * what was not acknowledged). Each failure is logged once, when it happens, so the log rate is
 * bounded by the restart delay.
 */
public abstract class BackgroundStreams implements SmartLifecycle {

  /** After the web server, before the pools: every background stream shares this phase. */
  public static final int PHASE = Integer.MAX_VALUE - 2048;

  private final Logger log = LoggerFactory.getLogger(getClass());
  private final KafkaAdmin admin;
  private final MessagingProperties properties;
  private volatile Disposable running;

  protected BackgroundStreams(KafkaAdmin admin, MessagingProperties properties) {
    this.admin = admin;
    this.properties = properties;
  }

  /** The streams to keep running, by a name for the logs; called once per start. */
  protected abstract Map<String, Flux<?>> streams();

  @Override
  public void start() {
    // Topic creation is idempotent; waiting for it keeps consumers from subscribing too early.
    Mono<Void> topics =
        admin
            .createTopics()
            .doOnError(
                error -> log.warn("creating Kafka topics failed, retrying: {}", error.toString()))
            .retryWhen(restart());
    List<Flux<?>> restarting =
        streams().entrySet().stream()
            .<Flux<?>>map(
                stream ->
                    stream
                        .getValue()
                        .doOnError(
                            error -> log.error("{} stopped, restarting", stream.getKey(), error))
                        .retryWhen(restart()))
            .toList();
    running =
        topics
            .thenMany(Flux.merge(restarting))
            .subscribe(null, error -> log.error("background streams stopped", error));
  }

  /**
   * From {@code streamRestartBackoffMinMillis}, doubling to {@code streamRestartBackoffMaxMillis}
   * while the stream keeps failing without emitting anything. A stream that made progress since its
   * last failure starts again from the minimum: an outage days after the previous one is not
   * answered with the ceiling's delay.
   */
  private Retry restart() {
    return Retry.backoff(Long.MAX_VALUE, properties.streamRestartBackoffMin())
        .maxBackoff(properties.streamRestartBackoffMax())
        .jitter(MessagingProperties.RETRY_JITTER)
        .transientErrors(true);
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

  @Override
  public int getPhase() {
    return PHASE;
  }
}
