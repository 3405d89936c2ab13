package io.paystream.api.ops;

import static io.paystream.messaging.ConfigurationBounds.check;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operators' endpoints, under {@code paystream.ops}.
 *
 * @param overviewSampleSeconds how often each instance samples the overview into its in-memory
 *     history, and the window each sample's rates are measured over. Ten seconds: fine enough to
 *     see a stall start within a console refresh or two, and the sample is one indexed statement,
 *     so it costs the database nothing noticeable. At least 1 s (a typo must not turn it into a
 *     busy loop), at most 900 s (the history covers 15 minutes).
 */
@ConfigurationProperties("paystream.ops")
public record OpsProperties(@DefaultValue("10") long overviewSampleSeconds) {

  public OpsProperties {
    check("paystream.ops.overview-sample-seconds", overviewSampleSeconds, 1, 900);
  }

  public Duration overviewSampleInterval() {
    return Duration.ofSeconds(overviewSampleSeconds);
  }
}
