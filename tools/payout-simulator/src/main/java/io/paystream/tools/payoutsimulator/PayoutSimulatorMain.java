package io.paystream.tools.payoutsimulator;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executable jar's entry point ({@code java -jar payout-simulator.jar}): reads {@link
 * SimulatorSettings} from the environment and serves until the process is stopped.
 */
public final class PayoutSimulatorMain {

  private static final Logger log = LoggerFactory.getLogger(PayoutSimulatorMain.class);

  private PayoutSimulatorMain() {}

  public static void main(String[] args) {
    SimulatorSettings settings;
    try {
      settings = SimulatorSettings.from(System::getenv);
    } catch (IllegalArgumentException e) {
      System.err.println("payout-simulator: " + e.getMessage());
      System.exit(2);
      return;
    }
    PayoutProviderSimulator simulator =
        settings
            .journal()
            .map(
                journal ->
                    PayoutProviderSimulator.start(
                        settings.host(), settings.port(), settings.behaviour(), journal))
            .orElseGet(
                () ->
                    PayoutProviderSimulator.start(
                        settings.host(), settings.port(), settings.behaviour()));
    // host:port as configured: baseUrl() of a wildcard host (a container's 0.0.0.0) is no URL.
    log.info(
        "payout provider simulator listening on {}:{} with {}, journal {}",
        settings.host(),
        simulator.port(),
        settings.behaviour(),
        settings.journal().map(Path::toString).orElse("none (in memory)"));
    // main is not an event loop: waiting here is what keeps the process alive.
    simulator.onClose().block();
  }
}
