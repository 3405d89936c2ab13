package io.paystream.api.observability;

import io.micrometer.context.ContextRegistry;
import io.paystream.api.web.LogContext;
import org.springframework.context.annotation.Configuration;

/** Registers {@link LogContext}'s MDC keys with context propagation when the application starts. */
@Configuration(proxyBeanMethods = false)
public class LogContextConfiguration {

  LogContextConfiguration() {
    LogContext.register(ContextRegistry.getInstance());
  }
}
