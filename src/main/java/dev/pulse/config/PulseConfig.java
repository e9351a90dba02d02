package dev.pulse.config;

import dev.pulse.engine.EngineSettings;
import dev.pulse.family.EngagementRules;
import dev.pulse.family.RiskModel;
import dev.pulse.rules.RuleSetValidator;
import dev.pulse.rules.CompiledRules;
import dev.pulse.rules.DefaultRules;
import dev.pulse.ingest.EventJson;
import dev.pulse.ingest.kafka.EventLogReceiver;
import dev.pulse.ingest.kafka.EventLogSender;
import dev.pulse.ingest.kafka.TopicInitializer;
import dev.pulse.ingest.simulator.Simulator;
import dev.pulse.pipeline.EventPipeline;
import dev.pulse.pipeline.LogStart;
import dev.pulse.pipeline.OffsetCeiling;
import dev.pulse.pipeline.ReplaySwitch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.ObjectProvider;
import dev.pulse.ingest.kafka.LogEndOffsets;
import dev.pulse.projection.CheckpointQueries;
import dev.pulse.projection.CounterStore;
import dev.pulse.projection.DetectionQueries;
import dev.pulse.projection.FamilyQueries;
import dev.pulse.projection.FamilyStateStore;
import dev.pulse.projection.ProjectionWriter;
import dev.pulse.projection.NotificationChannel;
import dev.pulse.push.LongLivedRequests;
import dev.pulse.push.hub.UpdateHub;
import dev.pulse.push.relay.UpdateRelay;
import dev.pulse.push.ws.DashboardSocket;
import dev.pulse.push.hub.ClientOutbox;
import dev.pulse.push.hub.GoingAway;
import dev.pulse.push.hub.StatusFeed;
import dev.pulse.push.sse.DetectionFeed;
import dev.pulse.push.sse.LiveStreamController;
import dev.pulse.projection.DetectionEvents;
import dev.pulse.projection.DetectionLogRetention;
import dev.pulse.projection.ActiveRules;
import dev.pulse.projection.RuleVersions;
import dev.pulse.pipeline.Backtest;
import dev.pulse.ingest.kafka.LogRangeReader;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.netty.http.server.WebsocketServerSpec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/** Wires the capabilities together; the only place that knows all of them. */
@Configuration(proxyBeanMethods = false)
class PulseConfig {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PulseConfig.class);

    /** How long a SIGTERM waits for the pipeline's checkpoint in flight before cancelling it (it then rolls back). */
    static final Duration PIPELINE_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    /** Runs before any bean is made: a configuration mistake stops the start before anything connects. */
    @Bean
    static ConfigurationCheck configurationCheck() {
        return new ConfigurationCheck();
    }

    @Bean
    EventJson eventJson(IngestProperties ingest) {
        // The same record limits on both paths: over HTTP a record is refused, from Kafka it goes to the DLQ.
        return new EventJson(new dev.pulse.event.EventValidator(ingest.maxStringLength()));
    }

    @Bean(destroyMethod = "close")
    EventLogSender eventLogSender(KafkaProperties kafka) {
        // Topics exist before anything sends to or reads from them.
        TopicInitializer.ensureTopics(kafka);
        return new EventLogSender(kafka);
    }

    /**
     * A replay reads the whole log with a Kafka consumer group of its own ({@code <group-id>-replay}), so it
     * takes every partition and leaves the live group alone; its checkpoint rows still carry the live group's
     * name, in the replay schema, so that they can replace the live ones.
     */
    @Bean
    EventLogReceiver eventLogReceiver(KafkaProperties kafka, ReplayProperties replay) {
        return new EventLogReceiver(replay.active() ? new KafkaProperties(kafka.bootstrapServers(), kafka.topic(),
                kafka.dlqTopic(), kafka.groupId() + "-replay", kafka.partitions(), kafka.maxPollRecords(),
                kafka.sessionTimeout()) : kafka);
    }

    @Bean
    ProjectionWriter projectionWriter(DatabaseClient db, KafkaProperties kafka) {
        return new ProjectionWriter(db, kafka.groupId(), kafka.topic());
    }

    @Bean
    FamilyStateStore familyStateStore(DatabaseClient db) {
        return new FamilyStateStore(db);
    }

    @Bean
    FamilyQueries familyQueries(DatabaseClient db) {
        return new FamilyQueries(db);
    }

    @Bean
    DetectionQueries detectionQueries(DatabaseClient db) {
        return new DetectionQueries(db);
    }

    @Bean
    UpdateHub updateHub() {
        return new UpdateHub();
    }

    /**
     * The deployment's fan-out channel; its listener holds one connection of its own, outside the pool,
     * named {@code pulse-relay} in {@code pg_stat_activity} so that operators (and tests) can tell it apart.
     */
    @Bean
    NotificationChannel updateChannel(DatabaseClient db, R2dbcConnectionDetails connection, KafkaProperties kafka) {
        ConnectionFactoryOptions listener = connection.getConnectionFactoryOptions().mutate()
                .option(Option.valueOf("applicationName"), "pulse-relay")
                .option(Option.valueOf("tcpKeepAlive"), true)
                .build();
        return new NotificationChannel(db, ConnectionFactories.get(listener), UpdateRelay.channelFor(kafka.groupId(), kafka.topic()));
    }

    /**
     * The pipeline's own workers. Shared with the clients' fan-out (as on {@code Schedulers.parallel()}), a lane's
     * batch queued behind a hundred clients' frame building, and the whole pipeline fell behind as clients connected
     * (docs/performance.md, live latency); on threads of its own it gets its share of the CPU from the kernel.
     */
    @Bean(destroyMethod = "dispose")
    Scheduler pipelineScheduler() {
        return Schedulers.newParallel("pulse-pipeline", Runtime.getRuntime().availableProcessors());
    }

    /** The workers of live delivery: each WebSocket and SSE client's outbox drains and its frames are built here. */
    @Bean(destroyMethod = "dispose")
    Scheduler pushScheduler() {
        return Schedulers.newParallel("pulse-push", Runtime.getRuntime().availableProcessors());
    }

    /** One thread on which the relay reassembles, decodes and publishes, so updates keep their commit order. */
    @Bean(destroyMethod = "dispose")
    Scheduler relayScheduler() {
        return Schedulers.newSingle("pulse-relay");
    }

    @Bean
    UpdateRelay updateRelay(NotificationChannel channel, UpdateHub hub, Scheduler relayScheduler, FanOutProperties fanOut,
                            ReplayProperties replay) {
        // A replay announces nothing (SPEC §4.1): no client hears of a replayed event.
        return new UpdateRelay(replay.active() ? payloads -> reactor.core.publisher.Mono.empty() : channel::notify,
                onListening -> channel.listen(fanOut.maxPending(), fanOut.heartbeat(), relayScheduler, onListening),
                hub, relayScheduler, fanOut.minBackoff(), fanOut.maxBackoff());
    }

    /**
     * Listening before anything else starts (web server, pipeline) and stopping after them: whatever the
     * pipeline commits from its first batch on reaches this instance's clients.
     */
    @Bean
    FluxLifecycle relayLifecycle(UpdateRelay relay, FanOutProperties fanOut) {
        return new FluxLifecycle("update relay", relay::run, SmartLifecycle.DEFAULT_PHASE - 4096, relay.firstListening(),
                fanOut.startTimeout());
    }

    @Bean
    MeterBinder relayMeters(UpdateRelay relay) {
        return registry -> {
            FunctionCounter.builder("pulse.relay.sent", relay, UpdateRelay::sent)
                    .description("committed updates announced on the fan-out channel by this instance").register(registry);
            FunctionCounter.builder("pulse.relay.received", relay, UpdateRelay::received)
                    .description("committed updates heard on the fan-out channel (any instance's) and pushed to local clients")
                    .register(registry);
            FunctionCounter.builder("pulse.relay.reconnects", relay, UpdateRelay::reconnects)
                    .description("times the fan-out channel was listened to again after a loss (clients were told to resync)")
                    .register(registry);
        };
    }

    @Bean
    CompiledRules compiledRules(RulesProperties rules) {
        // Refused at start, with every problem named, when the rule set does not validate (SPEC §3.3).
        return CompiledRules.compile(rules.patterns().isEmpty() ? DefaultRules.spec() : rules.toRuleSet());
    }

    @Bean
    RuleVersions ruleVersions(DatabaseClient db, ReactiveTransactionManager transactionManager) {
        return new RuleVersions(db, TransactionalOperator.create(transactionManager));
    }

    @Bean
    ActiveRules activeRules(RuleVersions versions) {
        return new ActiveRules(versions);
    }

    /**
     * Loads the active rule version before anything that uses it starts (web server, pipeline), recording the
     * configured set as a version when it is new, and then keeps it current (SPEC §4.1).
     */
    @Bean
    RuleVersionLifecycle ruleVersionLifecycle(ActiveRules active, CompiledRules configured, RuleChangeProperties changes,
                                              InstantSource clock) {
        return new RuleVersionLifecycle(active, configured.ruleSet(), changes.refreshInterval(), clock, Schedulers.parallel());
    }

    @Bean
    Backtest backtest(KafkaProperties kafka, EventJson json, EngineSettings engineSettings, ActiveRules active,
                      RuleChangeProperties changes) {
        // The backtest's consumer blocks: it runs on boundedElastic, never on an event loop.
        return new Backtest(new LogRangeReader(kafka), json, engineSettings, active::current, changes.backtestMaxEvents(),
                changes.backtestTimeout(), Schedulers.boundedElastic());
    }

    @Bean
    EngineSettings engineSettings(StreamProperties stream, CompiledRules rules, CounterProperties counters, RiskModel risk,
                                  ReplayProperties replay) {
        if (risk == RiskModel.NONE) {
            // Not refused: the default set holds risk_high, and a configuration source can add rules but not remove one,
            // so refusing would make scoring impossible to turn off. The engine never fires them without a model.
            RuleSetValidator.withoutRiskModel(rules.ruleSet()).forEach(problem -> log.warn("rule {} will never fire: {}", problem.rule(), problem.reason()));
        }
        return EngineSettings.of(stream.maxOutOfOrderness(), idleAdvance(stream, replay), stream.allowedLateness(),
                EngagementRules.DEFAULTS, rules, counters.specs()).withRisk(risk);
    }

    /** A rebuild from an instant reads each partition from its first record at or after it; anything else from the beginning. */
    private static LogStart logStart(ReplayProperties replay, LogEndOffsets endOffsets) {
        return replay.startInstant().<LogStart>map(instant -> partitions -> endOffsets.firstAtOrAfter(instant, partitions)
                .block(Duration.ofSeconds(30))).orElse(LogStart.BEGINNING);
    }

    /**
     * Idle-advance moves watermarks by the wall clock, which a replay cannot reproduce: a replay runs without
     * it, so its results depend on the log alone (SPEC §7, deterministic runs set it to 0).
     */
    private static java.time.Duration idleAdvance(StreamProperties stream, ReplayProperties replay) {
        return replay.active() ? java.time.Duration.ZERO : stream.idleAdvance();
    }

    /**
     * {@code pulse.checkpoint.duration}: each checkpoint transaction that committed, first statement to commit
     * (SPEC §5.6). Prometheus gets it as a histogram (buckets cumulative since start, so {@code histogram_quantile}
     * gives any percentile over any range); registries without histograms get p50 and p99 over a decaying
     * 5-minute window.
     */
    @Bean
    Timer checkpointDuration(MeterRegistry registry) {
        return Timer.builder("pulse.checkpoint.duration")
                .description("checkpoint transactions (one per micro-batch and partition), from first statement to commit")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .distributionStatisticExpiry(java.time.Duration.ofMinutes(5))
                .distributionStatisticBufferLength(5)
                .register(registry);
    }

    @Bean
    EventPipeline eventPipeline(EventLogReceiver receiver, EventLogSender sender, ProjectionWriter writer,
                                FamilyStateStore states, CounterStore counters,
                                ReactiveTransactionManager transactionManager, UpdateRelay relay, EventJson json,
                                EngineSettings engineSettings, ActiveRules activeRules, StreamProperties stream,
                                InstantSource clock, InstanceProperties instance, RuleVersionLifecycle rulesLoaded,
                                ReplayProperties replay, ObjectProvider<ReplaySwitch> replaySwitch, Timer checkpointDuration,
                                Scheduler pipelineScheduler, LogEndOffsets endOffsets) {
        // rulesLoaded: the lanes read the active rule version, which that lifecycle loads before the pipeline starts
        StreamProperties lanes = new StreamProperties(stream.maxOutOfOrderness(), idleAdvance(stream, replay),
                stream.allowedLateness(), stream.checkpointInterval(), stream.checkpointMaxEvents(), stream.maxInFlightEvents(),
                stream.stepTimeout());
        OffsetCeiling ceiling = replaySwitch.getIfAvailable();
        return new EventPipeline(receiver, sender, writer, states, counters, TransactionalOperator.create(transactionManager), relay, json,
                engineSettings, activeRules::current, lanes, clock, pipelineScheduler, instance.id(),
                ceiling == null ? OffsetCeiling.UNBOUNDED : ceiling, logStart(replay, endOffsets), !replay.active(),
                nanos -> checkpointDuration.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    @Bean
    CheckpointQueries checkpointQueries(DatabaseClient db, KafkaProperties kafka) {
        return new CheckpointQueries(db, kafka.groupId(), kafka.topic());
    }

    @Bean(destroyMethod = "close")
    LogEndOffsets logEndOffsets(KafkaProperties kafka) {
        return new LogEndOffsets(kafka, Duration.ofSeconds(5), Schedulers.parallel());
    }

    /** {@code pipeline} in {@code /actuator/health}. */
    @Bean
    PipelineHealthIndicator pipelineHealthIndicator(EventPipeline pipeline, CheckpointQueries checkpoints) {
        return new PipelineHealthIndicator(pipeline, checkpoints);
    }

    @Bean
    MeterBinder pipelineMeters(EventPipeline pipeline) {
        return registry -> {
            FunctionCounter.builder("pulse.checkpoints.fenced", pipeline, EventPipeline::fencedCheckpoints)
                    .description("checkpoint transactions rolled back because another claim raised the partition's owner epoch")
                    .register(registry);
            Gauge.builder("pulse.pipeline.records.in.flight", pipeline, EventPipeline::recordsInFlight)
                    .description("records taken from Kafka and not yet checkpointed; at most pulse.stream.max-in-flight-events")
                    .register(registry);
        };
    }

    @Bean
    FluxLifecycle pipelineLifecycle(EventPipeline pipeline, dev.pulse.ops.PipelineMeters meters) {
        // On SIGTERM the checkpoint in flight commits rather than rolls back, so nothing is read twice after
        // the restart; a checkpoint takes well under a second, the bound is for a database that hangs.
        return FluxLifecycle.draining("event pipeline", () -> pipeline.run().doOnNext(meters::record), pipeline::drain,
                PIPELINE_DRAIN_TIMEOUT);
    }

    @Bean
    @ConditionalOnBooleanProperty("pulse.simulator.enabled")
    FluxLifecycle simulator(SimulatorProperties properties, EventLogSender sender, EventJson json, InstantSource clock,
                            ReplayProperties replay) {
        if (replay.active()) {
            // A replay only reads the log: simulated events would be new live input.
            return new FluxLifecycle("simulator (off while replaying)", reactor.core.publisher.Flux::never);
        }
        Simulator simulator = new Simulator(properties, sender, json, clock, Schedulers.parallel());
        return new FluxLifecycle("simulator", simulator::run);
    }

    @Bean
    DetectionEvents detectionEvents(DatabaseClient db) {
        return new DetectionEvents(db);
    }

    @Bean
    DetectionFeed detectionFeed(DetectionEvents events, UpdateHub hub, LiveProperties live) {
        return new DetectionFeed(events::after, events::latest, events::prunedThrough, hub, Schedulers.parallel(), live.ssePoll(),
                live.ssePage());
    }

    /** Deletes SSE's detection log past its retention, hourly; not in a replay, which must not touch the live tables. */
    @Bean
    FluxLifecycle detectionLogRetention(DetectionEvents events, LiveProperties live, InstantSource clock, ReplayProperties replay) {
        if (replay.active() || live.sseRetention().isZero()) {
            return new FluxLifecycle("detection log retention (off)", reactor.core.publisher.Flux::never);
        }
        DetectionLogRetention retention = new DetectionLogRetention(events, live.sseRetention(), Duration.ofHours(1), clock,
                Schedulers.parallel());
        return new FluxLifecycle("detection log retention", retention::run);
    }

    @Bean
    StatusFeed statusFeed(CheckpointQueries checkpoints, LogEndOffsets endOffsets, UpdateHub hub, InstantSource clock,
                          LiveProperties live) {
        return new StatusFeed(() -> checkpoints.all().collectList(),
                () -> endOffsets.ranges().map(ranges -> ranges.values().stream()
                        .collect(java.util.stream.Collectors.toMap(LogEndOffsets.LogRange::partition, LogEndOffsets.LogRange::next))),
                hub, clock, Schedulers.parallel(), live.statusInterval());
    }

    /** Error frames queued for one client before further ones are dropped (a client flooding bad messages). */
    private static final int MAX_PENDING_ERRORS = 16;

    private static ClientOutbox.Limits outboxLimits(LiveProperties live) {
        return new ClientOutbox.Limits(live.metricsInterval(), live.maxPendingDetections(), live.maxPendingFamilies(),
                MAX_PENDING_ERRORS);
    }

    @Bean
    GoingAway goingAway() {
        return new GoingAway();
    }

    /**
     * Ends WebSockets (1001) and SSE streams (a final comment) on shutdown: after the pipeline's drain (phase
     * {@code DEFAULT_PHASE}), whose last pushes still reach the clients, and before the web server's graceful
     * shutdown ({@code DEFAULT_PHASE - 1024}), which would otherwise wait on connections that never end.
     */
    @Bean
    SmartLifecycle goingAwayLifecycle(GoingAway goingAway) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                goingAway.announce();
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return SmartLifecycle.DEFAULT_PHASE - 512;
            }
        };
    }

    @Bean
    LiveStreamController.Settings liveStreamSettings(LiveProperties live, GoingAway goingAway, Scheduler pushScheduler) {
        return new LiveStreamController.Settings(live.sseHeartbeat(), outboxLimits(live), live.maxFilterFamilies(),
                pushScheduler, goingAway);
    }

    @Bean
    HandlerMapping webSocketMapping(UpdateHub hub, FamilyQueries families, DetectionQueries detections, StatusFeed status,
                                    LiveProperties live, JsonMapper mapper, GoingAway goingAway, Scheduler pushScheduler) {
        DashboardSocket socket = new DashboardSocket(hub, DashboardSocket.snapshotsFrom(families, detections),
                status.statuses(), outboxLimits(live),
                new DashboardSocket.InboundLimits(live.maxClientMessage().toBytes(), live.maxFilterFamilies()),
                pushScheduler, mapper, goingAway);
        return new SimpleUrlHandlerMapping(Map.of("/ws/dashboard", socket), -1);
    }

    /**
     * Frames up to {@code pulse.live.max-frame} are read (Netty's default is 64 KiB), so that a client message
     * over {@code max-client-message} but under it is answered with an error frame instead of a closed socket.
     */
    @Bean
    WebFluxConfigurer webSocketFrameLimit(LiveProperties live) {
        int maxFrame = (int) Math.min(Integer.MAX_VALUE, live.maxFrame().toBytes());
        return new WebFluxConfigurer() {
            @Override
            public WebSocketService getWebSocketService() {
                // Each session tells the per-user limit and the client gauge when its socket ends
                // (LongLivedRequests#untilEnd): the upgrade's exchange ends with the handshake.
                return LongLivedRequests.endingWithSession(new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                        () -> WebsocketServerSpec.builder().maxFramePayloadLength(maxFrame))));
            }
        };
    }
}
