package io.paystream.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;

/**
 * The domain is plain Java (STYLE.md rule 1). Plain JUnit tests over a {@link ClassFileImporter}
 * rather than {@code @ArchTest} fields, so that the same rule can also be shown to fail on a class
 * that breaks it, and an import that found nothing cannot pass in silence.
 */
class DomainArchitectureTest {

  private static final String DOMAIN_PACKAGE = "io.paystream.domain";

  private static final String[] FRAMEWORK_PACKAGES = {
    "org.springframework..",
    "reactor..",
    "io.r2dbc..",
    "org.apache.kafka..",
    "com.fasterxml.jackson..",
    "tools.jackson..",
    "io.netty..",
  };

  private static final JavaClasses DOMAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(DOMAIN_PACKAGE);

  private static final ArchRule DOMAIN_IMPORTS_NO_FRAMEWORK =
      noClasses()
          .that()
          .resideInAPackage(DOMAIN_PACKAGE + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(FRAMEWORK_PACKAGES)
          .because("the domain is plain Java; frameworks live in api, messaging and persistence")
          .allowEmptyShould(false);

  /**
   * Stronger than the list above: a framework not on it (Micrometer, Jakarta, Vavr...) also fails.
   * Adding a library to the domain should be a decision made here, in review.
   */
  private static final ArchRule DOMAIN_USES_ONLY_THE_JDK_AND_ITS_ID_LIBRARY =
      classes()
          .that()
          .resideInAPackage(DOMAIN_PACKAGE + "..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", DOMAIN_PACKAGE + "..", "com.github.f4b6a3.uuid..")
          .because("the domain is plain Java plus the UUIDv7 generator")
          .allowEmptyShould(false);

  @Test
  void importerFindsTheWholeDomainModelAndNoTestClasses() {
    assertThat(DOMAIN.size()).isGreaterThan(5);
    assertThat(DOMAIN.contain(Money.class)).isTrue();
    assertThat(DOMAIN.contain(Journal.class)).isTrue();
    assertThat(DOMAIN.contain(TransferRules.class)).isTrue();
    assertThat(DOMAIN.contain(DomainArchitectureTest.class)).isFalse();
  }

  @Test
  void domainDependsOnNoFramework() {
    DOMAIN_IMPORTS_NO_FRAMEWORK.check(DOMAIN);
  }

  @Test
  void domainDependsOnlyOnTheJdkAndTheUuidLibrary() {
    DOMAIN_USES_ONLY_THE_JDK_AND_ITS_ID_LIBRARY.check(DOMAIN);
  }

  @Test
  void frameworkRuleFailsOnADomainClassThatUsesReactor() {
    JavaClasses leaky = new ClassFileImporter().importClasses(LeakyModel.class);

    assertThatThrownBy(() -> DOMAIN_IMPORTS_NO_FRAMEWORK.check(leaky))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(LeakyModel.class.getName())
        .hasMessageContaining(BlockHound.class.getName());
    assertThatThrownBy(() -> DOMAIN_USES_ONLY_THE_JDK_AND_ITS_ID_LIBRARY.check(leaky))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(BlockHound.class.getName());
  }

  @Test
  void rulesFailWhenTheImportFoundNoDomainClass() {
    JavaClasses nothing = new ClassFileImporter().importClasses();

    assertThatThrownBy(() -> DOMAIN_IMPORTS_NO_FRAMEWORK.check(nothing))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> DOMAIN_USES_ONLY_THE_JDK_AND_ITS_ID_LIBRARY.check(nothing))
        .isInstanceOf(AssertionError.class);
  }

  /**
   * A class in the domain package that breaks the rule: {@code reactor.blockhound} is the one
   * framework package on this module's test class path. Never instantiated or called.
   */
  static final class LeakyModel {

    private LeakyModel() {}

    static Object leak() {
      return BlockHound.builder();
    }
  }
}
