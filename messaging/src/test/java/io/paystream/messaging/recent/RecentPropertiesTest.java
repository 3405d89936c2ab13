package io.paystream.messaging.recent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The recent-entries cache's limits as Spring binds them at start-up, README's names. */
class RecentPropertiesTest {

  static RecentProperties bind(Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("paystream.recent", RecentProperties.class);
  }

  @Test
  void theDocumentedNamesBindUnderPaystreamRecent() {
    RecentProperties bound =
        bind(
            Map.of(
                "paystream.recent.redis-timeout-millis", "100",
                "paystream.recent.repair-backlog-max", "7"));

    assertThat(bound.redisTimeout()).hasMillis(100);
    assertThat(bound.repairBacklogMax()).isEqualTo(7);
    assertThat(bound.entriesMax()).isEqualTo(20);
    assertThat(bound.updateRetryAttemptsMax()).isEqualTo(2);
  }

  @Test
  void aZeroRedisBudgetIsRefusedNamingTheProperty() {
    assertThatThrownBy(() -> bind(Map.of("paystream.recent.redis-timeout-millis", "0")))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("paystream.recent.redis-timeout-millis");
  }

  @Test
  void anEmptyRepairBacklogIsRefusedNamingTheProperty() {
    assertThatThrownBy(() -> bind(Map.of("paystream.recent.repair-backlog-max", "0")))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("paystream.recent.repair-backlog-max");
  }

  @Test
  void aRetryCeilingBelowItsFloorIsRefused() {
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "paystream.recent.update-retry-backoff-min-millis", "200",
                        "paystream.recent.update-retry-backoff-max-millis", "100")))
        .rootCause()
        .hasMessageContaining("paystream.recent.update-retry-backoff-max-millis");
  }
}
