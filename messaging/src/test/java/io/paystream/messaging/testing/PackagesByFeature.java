package io.paystream.messaging.testing;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ArchUnit rules for a module packaged by feature (STYLE.md), shared by the api and messaging
 * architecture tests. Below {@code rootPackage}, each first-level subpackage is a feature unless it
 * is named shared infrastructure; the root package itself belongs to no feature. A feature offers
 * the others only its named entry points; a class nested in an entry point goes with it.
 */
public final class PackagesByFeature {

  private final String rootPackage;
  private final Set<String> sharedPackages;
  private final Set<String> entryPoints;

  /**
   * @param sharedPackages first-level subpackages that are infrastructure, not features
   * @param entryPoints the classes features offer each other
   */
  public PackagesByFeature(
      String rootPackage, Set<String> sharedPackages, Set<Class<?>> entryPoints) {
    this.rootPackage = rootPackage;
    this.sharedPackages = Set.copyOf(sharedPackages);
    this.entryPoints = names(entryPoints);
  }

  /**
   * A feature uses another only through that feature's entry points: never its controllers,
   * consumers or other internals.
   */
  public ArchRule featuresMeetOnlyAtEntryPoints() {
    return classes()
        .that(describe("belong to a feature", javaClass -> feature(javaClass).isPresent()))
        .should(
            onlyHaveDependenciesWhere(
                describe(
                    "targets in their own feature, outside every feature, or named entry points",
                    this::respectsFeatureBoundaries)))
        .because("a feature's internals are its own; the others use what it offers")
        .allowEmptyShould(false);
  }

  /**
   * The shared packages and the root package use no feature, except for the dependencies {@code
   * allowed} names: every feature builds on them.
   */
  public ArchRule sharedCodeUsesNoFeature(DescribedPredicate<? super Dependency> allowed) {
    return classes()
        .that(
            describe(
                "are shared infrastructure or in the root package",
                javaClass -> isInModule(javaClass) && feature(javaClass).isEmpty()))
        .should(
            onlyHaveDependenciesWhere(
                    describe(
                        "targets that belong to no feature",
                        (Dependency d) -> feature(d.getTargetClass()).isEmpty()))
                .ignoreDependency(allowed))
        .because("every feature builds on the shared code, so it cannot use a feature")
        .allowEmptyShould(false);
  }

  /** No two features depend on each other, directly or around a cycle. */
  public ArchRule featuresAreFreeOfCycles() {
    return slices()
        .matching(rootPackage + ".(*)..")
        .that(describe("are features", slice -> !sharedPackages.contains(slice.getNamePart(1))))
        .should()
        .beFreeOfCycles()
        .because("two features that need each other are one feature, or one is missing")
        .allowEmptyShould(false);
  }

  /** The feature a class belongs to; empty for the root, shared packages and anything outside. */
  public Optional<String> feature(JavaClass javaClass) {
    String packageName = javaClass.getBaseComponentType().getPackageName();
    if (!packageName.startsWith(rootPackage + ".")) {
      return Optional.empty();
    }
    String first = packageName.substring(rootPackage.length() + 1).split("\\.", 2)[0];
    return sharedPackages.contains(first) ? Optional.empty() : Optional.of(first);
  }

  /** A dependency of {@code origin} (or a class nested in it) on one of {@code targets}. */
  public static DescribedPredicate<Dependency> dependency(
      String description, Class<?> origin, Set<Class<?>> targets) {
    Set<String> targetNames = names(targets);
    return describe(
        description,
        (Dependency d) ->
            topLevel(d.getOriginClass()).isEquivalentTo(origin)
                && targetNames.contains(topLevel(d.getTargetClass()).getName()));
  }

  private boolean isInModule(JavaClass javaClass) {
    String packageName = javaClass.getPackageName();
    return packageName.equals(rootPackage) || packageName.startsWith(rootPackage + ".");
  }

  private boolean respectsFeatureBoundaries(Dependency dependency) {
    Optional<String> target = feature(dependency.getTargetClass());
    return target.isEmpty()
        || target.equals(feature(dependency.getOriginClass()))
        || entryPoints.contains(topLevel(dependency.getTargetClass()).getName());
  }

  /** A nested class is offered or not with the class that declares it. */
  private static JavaClass topLevel(JavaClass javaClass) {
    JavaClass top = javaClass.getBaseComponentType();
    while (top.getEnclosingClass().isPresent()) {
      top = top.getEnclosingClass().get();
    }
    return top;
  }

  private static Set<String> names(Set<Class<?>> classes) {
    return classes.stream().map(Class::getName).collect(Collectors.toUnmodifiableSet());
  }
}
