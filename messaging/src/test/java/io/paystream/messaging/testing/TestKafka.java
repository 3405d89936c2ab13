package io.paystream.messaging.testing;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real Apache Kafka broker (KRaft) per test JVM, started in-process on first use (~2 s) and
 * stopped when the JVM exits. Not a mock: the same kafka-clients the app uses talk to it over TCP.
 */
public final class TestKafka {

  private static volatile EmbeddedKafkaKraftBroker broker;

  private TestKafka() {}

  public static synchronized String bootstrapServers() {
    if (broker == null) {
      EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 6);
      // A single broker cannot hold three replicas of the transaction log (DESIGN.md).
      started.brokerProperties(
          Map.of(
              "transaction.state.log.replication.factor", "1",
              "transaction.state.log.min.isr", "1",
              "offsets.topic.replication.factor", "1",
              "group.initial.rebalance.delay.ms", "0"));
      started.afterPropertiesSet();
      Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
      broker = started;
    }
    return broker.getBrokersAsString();
  }

  public static void register(DynamicPropertyRegistry registry) {
    registry.add("paystream.kafka.bootstrap-servers", TestKafka::bootstrapServers);
  }
}
