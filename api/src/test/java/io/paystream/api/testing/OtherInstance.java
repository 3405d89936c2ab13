package io.paystream.api.testing;

import io.paystream.api.PaystreamApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.persistence.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * A further, independent application instance in the test JVM, on its own random port, against the
 * same PostgreSQL database, Kafka broker and Redis as {@link ApiIntegrationTest}'s.
 *
 * <p>It gets its own Reactor Netty event loops and connection pool. With the default (global)
 * resources, closing it would dispose the JVM-wide loops and pool that the shared application and
 * the test clients use, and a request in flight at that moment would hang.
 */
public final class OtherInstance {

  private OtherInstance() {}

  /** Starts an instance; {@code overrides} win over the shared test settings. */
  public static ConfigurableApplicationContext start(Map<String, String> overrides) {
    Map<String, String> properties = new HashMap<>(TestDatabase.properties());
    properties.put("paystream.kafka.bootstrap-servers", TestKafka.bootstrapServers());
    properties.put("paystream.jwt-secret", "integration-test-secret-0123456789abcdef");
    properties.put("paystream.kafka.outbox-poll-interval-seconds", "1");
    properties.put("server.port", "0");
    properties.put("management.server.port", "0");
    // Rate-limit buckets of its own (see ApiIntegrationTest): a bucket keeps its first capacity.
    properties.put(
        "paystream.rate-limit.key-prefix",
        "paystream:rate:test:" + java.util.UUID.randomUUID() + ":");
    properties.putAll(overrides);
    // As command-line arguments: default properties would lose to application.yml's values.
    return new SpringApplicationBuilder(PaystreamApplication.class, OwnNettyResources.class)
        .run(
            properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue())
                .toArray(String[]::new));
  }

  public static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnNettyResources {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
      ReactorResourceFactory resources = new ReactorResourceFactory();
      resources.setUseGlobalResources(false);
      return resources;
    }
  }
}
