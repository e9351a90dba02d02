package dev.pulse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONVENTIONS §1: the pure core ({@code event}, {@code stream}, {@code rules}, {@code family}) knows no
 * framework, no I/O library and no wall clock, and arrows point inward.
 */
class ArchitectureTest {

    private static final String[] CORE = {"dev.pulse.event..", "dev.pulse.stream..", "dev.pulse.rules..", "dev.pulse.family..", "dev.pulse.engine.."};
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.pulse");
    }

    @Test
    void shouldKeepPureCoreFreeOfFrameworksAndIoLibraries() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "reactor..", "io.r2dbc..", "org.apache.kafka..",
                        "com.fasterxml.jackson..", "tools.jackson..", "io.netty..", "java.sql..", "java.net..", "java.nio.file..")
                .because("the core is a deterministic function of (state, input), testable without any infrastructure")
                .check(classes);
    }

    @Test
    void shouldKeepWallClockOutOfPureCore() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .because("event time is the truth; wall clock enters only through an injected InstantSource")
                .check(classes);
    }

    @Test
    void shouldKeepCoreIndependentOfOuterLayers() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.pulse.pipeline..", "dev.pulse.ingest..", "dev.pulse.projection..", "dev.pulse.push..",
                        "dev.pulse.api..", "dev.pulse.web..", "dev.pulse.config..", "dev.pulse.ops..")
                .check(classes);
    }

    @Test
    void shouldKeepReactorKafkaBehindTheIngestKafkaAdapter() {
        noClasses().that().resideOutsideOfPackage("dev.pulse.ingest.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("reactor.kafka..", "org.apache.kafka..")
                .because("STACK.md: Reactor Kafka must stay replaceable by a plain KafkaConsumer loop")
                .check(classes);
    }

    @Test
    void shouldKeepSqlInsideProjection() {
        noClasses().that().resideOutsideOfPackages("dev.pulse.projection..", "dev.pulse.config..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.r2dbc..", "io.r2dbc..")
                .check(classes);
    }
}
