package io.paystream.api.platform;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Installs BlockHound in the running API when {@code paystream.blockhound.enabled} is true (env
 * {@code PAYSTREAM_BLOCKHOUND_ENABLED}), so that a load test can prove that nothing blocks an event
 * loop under real traffic. It is installed as soon as the environment is known, before any bean or
 * event loop exists, with the same allowances as the tests ({@code BriefLibraryWaits}).
 *
 * <p>A blocking call is logged with its stack and counted ({@code paystream_blocking_calls_total});
 * the call then proceeds, because a benchmark should report every offence rather than stop at the
 * first failed request. The JVM needs {@code -XX:+AllowRedefinitionToAddDeleteMethods}
 * (bin/paystream-local adds it).
 */
public final class BlockingCallDetection
    implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

  public static final String PROPERTY = "paystream.blockhound.enabled";

  private static final Logger log = LoggerFactory.getLogger(BlockingCallDetection.class);
  private static final AtomicLong detected = new AtomicLong();
  private static volatile boolean installed;

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    if (installed || !event.getEnvironment().getProperty(PROPERTY, Boolean.class, false)) {
      return;
    }
    BlockHound.install(new ReportingIntegration());
    installed = true;
    log.warn(
        "BlockHound is installed: every blocking call on a non-blocking thread is logged"
            + " and counted in paystream_blocking_calls_total");
  }

  /** Blocking calls seen since start; 0 unless BlockHound is installed. */
  public static long detected() {
    return detected.get();
  }

  /** Exposes the count when BlockHound is installed. */
  @Component
  static final class Metrics implements MeterBinder {
    @Override
    public void bindTo(MeterRegistry meters) {
      if (installed) {
        FunctionCounter.builder("paystream.blocking.calls", detected, AtomicLong::get)
            .description("blocking calls BlockHound saw on non-blocking threads")
            .register(meters);
      }
    }
  }

  static void report(BlockingMethod method) {
    long count = detected.incrementAndGet();
    log.error(
        "blocking call #{} on non-blocking thread {}: {}",
        count,
        Thread.currentThread().getName(),
        method,
        new Throwable("stack of the blocking call " + method));
  }

  /** Applied after the allowances, so only its callback is replaced. */
  private static final class ReportingIntegration implements BlockHoundIntegration {
    @Override
    public void applyTo(BlockHound.Builder builder) {
      builder.blockingMethodCallback(BlockingCallDetection::report);
    }

    @Override
    public int compareTo(BlockHoundIntegration other) {
      return 1;
    }
  }
}
