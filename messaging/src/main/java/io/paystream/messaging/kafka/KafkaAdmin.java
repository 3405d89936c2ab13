package io.paystream.messaging.kafka;

import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Kafka admin client: creates the topics before the relay and consumers start, and answers the
 * readiness probe. Its futures complete on the client's own thread, never a Netty one.
 */
@Component
public class KafkaAdmin implements DisposableBean {

  private final MessagingProperties properties;
  private volatile Admin admin;

  public KafkaAdmin(MessagingProperties properties) {
    this.properties = properties;
  }

  private Admin admin() {
    Admin current = admin;
    if (current == null) {
      synchronized (this) {
        if (admin == null) {
          admin = Admin.create(MessagingConfiguration.adminConfig(properties));
        }
        current = admin;
      }
    }
    return current;
  }

  /** Creates the event and dead-letter topics; existing ones are left as they are. */
  public Mono<Void> createTopics() {
    List<NewTopic> topics =
        List.of(
            new NewTopic(Topics.EVENTS, properties.topicPartitions(), (short) 1),
            new NewTopic(Topics.EVENTS_DEAD_LETTER, 1, (short) 1));
    return Mono.fromCallable(() -> admin().createTopics(topics))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMapMany(
            result ->
                Mono.fromFuture(
                    result.values().values().stream()
                        .map(
                            future ->
                                future
                                    .toCompletionStage()
                                    .toCompletableFuture()
                                    .exceptionally(
                                        error ->
                                            error.getCause() instanceof TopicExistsException
                                                    || error instanceof TopicExistsException
                                                ? null
                                                : rethrow(error)))
                        .reduce((a, b) -> a.thenCombine(b, (x, y) -> null))
                        .orElseThrow()))
        .then();
  }

  /**
   * Completes with the cluster id when a broker answers within {@code healthProbeTimeoutMillis}.
   */
  public Mono<String> clusterId() {
    return Mono.fromCallable(() -> admin().describeCluster().clusterId())
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(future -> Mono.fromFuture(future.toCompletionStage().toCompletableFuture()))
        .timeout(properties.healthProbeTimeout());
  }

  private static Void rethrow(Throwable error) {
    throw error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error);
  }

  @Override
  public void destroy() {
    Admin current = admin;
    if (current != null) {
      current.close(properties.adminCloseTimeout());
    }
  }
}
