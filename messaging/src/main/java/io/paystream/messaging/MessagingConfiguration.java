package io.paystream.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.persistence.PersistenceConfiguration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import reactor.kafka.receiver.MicrometerConsumerListener;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.MicrometerProducerListener;
import reactor.kafka.sender.SenderOptions;

/** Kafka clients for the relay and the consumers, configured from {@link MessagingProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MessagingProperties.class)
@Import(PersistenceConfiguration.class)
@ComponentScan
public class MessagingConfiguration {

  /**
   * Idempotent producer with {@code acks=all}: a retried send never duplicates or reorders a
   * message within a partition, and an acknowledged one is on {@code topicMinInsyncReplicas}
   * brokers, so it survives the loss of a broker. A leader change (a broker lost or restarted) is
   * ridden through by Kafka's own retries, which are bounded by {@code
   * producerDeliveryTimeoutMillis}, not by a count. The producer's own metrics (sends, errors,
   * retries, batch sizes) are published as {@code kafka_producer_*}.
   */
  @Bean(destroyMethod = "close")
  public KafkaSender<String, String> kafkaSender(
      MessagingProperties properties, MeterRegistry meters) {
    Map<String, Object> config =
        Map.ofEntries(
            Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers()),
            Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
            Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
            Map.entry(
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                properties.producerInFlightRequestsMax()),
            Map.entry(ProducerConfig.LINGER_MS_CONFIG, properties.producerLingerMillis()),
            Map.entry(
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                properties.producerRequestTimeoutMillis()),
            Map.entry(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                properties.producerDeliveryTimeoutMillis()),
            Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class),
            Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    return KafkaSender.create(
        SenderOptions.<String, String>create(config)
            .maxInFlight(properties.outboxBatchSizeMax())
            .producerListener(new MicrometerProducerListener(meters)));
  }

  /**
   * A consumer of {@code group} that commits only what it acknowledged, reads only committed
   * transactions, and takes {@code consumerPollRecordsMax} records per poll unless the caller sets
   * its own.
   */
  public static Map<String, Object> consumerConfig(MessagingProperties properties, String group) {
    return Map.ofEntries(
        Map.entry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers()),
        Map.entry(ConsumerConfig.GROUP_ID_CONFIG, group),
        Map.entry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        Map.entry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        Map.entry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.consumerPollRecordsMax()),
        Map.entry(
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, properties.consumerSessionTimeoutMillis()),
        // Kafka's advice: at most a third of the session, so two lost heartbeats are survived.
        Map.entry(
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
            properties.consumerSessionTimeoutMillis() / 3),
        Map.entry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class),
        Map.entry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
  }

  /**
   * Receiver options over {@code config} whose consumer publishes its own metrics (fetch rates and
   * latencies, records lag, commit rates, rebalances) as {@code kafka_consumer_*}, tagged with its
   * client id, as the producer's are.
   */
  public static ReceiverOptions<String, String> receiverOptions(
      Map<String, Object> config, MeterRegistry meters) {
    return ReceiverOptions.<String, String>create(config)
        .consumerListener(new MicrometerConsumerListener(meters));
  }

  public static Map<String, Object> adminConfig(MessagingProperties properties) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, properties.adminRequestTimeoutMillis(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, properties.adminApiTimeoutMillis());
  }
}
