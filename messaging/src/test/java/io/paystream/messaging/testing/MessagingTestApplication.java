package io.paystream.messaging.testing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paystream.messaging.MessagingConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/** Persistence and messaging without the web layer: the credit leg as the consumer sees it. */
@SpringBootApplication(scanBasePackages = "io.paystream.messaging.testing.none")
@Import(MessagingConfiguration.class)
// The payout leg refuses to start without a destination key; this one is for tests only.
@PropertySource("classpath:paystream-payout-test.properties")
public class MessagingTestApplication {

  /** Actuator lives in the api module; here an in-memory registry lets the meters register. */
  @Bean
  MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }
}
