package dev.pulse.pipeline;

import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Event;
import dev.pulse.ingest.EventJson;
import dev.pulse.ingest.kafka.LogRangeReader;
import dev.pulse.rules.CompiledRules;
import dev.pulse.rules.Detection;
import dev.pulse.rules.DetectionDiff;
import dev.pulse.rules.Rule;
import dev.pulse.rules.RuleVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code POST /api/rules/backtest} (SPEC §4.1): runs a candidate rule set and the active one over the same stretch
 * of the event log, each in fresh, pure {@link PartitionEngine}s (one per partition, as the pipeline's lanes),
 * and compares the detections they end with. It reads the log with a consumer of its own, writes nothing and
 * pushes nothing.
 * <p>
 * The range: detections are counted when their anchor event's time is in {@code [from, to)}. History before
 * {@code from} is read as a warm-up from {@code from − L}, where L is the longer lookback (longest window,
 * {@code within}, {@code within + absent_for}) of the two sets, so windows reaching back before {@code from} are
 * full; events up to {@code to + L} are applied too, so that late-completing conditions (a duplicate arriving
 * later, an absence deadline after {@code to}) resolve as they would have in production. Events outside
 * {@code [from − L, to + L)} are skipped. Both engines see exactly the same events, so the difference is the rule
 * sets' alone; {@code history_ratio} rules (mean of all earlier values) only see the warm-up as their history, and
 * the built-in {@code engagement_alert}, which no rule set changes, is left out.
 */
public final class Backtest {

    private static final Logger log = LoggerFactory.getLogger(Backtest.class);

    /** What one backtest found; {@code baselineVersion} is the active version it compared with. */
    public record Result(Instant from, Instant to, Instant readFrom, Instant readTo, long baselineVersion, long eventsRead,
                         long eventsApplied, DetectionDiff diff) {
    }

    /** The range holds more log records than {@code pulse.rule-changes.backtest-max-events}. */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(long records, long max) {
            super("the range holds " + records + " log records from its warm-up on, more than the " + max
                    + " a backtest may read (pulse.rule-changes.backtest-max-events); choose a shorter or more recent range");
        }
    }

    /** Another backtest is running on this instance; they run one at a time. */
    public static final class Busy extends RuntimeException {
        public Busy() {
            super("another backtest is running on this instance; try again when it is done");
        }
    }

    private final LogRangeReader reader;
    private final EventJson json;
    private final EngineSettings settings;
    private final Supplier<RuleVersion> activeRules;
    private final long maxEvents;
    private final Duration timeout;
    private final Scheduler blocking;
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * @param settings the pipeline's engine settings (out-of-orderness, lateness, engagement, risk); idle-advance
     *                 is turned off and counters are not computed here
     * @param blocking where the blocking read runs ({@code Schedulers.boundedElastic()})
     */
    public Backtest(LogRangeReader reader, EventJson json, EngineSettings settings, Supplier<RuleVersion> activeRules,
                    long maxEvents, Duration timeout, Scheduler blocking) {
        this.reader = reader;
        this.json = json;
        this.settings = EngineSettings.of(settings.maxOutOfOrderness(), Duration.ZERO, settings.allowedLateness(),
                settings.engagement(), settings.rules(), List.of()).withRisk(settings.risk());
        this.activeRules = activeRules;
        this.maxEvents = maxEvents;
        this.timeout = timeout;
        this.blocking = blocking;
    }

    /**
     * Cold; one result. Errors with {@link TooLarge}, {@link Busy}, or the Kafka client's exception; runs on the
     * blocking scheduler (the consumer blocks), at most one per instance at a time.
     */
    public Mono<Result> run(CompiledRules candidate, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return Mono.error(new IllegalArgumentException("from must be before to"));
        }
        return Mono.fromCallable(() -> {
                    if (!running.compareAndSet(false, true)) {
                        throw new Busy();
                    }
                    try {
                        return runBlocking(candidate, activeRules.get(), from, to);
                    } finally {
                        running.set(false);
                    }
                })
                .subscribeOn(blocking);
    }

    private Result runBlocking(CompiledRules candidate, RuleVersion baseline, Instant from, Instant to) throws TimeoutException {
        long started = System.nanoTime();
        Duration lookback = max(candidate.lookback(), baseline.rules().lookback());
        Instant readFrom = from.minus(lookback);
        Instant readTo = to.plus(lookback);
        List<Detection> before = new ArrayList<>();
        List<Detection> after = new ArrayList<>();
        long read = 0;
        long applied = 0;
        try (LogRangeReader.Session session = reader.open(timeout)) {
            List<LogRangeReader.OffsetRange> plan = session.plan(readFrom);
            long planned = plan.stream().mapToLong(LogRangeReader.OffsetRange::size).sum();
            if (planned > maxEvents) {
                throw new TooLarge(planned, maxEvents);
            }
            for (LogRangeReader.OffsetRange range : plan) {
                Set<String> inRange = new HashSet<>();
                Set<String> seen = new HashSet<>();
                DetectionDiff.Active baselineHere = new DetectionDiff.Active(counted(baseline.rules(), inRange));
                DetectionDiff.Active candidateHere = new DetectionDiff.Active(counted(candidate, inRange));
                PartitionEngine baselineEngine = PartitionEngine.fresh(settings.withRules(baseline.rules()), InstantSource.fixed(from));
                PartitionEngine candidateEngine = PartitionEngine.fresh(settings.withRules(candidate), InstantSource.fixed(from));
                long[] counts = new long[2];
                session.read(range, records -> {
                    counts[0] += records.size();
                    List<Event> events = new ArrayList<>();
                    // Dead letters are skipped (the pipeline routed them to the DLQ); repeats are dropped as the
                    // pipeline's dedup drops them, by event id.
                    for (Event e : DecodedBatch.decode(range.partition(), records, json).events()) {
                        Instant t = e.eventTimestamp();
                        if (t.isBefore(readFrom) || !t.isBefore(readTo) || !seen.add(e.eventId())) {
                            continue;
                        }
                        if (!t.isBefore(from) && t.isBefore(to)) {
                            inRange.add(e.eventId());
                        }
                        events.add(e);
                    }
                    if (!events.isEmpty()) {
                        counts[1] += events.size();
                        baselineHere.apply(baselineEngine.apply(events).detections());
                        candidateHere.apply(candidateEngine.apply(events).detections());
                    }
                });
                read += counts[0];
                applied += counts[1];
                before.addAll(baselineHere.detections());
                after.addAll(candidateHere.detections());
            }
        }
        DetectionDiff diff = DetectionDiff.of(before, after);
        log.info("backtest [{}, {}) against rule version {}: {} records read, {} events applied, {} added, {} removed, "
                        + "{} unchanged, in {} ms", from, to, baseline.number(), read, applied, diff.added().size(),
                diff.removed().size(), diff.unchanged().size(), (System.nanoTime() - started) / 1_000_000);
        return new Result(from, to, readFrom, readTo, baseline.number(), read, applied, diff);
    }

    /**
     * Detections of the set's own rules (not the built-in engagement_alert) whose anchor event is in the range;
     * {@code inRange} fills as events are read, always before the detections they anchor.
     */
    private static Predicate<Detection> counted(CompiledRules rules, Set<String> inRange) {
        Set<String> names = rules.ruleSet().rules().stream().map(Rule::name).collect(Collectors.toUnmodifiableSet());
        return d -> names.contains(d.pattern()) && inRange.contains(d.anchor());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
