package io.paystream.messaging.testing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paystream.messaging.MessagingConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** Persistence and messaging without the web layer: the credit leg as the consumer sees it. */
@SpringBootApplication(scanBasePackages = "io.paystream.messaging.testing.none")
@Import(MessagingConfiguration.class)
public class MessagingTestApplication {

  /** Actuator lives in the api module; here an in-memory registry lets the meters register. */
  @Bean
  MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }
}
