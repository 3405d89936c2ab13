package io.paystream.messaging.kafka;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Readiness covers Kafka: without it no transfer can complete, so the instance is not ready. */
@Component("kafka")
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator {

  private final KafkaAdmin admin;

  public KafkaHealthIndicator(KafkaAdmin admin) {
    super("Kafka health check failed");
    this.admin = admin;
  }

  @Override
  protected Mono<Health> doHealthCheck(Health.Builder builder) {
    return admin.clusterId().map(id -> builder.up().withDetail("clusterId", id).build());
  }
}
