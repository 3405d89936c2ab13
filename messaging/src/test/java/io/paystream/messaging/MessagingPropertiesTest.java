package io.paystream.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The Kafka limits as Spring binds them at start-up: defaults in range, anything else refused. */
class MessagingPropertiesTest {

  static MessagingProperties bind(Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("paystream.kafka", MessagingProperties.class);
  }

  @Test
  void theDefaultsBindAndNameTheLimitsTheConsumersUse() {
    MessagingProperties defaults = bind(Map.of());

    assertThat(defaults.consumerPollRecordsMax()).isEqualTo(200);
    assertThat(defaults.producerInFlightRequestsMax()).isEqualTo(5);
    assertThat(defaults.adminApiTimeoutMillis())
        .isGreaterThanOrEqualTo(defaults.adminRequestTimeoutMillis());
    assertThat(defaults.streamRestartBackoffMax()).hasSeconds(30);
  }

  @Test
  void aPollOfNoRecordsStopsStartUpNamingTheProperty() {
    assertThatThrownBy(() -> bind(Map.of("paystream.kafka.consumer-poll-records-max", "0")))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("paystream.kafka.consumer-poll-records-max")
        .hasMessageContaining("was 0");
  }

  @Test
  void moreThanFiveRequestsInFlightAreRefusedBecauseTheyWouldReorderAPartition() {
    assertThatThrownBy(() -> bind(Map.of("paystream.kafka.producer-in-flight-requests-max", "6")))
        .rootCause()
        .hasMessageContaining("paystream.kafka.producer-in-flight-requests-max");
  }

  @Test
  void aBackoffCeilingBelowItsFloorIsRefused() {
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "paystream.kafka.stream-restart-backoff-min-millis", "5000",
                        "paystream.kafka.stream-restart-backoff-max-millis", "1000")))
        .rootCause()
        .hasMessageContaining("paystream.kafka.stream-restart-backoff-max-millis")
        .hasMessageContaining("between 5000 and");
  }

  @Test
  void anAdminCallDeadlineShorterThanOneRequestIsRefused() {
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "paystream.kafka.admin-request-timeout-millis", "5000",
                        "paystream.kafka.admin-api-timeout-millis", "4000")))
        .rootCause()
        .hasMessageContaining("paystream.kafka.admin-api-timeout-millis");
  }

  @Test
  void aBlankConsumerGroupIsRefused() {
    assertThatThrownBy(() -> bind(Map.of("paystream.kafka.consumer-group", " ")))
        .rootCause()
        .hasMessageContaining("paystream.kafka.consumer-group");
  }

  @Test
  void aSingleBrokerNeedsNoReplicationSettingsAndTheProducerRidesThroughALeaderChange() {
    MessagingProperties defaults = bind(Map.of());

    assertThat(defaults.topicReplicationFactor()).isEqualTo(1);
    assertThat(defaults.topicMinInsyncReplicas()).isEqualTo(1);
    // A leader election after a broker's loss takes seconds; a send's deadline is a minute.
    assertThat(defaults.producerDeliveryTimeoutMillis())
        .isGreaterThanOrEqualTo(
            defaults.producerRequestTimeoutMillis() + defaults.producerLingerMillis());
  }

  @Test
  void aKilledInstancesPartitionsMoveWithinTheSessionTimeoutAndHeartbeatsGoEveryThird() {
    Map<String, Object> consumer =
        MessagingConfiguration.consumerConfig(
            bind(Map.of("paystream.kafka.consumer-session-timeout-millis", "9000")), "group");

    assertThat(bind(Map.of()).consumerSessionTimeoutMillis()).isEqualTo(10_000);
    assertThat(consumer)
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 9000)
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3000);
  }

  @Test
  void aSessionTimeoutTheBrokerWouldRefuseIsRefusedAtStart() {
    assertThatThrownBy(
            () -> bind(Map.of("paystream.kafka.consumer-session-timeout-millis", "5999")))
        .rootCause()
        .hasMessageContaining("paystream.kafka.consumer-session-timeout-millis");
  }

  @Test
  void aClusterOfThreeBindsWithTwoInSyncReplicas() {
    MessagingProperties cluster =
        bind(
            Map.of(
                "paystream.kafka.topic-replication-factor", "3",
                "paystream.kafka.topic-min-insync-replicas", "2"));

    assertThat(cluster.topicReplicationFactor()).isEqualTo(3);
    assertThat(cluster.topicMinInsyncReplicas()).isEqualTo(2);
  }

  @Test
  void moreInSyncReplicasThanReplicasAreRefusedNamingBothProperties() {
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "paystream.kafka.topic-replication-factor", "2",
                        "paystream.kafka.topic-min-insync-replicas", "3")))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("paystream.kafka.topic-min-insync-replicas (3)")
        .hasMessageContaining("paystream.kafka.topic-replication-factor (2)");
  }

  @Test
  void aReplicationFactorOutsideOneToFiveIsRefused() {
    assertThatThrownBy(() -> bind(Map.of("paystream.kafka.topic-replication-factor", "0")))
        .rootCause()
        .hasMessageContaining("paystream.kafka.topic-replication-factor")
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> bind(Map.of("paystream.kafka.topic-replication-factor", "6")))
        .rootCause()
        .hasMessageContaining("paystream.kafka.topic-replication-factor")
        .hasMessageContaining("was 6");
  }

  @Test
  void aDeliveryDeadlineShorterThanOneRequestIsRefusedAsKafkaWouldAtItsFirstSend() {
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "paystream.kafka.producer-request-timeout-millis", "15000",
                        "paystream.kafka.producer-delivery-timeout-millis", "10000")))
        .rootCause()
        .hasMessageContaining("paystream.kafka.producer-delivery-timeout-millis");
  }
}
