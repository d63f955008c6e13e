package org.imgedge.app;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The packages depend on each other in one direction only: {@code app} wires the features, the APIs
 * use the features, and the low-level packages ({@code problem}, {@code config}, {@code support}) use
 * none of them. A cycle would mean no package can be read, or changed, without the others.
 */
class PackageCyclesTest {

  @Test
  @DisplayName("no two packages of the service depend on each other, directly or through others")
  void noCycles() {
    JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.imgedge");
    // one slice per package, sub-packages apart (imaging.codec is a slice of its own)
    slices().matching("org.imgedge.(**)").should().beFreeOfCycles().check(classes);
  }
}
