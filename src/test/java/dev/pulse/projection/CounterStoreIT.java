package dev.pulse.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pulse.config.KafkaProperties;
import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.stream.time.Watermark;
import dev.pulse.stream.window.CounterChanges;
import dev.pulse.stream.window.Outcome;
import dev.pulse.stream.window.WindowCounter;
import dev.pulse.stream.window.WindowSpec;
import dev.pulse.support.PulseIT;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CounterStore} against the real PostgreSQL, read back through {@code GET /api/families/{id}/counters}
 * (SPEC §3.2, §5.1, §7): the changes of a real {@link WindowCounter}, written in a transaction as the
 * checkpoint does, land as rows that every filter finds, a session merge leaves only the merged row, and a
 * late event is recorded once per window it missed.
 */
class CounterStoreIT extends PulseIT {

    /**
     * A partition no consumer of the suite holds, so that its stored watermark, which decides which rows the API
     * calls final, is the scenario's own (the real partitions' follow today's events).
     */
    private static final int PARTITION = 63;
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final List<WindowSpec> SPECS = Stream.concat(WindowSpec.DEFAULTS.stream(),
            Stream.of(WindowSpec.count(2, 2))).toList();
    /** Decimals exactly as sent, to compare values and scales. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    @Autowired
    private CounterStore store;

    @Autowired
    private ReactiveTransactionManager transactionManager;

    @Autowired
    private KafkaProperties kafka;

    private String family;
    private WindowCounter counter;

    @BeforeEach
    void family() {
        family = uniqueFamily("counters");
        counter = new WindowCounter(SPECS, Duration.ZERO);
        // The counters endpoint answers 404 for a family without metrics; this one gets its row directly.
        db.sql("insert into realtime_family_metrics (family_id, kafka_partition, last_updated) values ($1, $2, $3)")
                .bind(0, family)
                .bind(1, PARTITION)
                .bind(2, NOW)
                .then()
                .block();
    }

    // --- the scenario -------------------------------------------------------------------------------

    /** Two payments in one minute, a login 30m30s after the last: two sessions. */
    private void firstBatch() {
        write(List.of(
                at(payment("p1", "09:10:00", "450.00"), Watermark.NONE),
                at(payment("p2", "09:10:30", "50.50"), Watermark.NONE),
                at(login("l1", "09:41:00"), Watermark.NONE)), Map.of());
    }

    /** A login at 09:25 closes the gap: the 09:41 session merges into the 09:10 one. */
    private void secondBatch() {
        write(List.of(at(login("l2", "09:25:00"), Watermark.NONE)), Map.of());
    }

    /**
     * A login at 10:00:05 with W = 10:00 makes the 09:xx tumbling windows final; then a payment at 09:12
     * misses its 1m and 1h windows (late for both) and still joins the open session.
     */
    private void thirdBatch() {
        Watermark w = watermark("10:00:00");
        write(List.of(at(login("x", "10:00:05"), w), at(payment("p3", "09:12:00", "10.00"), w)),
                Map.of(id("x"), 41L, id("p3"), 42L));
    }

    private void wholeScenario() {
        firstBatch();
        secondBatch();
        thirdBatch();
    }

    // --- reading back -------------------------------------------------------------------------------

    @Test
    void shouldListEveryRowNewestWindowFirstWhenNoFilterIsGiven() {
        wholeScenario();

        List<Map<String, Object>> rows = counters("");

        assertThat(rows).extracting(r -> r.get("window_start"), r -> r.get("window_type"), r -> r.get("size"),
                        r -> r.get("event_type"), r -> r.get("event_count"), r -> r.get("is_final"))
                .containsExactly(
                        tuple(iso("10:00:00"), "tumbling", "1h", "UserLogin", count(1), false),
                        tuple(iso("10:00:00"), "tumbling", "1m", "UserLogin", count(1), false),
                        tuple(iso("09:41:00"), "tumbling", "1m", "UserLogin", count(1), true),
                        tuple(iso("09:25:00"), "count", "2/2", "UserLogin", count(2), true),
                        tuple(iso("09:25:00"), "tumbling", "1m", "UserLogin", count(1), true),
                        tuple(iso("09:10:00"), "count", "2/2", "PaymentReceived", count(2), true),
                        tuple(iso("09:10:00"), "session", "30m", "*", count(6), false),
                        tuple(iso("09:10:00"), "tumbling", "1m", "PaymentReceived", count(2), true),
                        tuple(iso("09:00:00"), "tumbling", "1h", "PaymentReceived", count(2), true),
                        tuple(iso("09:00:00"), "tumbling", "1h", "UserLogin", count(2), true));
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("family_id")).isEqualTo(family);
            assertThat(r.get("updated_at")).isEqualTo(NOW.toString());
        });
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                arguments("window_type=session", List.of("09:10:00 session 30m *")),
                arguments("window_type=tumbling&size=1h",
                        List.of("10:00:00 tumbling 1h UserLogin", "09:00:00 tumbling 1h PaymentReceived", "09:00:00 tumbling 1h UserLogin")),
                arguments("window_type=count&size=2/2", List.of("09:25:00 count 2/2 UserLogin", "09:10:00 count 2/2 PaymentReceived")),
                arguments("event_type=PaymentReceived", List.of("09:10:00 count 2/2 PaymentReceived",
                        "09:10:00 tumbling 1m PaymentReceived", "09:00:00 tumbling 1h PaymentReceived")),
                arguments("event_type=*", List.of("09:10:00 session 30m *")),
                arguments("from=2026-11-23T09:10:00Z&to=2026-11-23T09:41:00Z", List.of("09:25:00 count 2/2 UserLogin",
                        "09:25:00 tumbling 1m UserLogin", "09:10:00 count 2/2 PaymentReceived", "09:10:00 session 30m *",
                        "09:10:00 tumbling 1m PaymentReceived")),
                arguments("from=2026-11-23T10:00:00Z", List.of("10:00:00 tumbling 1h UserLogin", "10:00:00 tumbling 1m UserLogin")),
                arguments("to=2026-11-23T09:10:00Z", List.of("09:00:00 tumbling 1h PaymentReceived", "09:00:00 tumbling 1h UserLogin")),
                arguments("size=1m&limit=2&offset=1", List.of("09:41:00 tumbling 1m UserLogin", "09:25:00 tumbling 1m UserLogin")),
                arguments("window_type=sliding", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void shouldAnswerMatchingRowsWhenFiltered(String query, List<String> expected) {
        wholeScenario();

        assertThat(counters(query)).extracting(r -> r.get("window_start").toString().substring(11, 19) + " "
                        + r.get("window_type") + " " + r.get("size") + " " + r.get("event_type"))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void shouldCarryAggregatesWithTheirScaleWhenEventsHaveValues() {
        wholeScenario();

        Map<String, Object> minute = counters("window_type=tumbling&size=1m&event_type=PaymentReceived").get(0);
        Map<String, Object> session = counters("window_type=session").get(0);

        assertThat(minute).containsEntry("window_end", iso("09:11:00"))
                .containsEntry("sum_value", new BigDecimal("500.50"))
                .containsEntry("avg_value", new BigDecimal("250.2500"))
                .containsEntry("min_value", new BigDecimal("50.50"))
                .containsEntry("max_value", new BigDecimal("450.00"));
        assertThat(session).containsEntry("window_end", iso("10:30:05"))
                .containsEntry("sum_value", null).containsEntry("avg_value", null)
                .containsEntry("min_value", null).containsEntry("max_value", null);
        assertThat(counters("window_type=tumbling&size=1m&event_type=UserLogin"))
                .allSatisfy(r -> assertThat(r.get("sum_value")).as("a type without a value").isNull());
    }

    @Test
    void shouldKeepOnlyMergedSessionWhenEventClosesGapBetweenSessions() {
        firstBatch();
        assertThat(counters("window_type=session")).extracting(r -> r.get("window_start"), r -> r.get("window_end"), r -> r.get("event_count"))
                .containsExactly(tuple(iso("09:41:00"), iso("10:11:00"), count(1)), tuple(iso("09:10:00"), iso("09:40:30"), count(2)));

        secondBatch();

        assertThat(counters("window_type=session")).extracting(r -> r.get("window_start"), r -> r.get("window_end"), r -> r.get("event_count"))
                .containsExactly(tuple(iso("09:10:00"), iso("10:11:00"), count(4)));
    }

    @Test
    void shouldCallRowsFinalOnceTheirPartitionsWatermarkPassesTheirEndWithoutWritingThemAgain() {
        firstBatch();
        assertThat(counters("window_type=tumbling&size=1m")).extracting(r -> r.get("is_final"))
                .as("no watermark yet").containsOnly(false);
        Map<String, Object> before = counters("window_type=tumbling&size=1m&event_type=PaymentReceived").get(0);

        // Only the checkpoint's watermark moves, as when another family's events (or idle-advance) move it.
        db.sql("update stream_checkpoints set watermark = $1 where consumer_group = $2 and topic = $3 and kafka_partition = $4")
                .bind(0, Instant.parse(iso("09:11:00")))
                .bind(1, kafka.groupId())
                .bind(2, kafka.topic())
                .bind(3, PARTITION)
                .then()
                .block();

        assertThat(counters("window_type=tumbling&size=1m")).extracting(r -> r.get("window_start"), r -> r.get("is_final"))
                .containsExactly(tuple(iso("09:41:00"), false), tuple(iso("09:10:00"), true));
        assertThat(counters("window_type=tumbling&size=1m&event_type=PaymentReceived").get(0))
                .as("the row itself is as it was written").containsEntry("updated_at", before.get("updated_at"))
                .containsEntry("event_count", before.get("event_count"));
    }

    @Test
    void shouldRecordLateEventOncePerMissedWindowWhenWindowsHaveClosed() {
        wholeScenario();

        List<List<Object>> late = db.sql("""
                        select event_id, event_type, event_timestamp, window_type, window_size, window_start, window_end,
                               watermark, kafka_partition, kafka_offset, recorded_at
                          from late_events where family_id = $1 order by id""")
                .bind(0, family)
                .map(r -> List.<Object>of(r.get(0, String.class), r.get(1, String.class), r.get(2, Instant.class),
                        r.get(3, String.class), r.get(4, String.class), r.get(5, Instant.class), r.get(6, Instant.class),
                        r.get(7, Instant.class), r.get(8, Integer.class), r.get(9, Long.class), r.get(10, Instant.class)))
                .all()
                .collectList()
                .block();

        assertThat(late).containsExactly(
                List.of(id("p3"), "PaymentReceived", t("09:12:00"), "tumbling", "1m", t("09:12:00"), t("09:13:00"),
                        t("10:00:00"), PARTITION, 42L, NOW),
                List.of(id("p3"), "PaymentReceived", t("09:12:00"), "tumbling", "1h", t("09:00:00"), t("10:00:00"),
                        t("10:00:00"), PARTITION, 42L, NOW));
    }

    @Test
    void shouldRecordUnknownOffsetWhenLateEventIsNotInOffsetMap() {
        List<Outcome> outcomes = new ArrayList<>(counter.onEvent(login("a", "09:00:00"), watermark("10:00:00")));
        CounterChanges changes = CounterChanges.of(outcomes);
        assertThat(changes.lates()).isNotEmpty();

        transactional(store.write(changes, PARTITION, Map.of(), NOW)).block();

        assertThat(db.sql("select distinct kafka_offset from late_events where family_id = $1").bind(0, family)
                .map(r -> r.get(0, Long.class)).all().collectList().block()).containsExactly(-1L);
    }

    @Test
    void shouldStoreNothingWhenTransactionRollsBack() {
        List<Outcome> outcomes = new ArrayList<>(counter.onEvent(payment("p1", "09:10:00", "1.00"), Watermark.NONE));
        outcomes.addAll(counter.onEvent(login("a", "08:00:00"), watermark("10:00:00")));
        CounterChanges changes = CounterChanges.of(outcomes);

        assertThatThrownBy(() -> transactional(store.write(changes, PARTITION, Map.of(), NOW)
                .then(Mono.error(new IllegalStateException("checkpoint failed")))).block())
                .hasMessageContaining("checkpoint failed");

        assertThat(counters("")).isEmpty();
        assertThat(db.sql("select count(*) from late_events where family_id = $1").bind(0, family)
                .map(r -> r.get(0, Long.class)).one().block()).isZero();
    }

    @Test
    void shouldStoreThousandsOfRowsWhenBatchIsLarge() {
        List<Outcome> outcomes = new ArrayList<>();
        Instant start = t("00:00:00");
        for (int i = 0; i < 3000; i++) {
            outcomes.addAll(counter.onEvent(Events.login(family).at(start.plusSeconds(30L * i)).id(id("bulk-" + i)).build(),
                    Watermark.NONE));
        }
        CounterChanges changes = CounterChanges.of(outcomes);
        assertThat(changes.upserts()).hasSizeGreaterThan(3000);

        transactional(store.write(changes, PARTITION, Map.of(), NOW)).block();

        assertThat(counters("window_type=tumbling&size=1m&limit=10000")).hasSize(1500)
                .allSatisfy(r -> assertThat(r.get("event_count")).isEqualTo(count(2)));
        assertThat(counters("window_type=count&limit=10000")).hasSize(1500);
        assertThat(counters("window_type=session")).extracting(r -> r.get("event_count")).containsExactly(count(3000));
    }

    // --- errors -------------------------------------------------------------------------------------

    static Stream<Arguments> invalidQueries() {
        return Stream.of(
                arguments("window_type=hopping", "window_type"),
                arguments("from=yesterday", "from"),
                arguments("to=2026-11-23", "to"),
                arguments("from=2026-11-23T10:00:00Z&to=2026-11-23T09:00:00Z", "from"),
                arguments("limit=0", "limit"),
                arguments("limit=10001", "limit"),
                arguments("limit=ten", "limit"),
                arguments("offset=-1", "offset"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidQueries")
    void shouldAnswer400NamingParameterWhenParameterIsInvalid(String query, String parameter) {
        String body = http.get().uri(b -> b.path("/api/families/{id}/counters").query(query).build(family)).exchange()
                .expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody();

        Map<String, Object> error = JSON.readValue(body, new TypeReference<Map<String, Object>>() { });
        assertThat(error).containsEntry("error", "invalid parameter");
        assertThat((String) error.get("detail")).startsWith(parameter + " ");
    }

    @Test
    void shouldAnswer404WhenFamilyIsUnknown() {
        String unknown = uniqueFamily("no-such-family");

        String body = http.get().uri("/api/families/{id}/counters?window_type=tumbling", unknown).exchange()
                .expectStatus().isNotFound()
                .expectBody(String.class).returnResult().getResponseBody();

        Map<String, Object> error = JSON.readValue(body, new TypeReference<Map<String, Object>>() { });
        assertThat(error).containsEntry("error", "not found");
        assertThat((String) error.get("detail")).contains(unknown);
    }

    @Test
    void shouldAnswerEmptyListWhenFamilyHasNoCounters() {
        assertThat(counters("")).isEmpty();
    }

    // --- helpers ------------------------------------------------------------------------------------

    private record Step(Event event, Watermark watermark) {
    }

    private static Step at(Event event, Watermark watermark) {
        return new Step(event, watermark);
    }

    /** Feeds the steps to the counter and writes their net effect in one transaction, as the checkpoint does. */
    private void write(List<Step> steps, Map<String, Long> offsets) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Step step : steps) {
            outcomes.addAll(counter.onEvent(step.event(), step.watermark()));
        }
        // As the checkpoint does: the rows and the partition's watermark in one transaction.
        Watermark w = counter.watermark();
        var checkpoint = db.sql("""
                        insert into stream_checkpoints (consumer_group, topic, kafka_partition, watermark, updated_date)
                        values ($1, $2, $3, $4, $5)
                        on conflict (consumer_group, topic, kafka_partition) do update set watermark = excluded.watermark""")
                .bind(0, kafka.groupId())
                .bind(1, kafka.topic())
                .bind(2, PARTITION)
                .bind(4, NOW);
        checkpoint = w.isNone() ? checkpoint.bindNull(3, Instant.class) : checkpoint.bind(3, w.instant());
        transactional(store.write(CounterChanges.of(outcomes), PARTITION, offsets, NOW).then(checkpoint.then())).block();
    }

    @AfterEach
    void forgetPartition() {
        db.sql("delete from stream_checkpoints where consumer_group = $1 and topic = $2 and kafka_partition = $3")
                .bind(0, kafka.groupId())
                .bind(1, kafka.topic())
                .bind(2, PARTITION)
                .then()
                .block();
    }

    private <T> Mono<T> transactional(Mono<T> work) {
        return TransactionalOperator.create(transactionManager).transactional(work);
    }

    private List<Map<String, Object>> counters(String query) {
        // A page of up to 10,000 rows is more than the client's default 256 KiB buffer.
        String body = http.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build().get().uri(b -> b.path("/api/families/{id}/counters").query(query).build(family)).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readValue(body, new TypeReference<List<Map<String, Object>>>() { });
    }

    private Event payment(String id, String timeOfDay, String amount) {
        return Events.payment(family).at(timeOfDay + "Z").amount(amount).id(id(id)).build();
    }

    private Event login(String id, String timeOfDay) {
        return Events.login(family).at(timeOfDay + "Z").id(id(id)).build();
    }

    private String id(String name) {
        return family + "-" + name;
    }

    private static Instant t(String timeOfDay) {
        return Instant.parse(Events.DEFAULT_DAY + "T" + timeOfDay + "Z");
    }

    private static String iso(String timeOfDay) {
        return t(timeOfDay).toString();
    }

    private static Watermark watermark(String timeOfDay) {
        return new Watermark(t(timeOfDay));
    }

    private static Object count(long n) {
        return java.math.BigInteger.valueOf(n);
    }
}
