package io.flotilla.manager.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision packages (targeting, status aggregation, options merge, fleet.yaml model, validation)
 * stay pure: no Vert.x, fabric8, JGit, gRPC, netty or protobuf. A violation fails the build.
 */
class PurePackagesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.flotilla");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.flotilla.manager.targeting..", "io.flotilla.manager.status..",
            "io.flotilla.bundle.options..", "io.flotilla.bundle.fleetyaml..", "io.flotilla.manager.api..",
            "io.flotilla.manager.rollout..",
            "io.flotilla.manager.security.policy..", "io.flotilla.manager.events.."})
    void pureDecisionPackagesImportNoIoLibrary(String pkg) {
        assertThat(classes.stream().filter(c -> c.getPackageName().startsWith(pkg.replace("..", "")))).as(pkg)
                .isNotEmpty();
        ArchRule rule = noClasses().that().resideInAPackage(pkg).should().dependOnClassesThat()
                .resideInAnyPackage("io.vertx..", "io.fabric8..", "org.eclipse.jgit..", "io.grpc..", "io.netty..",
                        "com.google.protobuf..", "io.flotilla.proto..", "org.h2..");
        rule.check(classes);
    }
}
