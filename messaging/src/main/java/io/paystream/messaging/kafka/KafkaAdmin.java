package io.paystream.messaging.kafka;

import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  private static final Logger log = LoggerFactory.getLogger(KafkaAdmin.class);

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

  /**
   * Creates the event and dead-letter topics with {@code topicReplicationFactor} replicas and
   * {@code min.insync.replicas} = {@code topicMinInsyncReplicas}, then checks the ones that already
   * existed against those settings (see {@link TopicReplication}). That check only warns or
   * adjusts: a failure of it is logged and does not hold back the consumers.
   */
  public Mono<Void> createTopics() {
    short replicationFactor = (short) properties.topicReplicationFactor();
    Map<String, String> config =
        Map.of(
            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
            String.valueOf(properties.topicMinInsyncReplicas()));
    List<NewTopic> topics =
        List.of(
            new NewTopic(Topics.EVENTS, properties.topicPartitions(), replicationFactor)
                .configs(config),
            new NewTopic(Topics.EVENTS_DEAD_LETTER, 1, replicationFactor).configs(config));
    return Mono.fromCallable(this::admin)
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            client ->
                create(client, topics)
                    .then(
                        new TopicReplication(client, properties)
                            .reconcile(topics.stream().map(NewTopic::name).toList())
                            .onErrorResume(
                                error -> {
                                  log.warn(
                                      "checking the Kafka topics' replication failed: {}",
                                      error.toString());
                                  return Mono.empty();
                                })));
  }

  /** Creates the topics; one that exists already is not an error. */
  private static Mono<Void> create(Admin client, List<NewTopic> topics) {
    return Mono.fromFuture(
            client.createTopics(topics).values().values().stream()
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
                .orElseThrow())
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
