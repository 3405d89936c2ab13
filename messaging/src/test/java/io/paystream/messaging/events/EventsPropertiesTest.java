package io.paystream.messaging.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The event log's limits as Spring binds them at start-up. */
class EventsPropertiesTest {

  static EventsProperties bind(Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("paystream.events", EventsProperties.class);
  }

  @Test
  void theDefaultsKeepTheContractsReplayWindow() {
    EventsProperties defaults = bind(Map.of());

    assertThat(defaults.retention()).hasHours(24);
    assertThat(defaults.pollInterval()).hasSeconds(1);
  }

  @Test
  void aReplayWindowShorterThanTheContractsTwentyFourHoursIsRefused() {
    assertThatThrownBy(() -> bind(Map.of("paystream.events.retention-hours", "12")))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("paystream.events.retention-hours")
        .hasMessageContaining("was 12");
  }

  @Test
  void aZeroReplayPageIsRefused() {
    assertThatThrownBy(() -> bind(Map.of("paystream.events.replay-page-size-max", "0")))
        .rootCause()
        .hasMessageContaining("paystream.events.replay-page-size-max");
  }
}
