package io.paystream.tools.payoutsimulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.tools.payoutsimulator.PayoutProviderSimulator.Behaviour;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatorSettingsTest {

  @Test
  void anUnsetEnvironmentGivesAHealthySimulatorOnTheApisDefaultPort() {
    SimulatorSettings settings = SimulatorSettings.from(name -> null);

    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(8091);
    assertThat(settings.behaviour()).isEqualTo(new Behaviour(50, 0, 0, 0, 30_000));
    assertThat(settings.journal()).isEmpty();
  }

  @Test
  void everyKnobIsReadFromItsOwnVariable() {
    Map<String, String> environment =
        Map.of(
            "PAYOUT_SIMULATOR_HOST", "0.0.0.0",
            "PAYOUT_SIMULATOR_PORT", "18091",
            "PAYOUT_SIMULATOR_LATENCY_MILLIS", "7",
            "PAYOUT_SIMULATOR_FAILURE_RATE", "0.1",
            "PAYOUT_SIMULATOR_TIMEOUT_RATE", "0.2",
            "PAYOUT_SIMULATOR_REJECT_RATE", "0.3",
            "PAYOUT_SIMULATOR_HANG_MILLIS", "4000",
            "PAYOUT_SIMULATOR_JOURNAL", "target/payout/journal.jsonl");

    SimulatorSettings settings = SimulatorSettings.from(environment::get);

    assertThat(settings.host()).isEqualTo("0.0.0.0");
    assertThat(settings.port()).isEqualTo(18091);
    assertThat(settings.behaviour()).isEqualTo(new Behaviour(7, 0.1, 0.2, 0.3, 4000));
    assertThat(settings.journal()).contains(Path.of("target/payout/journal.jsonl"));
  }

  @Test
  void aBlankVariableTakesTheDefault() {
    Map<String, String> environment =
        Map.of("PAYOUT_SIMULATOR_PORT", " ", "PAYOUT_SIMULATOR_FAILURE_RATE", "");

    SimulatorSettings settings = SimulatorSettings.from(environment::get);

    assertThat(settings.port()).isEqualTo(8091);
    assertThat(settings.behaviour().failureRate()).isZero();
  }

  @ParameterizedTest
  @CsvSource({
    "PORT, eighty",
    "PORT, 65536",
    "PORT, -1",
    "LATENCY_MILLIS, -5",
    "LATENCY_MILLIS, 0.5",
    "HANG_MILLIS, 30s",
    "FAILURE_RATE, 1.5",
    "FAILURE_RATE, half",
    "TIMEOUT_RATE, -0.1",
    "REJECT_RATE, NaN",
    "JOURNAL, a\u0000b",
  })
  void aMalformedValueIsRefusedNamingItsVariable(String name, String value) {
    Map<String, String> environment = Map.of("PAYOUT_SIMULATOR_" + name, value);

    assertThatThrownBy(() -> SimulatorSettings.from(environment::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("PAYOUT_SIMULATOR_" + name + " is '" + value + "'");
  }
}
