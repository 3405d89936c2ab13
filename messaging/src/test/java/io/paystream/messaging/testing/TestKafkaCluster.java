package io.paystream.messaging.testing;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Three real Apache Kafka brokers (KRaft; node 0 also the controller) in this JVM, for the tests of
 * a broker's loss; started on first use (~5 s) and stopped when the JVM exits. The rest of the
 * suite keeps the single broker of {@link TestKafka}: three brokers cost memory and start-up time
 * that only these tests need.
 *
 * <p>The internal topics are replicated as in production (3 copies, 2 in sync), but the brokers'
 * own default {@code min.insync.replicas} stays 1: the project's topics must get 2 from {@code
 * KafkaAdmin}, through {@code paystream.kafka.topic-min-insync-replicas}, or a test sees it.
 */
public final class TestKafkaCluster {

  public static final int BROKERS = 3;

  /** What {@link #register} asks the project's topics for, as the cluster's run command does. */
  public static final int REPLICATION_FACTOR = 3;

  public static final int MIN_INSYNC_REPLICAS = 2;

  private static volatile KafkaClusterTestKit cluster;

  /**
   * Taken once at start: a broker that is stopped no longer reports its address, and clients keep
   * the others of the list to find the cluster.
   */
  private static volatile String bootstrapServers;

  private TestKafkaCluster() {}

  /**
   * Kafka's own test kit rather than spring-kafka-test's wrapper, which makes every node a voter of
   * the controller quorum: on 4.2.1 in one JVM that quorum's followers die on an UpdateVoter answer
   * and the brokers never register. One controller, on node 0, is enough here: the tests stop
   * brokers, never the controller.
   */
  public static synchronized String bootstrapServers() {
    if (cluster == null) {
      KafkaClusterTestKit started = null;
      try {
        KafkaClusterTestKit.Builder builder =
            new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(BROKERS)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build());
        Map.of(
                "offsets.topic.replication.factor", String.valueOf(REPLICATION_FACTOR),
                // Fewer than the default 50 partitions: each is a replicated log to create.
                "offsets.topic.num.partitions", "6",
                "transaction.state.log.replication.factor", String.valueOf(REPLICATION_FACTOR),
                "transaction.state.log.min.isr", String.valueOf(MIN_INSYNC_REPLICAS),
                "group.initial.rebalance.delay.ms", "0")
            .forEach(builder::setConfigProp);
        started = builder.build();
        started.format();
        started.startup();
        started.waitForReadyBrokers();
      } catch (Exception e) {
        throw new IllegalStateException("the three-broker test cluster did not start", e);
      }
      KafkaClusterTestKit running = started;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> close(running)));
      bootstrapServers = running.bootstrapServers();
      cluster = running;
    }
    return bootstrapServers;
  }

  private static void close(KafkaClusterTestKit running) {
    try {
      running.close();
    } catch (Exception e) {
      // The JVM is exiting; the data directories are temporary.
    }
  }

  /** Points the application at the cluster, its topics replicated 3 times with 2 in sync. */
  public static void register(DynamicPropertyRegistry registry) {
    registry.add("paystream.kafka.bootstrap-servers", TestKafkaCluster::bootstrapServers);
    registry.add(
        "paystream.kafka.topic-replication-factor", () -> String.valueOf(REPLICATION_FACTOR));
    registry.add(
        "paystream.kafka.topic-min-insync-replicas", () -> String.valueOf(MIN_INSYNC_REPLICAS));
  }

  public static Set<Integer> brokerIds() {
    return kit().brokers().keySet();
  }

  /**
   * Stops one broker as an operator's restart would (a controlled shutdown: its leaderships move to
   * the other brokers first); its node stays a controller, so the quorum keeps three voters.
   * Blocking: the test thread only.
   */
  public static void stopBroker(int id) {
    kit().brokers().get(id).shutdown();
  }

  /** Starts a stopped broker again on its data: it catches up and rejoins the in-sync replicas. */
  public static void startBroker(int id) {
    kit().brokers().get(id).startup();
  }

  private static KafkaClusterTestKit kit() {
    bootstrapServers();
    return cluster;
  }
}
