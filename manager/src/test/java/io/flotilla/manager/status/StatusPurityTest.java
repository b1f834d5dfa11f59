package io.flotilla.manager.status;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The status package is pure decision logic: no I/O frameworks, no other manager packages. */
class StatusPurityTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flotilla.manager.status");

    @Test
    void dependsOnTheJdkOnly() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages("io.flotilla.manager.status", "java..")
                .check(CLASSES); // check() asserts: it throws an AssertionError listing every violation
    }
}
