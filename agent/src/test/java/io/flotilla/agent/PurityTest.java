package io.flotilla.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The decision packages stay pure: plain maps and records, no Kubernetes client, Vert.x, gRPC or netty. */
class PurityTest {
    @Test
    void decisionPackagesUseNoIoLibraries() {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.flotilla.agent");
        noClasses().that().resideInAnyPackage("io.flotilla.agent.model..", "io.flotilla.agent.readiness..",
                        "io.flotilla.agent.drift..", "io.flotilla.agent.status..",
                        "io.flotilla.agent.hooks..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "io.vertx..", "io.grpc..",
                        "io.netty..", "io.flotilla.agent.deploy..", "io.flotilla.agent.connection..")
                .check(classes); // check() asserts: it throws an AssertionError listing every violation
    }
}
