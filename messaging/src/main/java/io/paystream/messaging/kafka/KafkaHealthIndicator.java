package io.paystream.messaging.kafka;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Whether a broker answers, in the health details and metrics only: readiness leaves Kafka out,
 * because without it transfers are still accepted (the outbox keeps their events) and complete once
 * it is back, so taking every instance out of rotation would only turn a delay into an outage.
 */
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
