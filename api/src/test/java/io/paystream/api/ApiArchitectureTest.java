package io.paystream.api;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.paystream.api.account.AccountAccess;
import io.paystream.api.account.PayeeAccess;
import io.paystream.api.audit.AuditContext;
import io.paystream.api.audit.AuditTrail;
import io.paystream.api.audit.EmailMask;
import io.paystream.api.audit.MoneyAudit;
import io.paystream.api.audit.UsesTheRateLimiter;
import io.paystream.api.auth.EmailAddresses;
import io.paystream.api.history.ReachesIntoMoneyInternals;
import io.paystream.api.idempotency.IdempotencyService;
import io.paystream.api.live.PreferWait;
import io.paystream.api.money.MoneyPolicy;
import io.paystream.api.money.MoneyRequests;
import io.paystream.api.money.TransferController;
import io.paystream.api.ops.LedgerAudit;
import io.paystream.api.ratelimit.AuthRateLimits;
import io.paystream.api.ratelimit.RateDecision;
import io.paystream.api.ratelimit.RateLimit;
import io.paystream.api.ratelimit.RateLimitedException;
import io.paystream.api.recent.RecentEntriesCache;
import io.paystream.api.statement.StatementProperties;
import io.paystream.api.web.ProblemExceptionHandler;
import io.paystream.api.web.UsesAFeature;
import io.paystream.messaging.testing.PackagesByFeature;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The api module is packaged by feature (STYLE.md). {@code web}, {@code security} and {@code
 * platform} are shared infrastructure that every feature may use; the root package is the
 * application and its {@link ApiProperties}; every other subpackage is a feature ({@code money},
 * {@code withdrawal}, {@code auth}, ...). Three rules keep the features apart:
 *
 * <ol>
 *   <li>a feature uses another only through that feature's named entry points ({@link
 *       #ENTRY_POINTS}), never its controllers or internals;
 *   <li>shared infrastructure and the root package use no feature, with two named exceptions: the
 *       problem handler renders the rate limiter's refusal (rejections become HTTP in exactly one
 *       place), and {@link ApiProperties} holds the statements' settings;
 *   <li>no two features depend on each other, directly or around a cycle.
 * </ol>
 *
 * <p>Plain JUnit tests, as in {@code DomainArchitectureTest}, so that each rule is also shown to
 * fail on a class that breaks it. Those classes sit in this module's test tree, in the packages
 * whose rule they break, and are never imported with the main classes.
 */
class ApiArchitectureTest {

  private static final String API_PACKAGE = "io.paystream.api";

  /**
   * What one feature offers the others. Anything else in a feature package is its own business;
   * offering one more class is a decision made here, in review.
   */
  private static final Set<Class<?>> ENTRY_POINTS =
      Set.of(
          // Who may see an account: history, live status and statements ask before they read.
          AccountAccess.class,
          // Who may act for a movement's payee: a refund, a hold's void.
          PayeeAccess.class,
          // The audit trail, written by every feature that changes something.
          AuditTrail.class,
          AuditContext.class,
          MoneyAudit.class,
          EmailMask.class,
          // The one way an e-mail address enters: ops lookups by e-mail normalise as login does.
          EmailAddresses.class,
          // Claims, replays and stores answers under an Idempotency-Key: every money POST.
          IdempotencyService.class,
          // Prefer: wait, for transfers and withdrawals alike.
          PreferWait.class,
          // The risk limits a withdrawal shares with transfers, and the amount rule of every
          // money request (out of range is 422 before it becomes Money).
          MoneyPolicy.class,
          MoneyRequests.class,
          // Login and registration limits for auth; the refusal the problem handler renders.
          AuthRateLimits.class,
          RateDecision.class,
          RateLimit.class,
          RateLimitedException.class,
          // Read by history; dropped by every money movement so a client sees its own write.
          RecentEntriesCache.class,
          // The ledger check: the ops endpoint answers it, observability runs it on a schedule.
          LedgerAudit.class);

  private static final PackagesByFeature PACKAGES =
      new PackagesByFeature(API_PACKAGE, Set.of("web", "security", "platform"), ENTRY_POINTS);

  private static final JavaClasses API =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(API_PACKAGE);

  private static final ArchRule FEATURES_MEET_ONLY_AT_ENTRY_POINTS =
      PACKAGES.featuresMeetOnlyAtEntryPoints();

  private static final ArchRule SHARED_CODE_USES_NO_FEATURE =
      PACKAGES.sharedCodeUsesNoFeature(
          or(
              PackagesByFeature.dependency(
                  "the problem handler rendering a rate-limit refusal",
                  ProblemExceptionHandler.class,
                  Set.of(RateLimitedException.class, RateDecision.class, RateLimit.class)),
              PackagesByFeature.dependency(
                  "ApiProperties holding the statements' settings",
                  ApiProperties.class,
                  Set.of(StatementProperties.class))));

  private static final ArchRule FEATURES_ARE_FREE_OF_CYCLES = PACKAGES.featuresAreFreeOfCycles();

  @Test
  void importerFindsTheApiAndNoTestClasses() {
    assertThat(API.size()).isGreaterThan(50);
    assertThat(API.contain(TransferController.class)).isTrue();
    assertThat(API.contain(ProblemExceptionHandler.class)).isTrue();
    assertThat(API.contain(ApiArchitectureTest.class)).isFalse();
    assertThat(API.contain(ReachesIntoMoneyInternals.class)).isFalse();
  }

  @Test
  void everyEntryPointIsAFeatureClass() {
    // A shared class listed here would allow nothing new; it would only mislead the reader.
    assertThat(ENTRY_POINTS)
        .allSatisfy(
            entryPoint ->
                assertThat(PACKAGES.feature(API.get(entryPoint)))
                    .as(entryPoint.getName())
                    .isPresent());
  }

  @Test
  void featuresUseEachOtherOnlyThroughTheirEntryPoints() {
    FEATURES_MEET_ONLY_AT_ENTRY_POINTS.check(API);
  }

  @Test
  void sharedInfrastructureAndTheRootPackageUseNoFeature() {
    SHARED_CODE_USES_NO_FEATURE.check(API);
  }

  @Test
  void featuresDoNotDependOnEachOtherInACycle() {
    FEATURES_ARE_FREE_OF_CYCLES.check(API);
  }

  @Test
  void entryPointRuleFailsOnAFeatureThatUsesAnotherFeaturesController() {
    JavaClasses leaky = new ClassFileImporter().importClasses(ReachesIntoMoneyInternals.class);

    assertThatThrownBy(() -> FEATURES_MEET_ONLY_AT_ENTRY_POINTS.check(leaky))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ReachesIntoMoneyInternals.class.getName())
        .hasMessageContaining(TransferController.class.getName());
  }

  @Test
  void sharedInfrastructureRuleFailsOnAWebClassThatUsesAFeature() {
    JavaClasses leaky = new ClassFileImporter().importClasses(UsesAFeature.class);

    assertThatThrownBy(() -> SHARED_CODE_USES_NO_FEATURE.check(leaky))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(UsesAFeature.class.getName())
        .hasMessageContaining(MoneyPolicy.class.getName());
  }

  @Test
  void cycleRuleFailsWhenAuditDependsOnTheRateLimiterThatAuditsThroughIt() {
    // The cycle this module had until the audit trail stopped taking a RateDecision.
    JavaClasses cyclic =
        new ClassFileImporter()
            .importClasses(
                UsesTheRateLimiter.class,
                RateDecision.class,
                AuthRateLimits.class,
                AuditTrail.class);

    FEATURES_MEET_ONLY_AT_ENTRY_POINTS.check(cyclic);
    assertThatThrownBy(() -> FEATURES_ARE_FREE_OF_CYCLES.check(cyclic))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Slice audit")
        .hasMessageContaining("Slice ratelimit");
  }

  @Test
  void rulesFailWhenTheImportFoundNoApiClass() {
    JavaClasses nothing = new ClassFileImporter().importClasses();

    assertThatThrownBy(() -> FEATURES_MEET_ONLY_AT_ENTRY_POINTS.check(nothing))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> SHARED_CODE_USES_NO_FEATURE.check(nothing))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> FEATURES_ARE_FREE_OF_CYCLES.check(nothing))
        .isInstanceOf(AssertionError.class);
  }
}
