package dev.pulse.config;

import dev.pulse.pipeline.ReplaySwitch;
import dev.pulse.projection.ReplaySwitchover;
import io.r2dbc.spi.Option;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.scheduler.Schedulers;

/**
 * A replay process (SPEC §4.1, {@code pulse.replay.from}): its database connections and Flyway work in the
 * replay schema (dropped and migrated afresh at start), and a {@link ReplaySwitch} switches the live tables
 * over once it has caught up; then the process exits. What else differs from a live process is wired in
 * {@link PulseConfig}: a Kafka consumer group of its own, no announcements (nothing is pushed), no
 * idle-advance, no simulator.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "pulse.replay", name = "from")
class ReplayBeans {

    private static final Logger log = LoggerFactory.getLogger(ReplayBeans.class);

    /** Every R2DBC connection of the process has the replay schema as its search path (r2dbc-postgresql option). */
    @Bean
    ConnectionFactoryOptionsBuilderCustomizer replaySchemaConnections(ReplayProperties replay) {
        return builder -> builder.option(Option.valueOf("schema"), replay.schema());
    }

    @Bean
    FlywayConfigurationCustomizer replaySchemaMigrations(ReplayProperties replay) {
        return configuration -> configuration.schemas(replay.schema()).defaultSchema(replay.schema()).createSchemas(true);
    }

    /** A replay always starts from nothing: what an earlier, unfinished one left in its schema goes first. */
    @Bean
    FlywayMigrationStrategy freshReplaySchema(ReplayProperties replay, InstantSource clock) {
        return flyway -> {
            replay.requireStartNotAfter(clock.instant()); // before anything is dropped
            // On the main thread during start-up: plain JDBC is fine here.
            try (Connection c = flyway.getConfiguration().getDataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("drop schema if exists " + ReplaySwitchover.identifier(replay.schema()) + " cascade");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop the replay schema " + replay.schema(), e);
            }
            log.info("replay: rebuilding every projection from the log (from {}) into schema {}", replay.from(), replay.schema());
            flyway.migrate();
            // The replay derives detections with the live rule versions (SPEC §4.1: each detection names the version
            // that produced it), so it starts from a copy of them; rule_set_versions is not swapped at switch-over.
            try (Connection c = flyway.getConfiguration().getDataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("do $$ begin if to_regclass('public.rule_set_versions') is not null then "
                        + "insert into " + ReplaySwitchover.identifier(replay.schema()) + ".rule_set_versions "
                        + "select * from public.rule_set_versions; end if; end $$");
            } catch (SQLException e) {
                throw new IllegalStateException("could not copy the live rule versions into " + replay.schema(), e);
            }
        };
    }

    @Bean
    ReplaySwitch replaySwitch(DatabaseClient db, ReactiveTransactionManager transactionManager, KafkaProperties kafka,
                              ReplayProperties replay, InstantSource clock, InstanceProperties instance) {
        ReplaySwitchover switchover = new ReplaySwitchover(db, TransactionalOperator.create(transactionManager),
                kafka.groupId(), kafka.topic(), replay.schema());
        return new ReplaySwitch(switchover, replay.poll(), replay.maxGap(), replay.catchUp(), clock, Schedulers.parallel(),
                "replay-" + instance.id());
    }

    /** Runs the switch with the pipeline; once it switched, the process stops (exit code 0). */
    @Bean
    FluxLifecycle replaySwitchLifecycle(ReplaySwitch replaySwitch, ApplicationContext context) {
        return new FluxLifecycle("replay switch-over", () -> replaySwitch.run()
                .doOnNext(at -> {
                    Thread exit = new Thread(() -> System.exit(SpringApplication.exit(context, () -> 0)), "pulse-replay-exit");
                    exit.start();
                })
                .flux()
                .concatWith(reactor.core.publisher.Flux.never()), // done, not failed: the exit above ends it
                SmartLifecycle.DEFAULT_PHASE, reactor.core.publisher.Mono.empty(), java.time.Duration.ZERO);
    }
}
