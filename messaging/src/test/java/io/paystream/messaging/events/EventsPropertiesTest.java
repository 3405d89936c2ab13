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
  void theSequencerRetriesABatchABoundedNumberOfTimesByDefault() {
    EventsProperties defaults = bind(Map.of());

    assertThat(defaults.sequencerRetryAttemptsMax()).isEqualTo(8);
    assertThat(defaults.sequencerRetryBackoffMin()).hasMillis(50);
    assertThat(defaults.sequencerRetryBackoffMax()).hasSeconds(5);
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
  void aNegativeRetryCountIsRefused() {
    assertThatThrownBy(() -> bind(Map.of("paystream.events.sequencer-retry-attempts-max", "-1")))
        .rootCause()
        .hasMessageContaining("paystream.events.sequencer-retry-attempts-max");
  }
}
