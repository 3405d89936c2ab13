package io.paystream.api.observability;

import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetricsPublisher;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.paystream.messaging.payout.PayoutGateway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The payout provider's circuit breaker as metrics ({@code resilience4j_circuitbreaker_state},
 * calls, failure rate), tagged {@code name="payout-provider"}: an open breaker means withdrawals
 * wait for the recovery sweep, which operators must see without reading logs. The breaker is built
 * by {@link PayoutGateway}, not held in a Resilience4j registry, so it is published directly.
 */
@Configuration(proxyBeanMethods = false)
public class CircuitBreakerMetrics {

  @Bean
  MeterBinder payoutBreakerMetrics(PayoutGateway gateway) {
    return meters ->
        new TaggedCircuitBreakerMetricsPublisher(meters).publishMetrics(gateway.breaker());
  }
}
