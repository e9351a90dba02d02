package dev.pulse.ingest.http;

import dev.pulse.support.TestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.ingest.http.FuzzCorpus.Case;
import dev.pulse.ingest.http.FuzzCorpus.PerRecord;
import dev.pulse.ingest.http.FuzzCorpus.Sent;
import dev.pulse.ingest.http.FuzzCorpus.WholeBody;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 8's fuzz test (SPEC §1.3, §5.5): over ten thousand generated bodies against the real application, broker and
 * database: malformed JSON, wrong types, huge and deeply nested values, invalid UTF-8, NUL and half surrogate pairs,
 * NDJSON with broken lines, bodies over every limit, all mixed with valid events (hostile family ids among them).
 * <ul>
 *   <li>every answer is the one {@link FuzzCorpus} wrote down for its body: 202 with exactly the valid records
 *       accepted and every refused one listed by index with an error naming its field, or 400/413 with
 *       {@code error} and {@code detail} for a body refused whole;</li>
 *   <li>the server stays up and no partition ends in {@code error} (a record PostgreSQL cannot store would have
 *       stopped its partition for good);</li>
 *   <li>afterwards each family's {@code events_processed} is exactly the number of distinct valid events it was
 *       sent in accepted bodies: none lost, none counted twice, nothing of a refused body counted.</li>
 * </ul>
 * The seed is printed; rerun one with {@code -Dpulse.fuzz.seed=<seed>}; {@code -Dpulse.fuzz.bodies=<n>} changes
 * the number of generated bodies (default 10,000, plus five big ones).
 */
class IngestFuzzIT extends PulseIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CONCURRENCY = 24;

    /** What came back for one body; the body itself is not kept (the corpus is never held whole). */
    private record Answer(Case sent, int status, byte[] body, Throwable failure, long nanos) {
    }

    @Test
    void shouldAnswerEveryBodyAsSpecifiedAndCountExactlyTheValidEventsWhenFedHostileInput() {
        long seed = Long.getLong("pulse.fuzz.seed", System.nanoTime());
        int bodies = Integer.getInteger("pulse.fuzz.bodies", 10_000);
        System.out.println("IngestFuzzIT seed " + seed + " (rerun with -Dpulse.fuzz.seed=" + seed + ")");
        try {
            run(seed, bodies);
        } catch (AssertionError e) {
            throw new AssertionError("IngestFuzzIT seed " + seed + " (rerun with -Dpulse.fuzz.seed=" + seed + "): "
                    + e.getMessage(), e);
        }
    }

    private void run(long seed, int bodies) {
        FuzzCorpus corpus = new FuzzCorpus(seed, UUID.randomUUID().toString().substring(0, 8));
        Map<String, Set<String>> expected = new HashMap<>();
        corpus.families().forEach(f -> expected.put(f, new HashSet<>()));
        Map<String, Integer> byKind = new TreeMap<>();
        Map<String, Long> nanosByKind = new TreeMap<>();

        long started = System.nanoTime();
        // Each answer is checked on this thread as it arrives, in corpus order, and then dropped with its body.
        int answered = 0;
        try (java.util.stream.Stream<Answer> answers = post(corpus.cases(bodies)).toStream(CONCURRENCY)) {
            for (Answer answer : (Iterable<Answer>) answers::iterator) {
                check(answer);
                answered++;
                byKind.merge(answer.sent().kind() + " -> " + answer.status(), 1, Integer::sum);
                nanosByKind.merge(answer.sent().kind() + " -> " + answer.status(), answer.nanos(), Long::sum);
                if (answer.sent().expected() instanceof PerRecord records && answer.status() == 202) {
                    for (Sent sent : records.sent()) {
                        expected.get(sent.family()).add(sent.eventId());
                    }
                }
            }
        }
        assertThat(answered).isEqualTo(bodies + FuzzCorpus.BIG_BODIES);
        System.out.printf("IngestFuzzIT: %d bodies answered in %d ms%n", answered, (System.nanoTime() - started) / 1_000_000);
        System.out.println("IngestFuzzIT answers by kind: " + byKind);
        Map<String, Long> meanMs = new TreeMap<>();
        nanosByKind.forEach((k, v) -> meanMs.put(k, v / byKind.get(k) / 1_000_000));
        System.out.println("IngestFuzzIT mean ms by kind: " + meanMs);
        long reconcileStart = System.nanoTime();
        assertThat(byKind.keySet()).as("the corpus reached every kind of answer")
                .anyMatch(k -> k.endsWith("202")).anyMatch(k -> k.endsWith("400")).anyMatch(k -> k.endsWith("413"));

        reconcile(expected);
        assertServerUpAndNoPartitionInError();
        System.out.printf("IngestFuzzIT: reconciled in %d ms%n", (System.nanoTime() - reconcileStart) / 1_000_000);
    }

    private Flux<Answer> post(java.util.Iterator<Case> cases) {
        WebClient client = TestCredentials.webClient("http://127.0.0.1:" + port)
                // the answer to 100,000 records lists every refused one
                .codecs(c -> c.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
                .build();
        return Flux.fromIterable(() -> cases)
                .flatMapSequential(c -> send(client, c), CONCURRENCY)
                .timeout(Duration.ofMinutes(3))
                // off the event loop: handing an answer to the blocking iterator takes a lock (BlockHound is right)
                .publishOn(Schedulers.boundedElastic(), CONCURRENCY);
    }

    private static Mono<Answer> send(WebClient client, Case c) {
        WebClient.RequestBodySpec request = client.post().uri("/api/events");
        if (c.contentType() != null) {
            request = request.contentType(MediaType.parseMediaType(c.contentType()));
        }
        long start = System.nanoTime();
        return request.bodyValue(c.body().get())
                .exchangeToMono(response -> response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                        .map(body -> new Answer(c, response.statusCode().value(), body, null, System.nanoTime() - start)))
                .onErrorResume(e -> Mono.just(new Answer(c, -1, new byte[0], e, 0)));
    }

    private static void check(Answer answer) {
        Case c = answer.sent();
        String what = "body %d (%s)".formatted(c.number(), c.kind());
        if (answer.failure() != null) {
            throw new AssertionError(what + ": no answer (the server must stay up and answer every body)", answer.failure());
        }
        JsonNode body = JSON.readTree(answer.body());
        String shown = abbreviate(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
        if (c.expected() instanceof WholeBody whole) {
            assertThat(answer.status()).as("%s: status; answer %s", what, shown).isEqualTo(whole.status());
            assertThat(body.path("error").asString("")).as("%s: error; answer %s", what, shown).isEqualTo(whole.error());
            assertThat(body.path("detail").asString("")).as("%s: detail; answer %s", what, shown).isNotBlank();
            return;
        }
        PerRecord records = (PerRecord) c.expected();
        long valid = records.validCount();
        assertThat(answer.status()).as("%s: status; answer %s", what, shown).isEqualTo(valid > 0 ? 202 : 400);
        if (valid == 0) {
            assertThat(body.path("error").asString("")).as("%s: error; answer %s", what, shown).isEqualTo("no valid events");
            assertThat(body.path("detail").asString("")).as("%s: detail", what).isNotBlank();
        }
        assertThat(body.path("accepted").asLong(-1)).as("%s: accepted; answer %s", what, shown).isEqualTo(valid);
        Map<Integer, String> rejected = new LinkedHashMap<>();
        for (JsonNode r : body.path("rejected")) {
            rejected.put(r.path("index").asInt(), r.path("error").asString(""));
        }
        Map<Integer, String> refusedFields = new LinkedHashMap<>();
        for (int i = 0; i < records.refusedField().size(); i++) {
            if (records.refusedField().get(i) != null) {
                refusedFields.put(i, records.refusedField().get(i));
            }
        }
        assertThat(rejected.keySet()).as("%s: indexes of the refused records; answer %s", what, shown)
                .containsExactlyElementsOf(refusedFields.keySet());
        refusedFields.forEach((index, field) -> assertThat(rejected.get(index))
                .as("%s: error of record %d", what, index).startsWith(field + ": "));
    }

    /** Every family at exactly its expected count once the log is consumed; families sent nothing valid stay unknown. */
    private void reconcile(Map<String, Set<String>> expected) {
        Map<String, Long> want = new TreeMap<>();
        expected.forEach((family, ids) -> want.put(family, (long) ids.size()));
        // Every accepted event was in the log before its answer; once every partition is checkpointed up to the log
        // end, each family's count is final: a lost event shows as too few, a doubled one as too many.
        Poll.until(Duration.ofSeconds(120), "every partition consumed to the log end", () -> consumedToEnd() ? true : null);
        Map<String, Long> processed = processedByFamily(want.keySet());
        assertThat(processed).as("events_processed per family after the whole log was consumed").isEqualTo(want);
        for (String family : want.keySet()) {
            if (want.get(family) > 0) {
                assertThat(familyOrNull(family).get("family_id")).as("the id comes back exactly as sent").isEqualTo(family);
            }
        }
    }

    private Map<String, Long> processedByFamily(Set<String> families) {
        Map<String, Long> processed = new TreeMap<>();
        for (String family : families) {
            Map<String, Object> row = familyOrNull(family);
            processed.put(family, row == null ? 0L : ((Number) row.get("events_processed")).longValue());
        }
        return processed;
    }

    private boolean consumedToEnd() {
        JsonNode status = JSON.readTree(http.get().uri("/api/stream/status").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        List<JsonNode> partitions = new ArrayList<>();
        status.path("partitions").forEach(partitions::add);
        return !partitions.isEmpty() && partitions.stream().allMatch(p -> p.path("lag").isNumber() && p.path("lag").asLong() == 0);
    }

    private void assertServerUpAndNoPartitionInError() {
        JsonNode status = JSON.readTree(http.get().uri("/api/stream/status").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        for (JsonNode partition : status.path("partitions")) {
            assertThat(partition.path("status").asString()).as("partition %s (last_error: %s)", partition.path("partition"),
                    partition.path("last_error")).isNotEqualTo("error");
        }
        http.get().uri("/api/families?limit=1").exchange().expectStatus().isOk();
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }
}
