package io.paystream.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.paystream.messaging.credit.CreditLeg;
import io.paystream.messaging.credit.CreditLegConsumer;
import io.paystream.messaging.credit.PendingTransfers;
import io.paystream.messaging.events.NewEvents;
import io.paystream.messaging.kafka.UsesAFeature;
import io.paystream.messaging.payout.UsesCreditInternals;
import io.paystream.messaging.recent.RecentEntriesUpdater;
import io.paystream.messaging.relay.OutboxPurge;
import io.paystream.messaging.relay.OutboxRelay;
import io.paystream.messaging.testing.PackagesByFeature;
import io.paystream.messaging.webhook.WebhookQueue;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The messaging module is packaged by feature: one package per consumer or background job ({@code
 * credit}, {@code payout}, {@code events}, {@code recent}, {@code webhook}, {@code deadletter},
 * {@code relay}). The root package ({@link MessagingConfiguration}, {@link MessagingProperties},
 * {@link BackgroundStreams}), {@code kafka} (topic names, poison and undecodable messages) and
 * {@code secrets} (sealing what customers give or get) and {@code tracing} (continuing a trace
 * across Kafka) are the plumbing they share; the events they exchange are the domain's {@code
 * MoneyEvent}, read through persistence's {@code EventEnvelope}. (The payout provider simulator is
 * a module of its own, outside the production jar.) So:
 *
 * <ol>
 *   <li>one feature's classes do not use another's, except the named entry points ({@link
 *       #ENTRY_POINTS});
 *   <li>the shared plumbing uses no feature, except {@link MessagingLifecycle}, which runs the
 *       money path's relay, the outbox purge, the credit leg and the recent-entries repair.
 * </ol>
 *
 * <p>Plain JUnit tests, as in {@code DomainArchitectureTest}: each rule is also shown to fail on a
 * class of this test tree that breaks it. (No separate cycle rule: with a single entry point, into
 * a package that uses no other feature, rule 1 already leaves no room for a cycle.)
 */
class MessagingArchitectureTest {

  private static final String MESSAGING_PACKAGE = "io.paystream.messaging";

  /**
   * What one feature offers the others; offering one more class is a decision made here, in review.
   */
  private static final Set<Class<?>> ENTRY_POINTS =
      Set.of(
          // The credit leg's one pass per batch (see CreditLeg) sequences the events, queues their
          // webhooks and updates the recent-entries cache through these three.
          NewEvents.class, WebhookQueue.class, RecentEntriesUpdater.class);

  private static final PackagesByFeature PACKAGES =
      new PackagesByFeature(MESSAGING_PACKAGE, Set.of("kafka", "secrets", "tracing"), ENTRY_POINTS);

  private static final JavaClasses MESSAGING =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(MESSAGING_PACKAGE);

  private static final ArchRule FEATURES_MEET_ONLY_AT_ENTRY_POINTS =
      PACKAGES.featuresMeetOnlyAtEntryPoints();

  private static final ArchRule SHARED_PLUMBING_USES_NO_FEATURE =
      PACKAGES.sharedCodeUsesNoFeature(
          PackagesByFeature.dependency(
              "the lifecycle that runs the money path's relay, purge and credit leg",
              MessagingLifecycle.class,
              Set.of(
                  OutboxRelay.class,
                  OutboxPurge.class,
                  CreditLegConsumer.class,
                  PendingTransfers.class,
                  RecentEntriesUpdater.class)));

  @Test
  void importerFindsTheModuleAndNoTestClasses() {
    assertThat(MESSAGING.size()).isGreaterThan(30);
    assertThat(MESSAGING.contain(CreditLeg.class)).isTrue();
    assertThat(MESSAGING.contain(MessagingArchitectureTest.class)).isFalse();
    assertThat(MESSAGING.contain(UsesCreditInternals.class)).isFalse();
  }

  @Test
  void everyEntryPointIsAFeatureClass() {
    assertThat(ENTRY_POINTS)
        .allSatisfy(
            entryPoint ->
                assertThat(PACKAGES.feature(MESSAGING.get(entryPoint)))
                    .as(entryPoint.getName())
                    .isPresent());
  }

  @Test
  void consumersOfOneFeatureUseNoOtherFeaturesClasses() {
    FEATURES_MEET_ONLY_AT_ENTRY_POINTS.check(MESSAGING);
  }

  @Test
  void sharedPlumbingUsesNoFeature() {
    SHARED_PLUMBING_USES_NO_FEATURE.check(MESSAGING);
  }

  @Test
  void entryPointRuleFailsOnAConsumerThatUsesAnotherFeaturesClass() {
    JavaClasses leaky = new ClassFileImporter().importClasses(UsesCreditInternals.class);

    assertThatThrownBy(() -> FEATURES_MEET_ONLY_AT_ENTRY_POINTS.check(leaky))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(UsesCreditInternals.class.getName())
        .hasMessageContaining(CreditLeg.class.getName());
  }

  @Test
  void sharedPlumbingRuleFailsOnAKafkaClassThatUsesAFeature() {
    JavaClasses leaky = new ClassFileImporter().importClasses(UsesAFeature.class);

    assertThatThrownBy(() -> SHARED_PLUMBING_USES_NO_FEATURE.check(leaky))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(UsesAFeature.class.getName())
        .hasMessageContaining(NewEvents.class.getName());
  }

  @Test
  void rulesFailWhenTheImportFoundNoMessagingClass() {
    JavaClasses nothing = new ClassFileImporter().importClasses();

    assertThatThrownBy(() -> FEATURES_MEET_ONLY_AT_ENTRY_POINTS.check(nothing))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> SHARED_PLUMBING_USES_NO_FEATURE.check(nothing))
        .isInstanceOf(AssertionError.class);
  }
}
