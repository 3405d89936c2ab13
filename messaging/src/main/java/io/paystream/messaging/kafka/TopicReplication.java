package io.paystream.messaging.kafka;

import io.paystream.messaging.MessagingProperties;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Compares topics that already exist with the configured replication ({@code
 * paystream.kafka.topic-replication-factor} and {@code topic-min-insync-replicas}): a topic created
 * before the cluster grew, or by hand, keeps its settings, because creating an existing topic
 * changes nothing.
 *
 * <p>Fewer replicas than configured are reported, not repaired: Kafka cannot add replicas to a
 * partition without a reassignment an operator plans (which brokers, how much data moves). A
 * different {@code min.insync.replicas} is set to the configured value, which is safe: it changes
 * only which acknowledgements the producer waits for. Never above the topic's actual replicas,
 * though, since then no send could ever be acknowledged. Every finding is one WARN line naming the
 * topic and both values.
 */
final class TopicReplication {

  private static final Logger log = LoggerFactory.getLogger(TopicReplication.class);

  private final Admin admin;
  private final MessagingProperties properties;

  TopicReplication(Admin admin, MessagingProperties properties) {
    this.admin = admin;
    this.properties = properties;
  }

  /** Checks each topic, adjusting {@code min.insync.replicas} where safe; completes when done. */
  Mono<Void> reconcile(Collection<String> topics) {
    return mono(admin.describeTopics(topics).allTopicNames())
        .flatMapMany(descriptions -> Flux.fromIterable(descriptions.values()))
        .concatMap(this::reconcile)
        .then();
  }

  private Mono<Void> reconcile(TopicDescription topic) {
    int replicas = topic.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
    int wanted = properties.topicReplicationFactor();
    if (replicas < wanted) {
      log.warn(
          "Kafka topic {} has {} replica(s) per partition, fewer than"
              + " paystream.kafka.topic-replication-factor={}; Kafka cannot raise this"
              + " automatically: reassign its partitions (kafka-reassign-partitions.sh)",
          topic.name(),
          replicas,
          wanted);
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
    return mono(admin.describeConfigs(List.of(resource)).all())
        .flatMap(configs -> minInsyncReplicas(resource, configs.get(resource), replicas));
  }

  private Mono<Void> minInsyncReplicas(ConfigResource resource, Config config, int replicas) {
    ConfigEntry entry = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    String current = entry == null ? null : entry.value();
    String wanted = String.valueOf(properties.topicMinInsyncReplicas());
    if (wanted.equals(current)) {
      return Mono.empty();
    }
    if (properties.topicMinInsyncReplicas() > replicas) {
      log.warn(
          "Kafka topic {} has min.insync.replicas={}, paystream.kafka.topic-min-insync-replicas"
              + " asks for {}, but the topic has only {} replica(s); left unchanged, since no send"
              + " could be acknowledged",
          resource.name(),
          current,
          wanted,
          replicas);
      return Mono.empty();
    }
    log.warn(
        "Kafka topic {} has min.insync.replicas={}; setting it to {}"
            + " (paystream.kafka.topic-min-insync-replicas)",
        resource.name(),
        current,
        wanted);
    AlterConfigOp set =
        new AlterConfigOp(
            new ConfigEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, wanted),
            AlterConfigOp.OpType.SET);
    return mono(admin.incrementalAlterConfigs(Map.of(resource, List.of(set))).all());
  }

  private static <T> Mono<T> mono(KafkaFuture<T> future) {
    return Mono.fromFuture(future.toCompletionStage().toCompletableFuture());
  }
}
