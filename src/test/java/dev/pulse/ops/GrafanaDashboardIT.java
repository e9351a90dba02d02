package dev.pulse.ops;

import static dev.pulse.support.EventBodies.payment;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ops/grafana/pulse-dashboard.json} (SPEC §5.6) parses, and every metric its PromQL refers to is one
 * that {@code /actuator/prometheus} of the running application exposes: a dashboard over meters that do not
 * exist shows "No data" and nobody notices until the day it is needed.
 */
class GrafanaDashboardIT extends PulseIT {

    private static final Path DASHBOARD = Path.of("ops/grafana/pulse-dashboard.json");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldReferOnlyToMetersThePrometheusEndpointExposes() throws IOException, InterruptedException {
        Map<String, Set<String>> referenced = metricsByQuery(JSON.readTree(Files.readString(DASHBOARD)));
        Set<String> names = new TreeSet<>();
        referenced.values().forEach(names::addAll);
        assertThat(names).as("metric names in the dashboard's queries").isNotEmpty();

        produceTraffic();
        // Gauges read periodically (consumer lag, every 5 s) appear after their first read: wait up to 30 s for every
        // name, then judge the last scrape.
        Scrape last = scrape();
        for (long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
             !names.stream().allMatch(last::exposes) && System.nanoTime() < until; ) {
            Thread.sleep(250);
            last = scrape();
        }
        Scrape scrape = last;
        referenced.forEach((query, metrics) -> assertThat(metrics)
                .as("metrics of %s", query)
                .isNotEmpty()
                .allSatisfy(name -> assertThat(scrape.exposes(name))
                        .as("%s (in %s) is exposed by /actuator/prometheus", name, query).isTrue()));
    }

    @Test
    void shouldFindMetricNamesButNotFunctionsLabelsOrGrafanaVariables() {
        assertThat(metricNames("sum by (instance, uri) (rate(http_server_requests_seconds_count{job=\"$job\", uri=~\"/api/.*\"}"
                + "[$__rate_interval])) / on(instance) group_left max(jvm_memory_max_bytes{area=\"heap\"} offset 5m) > bool 1e3"))
                .containsExactlyInAnyOrder("http_server_requests_seconds_count", "jvm_memory_max_bytes");
        assertThat(metricNames("label_values(pulse_pipeline_records_in_flight{job=\"$job\"}, instance)"))
                .containsExactly("pulse_pipeline_records_in_flight");
        assertThat(metricNames("up")).containsExactly("up");
        assertThat(metricNames("sum(increase(pulse_checkpoints_fenced_total[${__range}]))"))
                .containsExactly("pulse_checkpoints_fenced_total");
    }

    @Test
    void shouldTellHistogramSeriesFromTheirFamilyAndRefuseUnknownNames() {
        Scrape scrape = Scrape.parse("""
                # HELP pulse_latency_seconds x
                # TYPE pulse_latency_seconds histogram
                pulse_latency_seconds_bucket{le="0.1"} 1
                pulse_latency_seconds_count 1
                pulse_latency_seconds_sum 0.05
                # TYPE pulse_relay_sent_total counter
                pulse_relay_sent_total 3.0
                """);
        assertThat(scrape.exposes("pulse_latency_seconds_bucket")).isTrue();
        assertThat(scrape.exposes("pulse_latency_seconds_count")).isTrue();
        assertThat(scrape.exposes("pulse_relay_sent_total")).isTrue();
        assertThat(scrape.exposes("pulse_relay_sent")).isFalse();
        assertThat(scrape.exposes("pulse_events_processed_total")).isFalse();
    }

    /** Events, a rejected request and REST reads, so that meters created on first use exist before the scrape. */
    private void produceTraffic() {
        String family = uniqueFamily("grafana");
        String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String body = "[" + score(uniqueId("s"), family, at, 42) + "," + payment(uniqueId("p"), family, at, "10.00") + "]";
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[]")
                .exchange().expectStatus().isBadRequest();
        Poll.until(Duration.ofSeconds(30), family, () -> familyOrNull(family));
        http.get().uri("/api/families").exchange().expectStatus().isOk();
        // The GC pause timer appears with the first collection; the test JVM has had one, but do not rely on it.
        System.gc();
    }

    private Scrape scrape() {
        String text = http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return Scrape.parse(text);
    }

    /** Every PromQL query of the dashboard (panel targets, nested rows, template variables) with its metrics. */
    private static Map<String, Set<String>> metricsByQuery(JsonNode dashboard) {
        Map<String, Set<String>> byQuery = new TreeMap<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        });
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString("");
                assertThat(expr).as("target %s of panel '%s' has a PromQL expression",
                        target.path("refId").asString(""), panel.path("title").asString("")).isNotBlank();
                byQuery.put(expr, metricNames(expr));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asString("").equals("query")) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asString("") : query.asString("");
                byQuery.put(text, metricNames(text));
            }
        }
        return byQuery;
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan", "atan2");

    /**
     * The metric names of a PromQL expression (or of a Grafana {@code label_values(...)} query): what is left
     * once strings, Grafana variables, label matchers, ranges and grouping label lists are cut out, minus
     * function calls and keywords. The {@code label_values} label argument is the one identifier that follows a
     * comma at the top of the call, so it is cut out too.
     */
    static Set<String> metricNames(String query) {
        String rest = STRING.matcher(query).replaceAll("\"\"");
        rest = GRAFANA_VARIABLE.matcher(rest).replaceAll("0");
        rest = MATCHERS.matcher(rest).replaceAll("{}");
        rest = RANGE.matcher(rest).replaceAll("[]");
        rest = LABEL_LIST.matcher(rest).replaceAll(" ");
        rest = rest.replaceAll("^\\s*label_values\\s*\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$", "label_values($1)");
        Set<String> names = new HashSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            boolean call = identifier.group(2) != null;
            String name = identifier.group(1);
            if (!call && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** The sample names and the typed metric families of a Prometheus text exposition. */
    record Scrape(Set<String> samples, Map<String, String> typeByFamily) {

        static Scrape parse(String text) {
            Set<String> samples = new HashSet<>();
            Map<String, String> types = new TreeMap<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.split("\\s+");
                    types.put(parts[2], parts[3]);
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    samples.add(line.split("[{\\s]", 2)[0]);
                }
            }
            return new Scrape(samples, types);
        }

        /** True for a sample name of the scrape, or a {@code _bucket/_count/_sum} series of a histogram or summary in it. */
        boolean exposes(String name) {
            if (samples.contains(name)) {
                return true;
            }
            Matcher series = Pattern.compile("(.+)_(bucket|count|sum)$").matcher(name);
            if (!series.matches()) {
                return false;
            }
            String type = typeByFamily.getOrDefault(series.group(1), "");
            return type.equals("histogram") || type.equals("summary");
        }
    }
}
