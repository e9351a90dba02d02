package dev.pulse.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.PulseIT;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document at {@code /api/docs} (SPEC §5.6) as the running application serves it: every endpoint
 * of SPEC §5.1 that the code has, with its parameters, their place ({@code in}), types and defaults, and the
 * {@code {"error","detail"}} answers. The document is generated from the controllers, so a renamed or
 * dropped parameter shows up here.
 */
class OpenApiDocsIT extends PulseIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** SPEC §5.1 endpoints present in the code, each with the parameters it takes as "name in". */
    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of("post", "/api/events", List.of()),
                Arguments.of("get", "/api/families",
                        List.of("alert_level query", "sort query", "limit query", "offset query")),
                Arguments.of("get", "/api/families/{id}", List.of("id path")),
                Arguments.of("get", "/api/families/{id}/counters",
                        List.of("id path", "window_type query", "size query", "event_type query", "from query", "to query",
                                "limit query", "offset query")),
                Arguments.of("get", "/api/detections",
                        List.of("family_id query", "pattern query", "severity query", "since query", "status query",
                                "limit query", "offset query")),
                Arguments.of("post", "/api/detections/{id}/actions", List.of("id path")),
                Arguments.of("get", "/api/stream/status", List.of()),
                Arguments.of("get", "/api/trending", List.of("window query")),
                Arguments.of("get", "/api/rules", List.of()),
                Arguments.of("put", "/api/rules", List.of()),
                Arguments.of("get", "/api/rules/versions", List.of()),
                Arguments.of("post", "/api/rules/backtest", List.of()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void shouldListEndpointWithExactlyItsParameters(String method, String path, List<String> parameters) {
        JsonNode operation = document().path("paths").path(path).path(method);
        assertThat(operation.isObject()).as("%s %s in /api/docs", method.toUpperCase(), path).isTrue();
        List<String> listed = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            listed.add(parameter.path("name").asString() + " " + parameter.path("in").asString());
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(parameters);
    }

    @Test
    void shouldGiveQueryParametersTheirTypesRangesAndDefaults() {
        JsonNode families = document().path("paths").path("/api/families").path("get");
        JsonNode limit = parameter(families, "limit");
        assertThat(limit.path("required").asBoolean(false)).isFalse();
        assertThat(limit.path("schema").path("type").asString()).isEqualTo("integer");
        assertThat(limit.path("schema").path("minimum").asInt()).isEqualTo(1);
        assertThat(limit.path("schema").path("maximum").asInt()).isEqualTo(FamilyController.MAX_LIMIT);
        assertThat(limit.path("schema").path("default").asInt()).isEqualTo(FamilyController.DEFAULT_LIMIT);
        assertThat(parameter(families, "sort").path("schema").path("default").asString()).isEqualTo("severity");
        assertThat(values(parameter(families, "alert_level").path("schema").path("enum")))
                .containsExactly("none", "watch", "warning", "critical");

        JsonNode counters = document().path("paths").path("/api/families/{id}/counters").path("get");
        assertThat(parameter(counters, "id").path("required").asBoolean()).isTrue();
        assertThat(parameter(counters, "from").path("schema").path("format").asString()).isEqualTo("date-time");
        assertThat(values(parameter(counters, "window_type").path("schema").path("enum")))
                .containsExactlyElementsOf(CounterController.WINDOW_TYPES);

        JsonNode detections = document().path("paths").path("/api/detections").path("get");
        assertThat(values(parameter(detections, "status").path("schema").path("enum"))).containsExactly("active", "all");
        assertThat(parameter(detections, "since").path("schema").path("format").asString()).isEqualTo("date-time");
    }

    @Test
    void shouldDescribeErrorAnswersWithTheApiErrorBody() {
        JsonNode doc = document();
        JsonNode apiError = doc.path("components").path("schemas").path("ApiError").path("properties");
        assertThat(names(apiError)).containsExactlyInAnyOrder("error", "detail");
        Map<String, List<String>> errors = Map.of(
                "/api/families get", List.of("400"),
                "/api/families/{id} get", List.of("404"),
                "/api/families/{id}/counters get", List.of("400", "404"),
                "/api/detections get", List.of("400"),
                "/api/trending get", List.of("400", "404"),
                "/api/detections/{id}/actions post", List.of("400", "404"),
                "/api/events post", List.of("413"),
                "/api/rules put", List.of("400"),
                "/api/rules/backtest post", List.of("400", "413", "429"));
        errors.forEach((operation, codes) -> {
            String[] pathAndMethod = operation.split(" ");
            JsonNode responses = doc.path("paths").path(pathAndMethod[0]).path(pathAndMethod[1]).path("responses");
            for (String code : codes) {
                assertThat(responses.path(code).path("content").path("application/json").path("schema").path("$ref").asString())
                        .as("%s answers %s with ApiError", operation, code)
                        .isEqualTo("#/components/schemas/ApiError");
            }
        });
    }

    @Test
    void shouldNameBodiesAndRowsInSnakeCaseAsTheWireDoes() {
        JsonNode doc = document();
        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(names(schemas.path("FamilyMetricsRow").path("properties")))
                .contains("family_id", "current_engagement_score", "alert_level", "events_last_7_days", "risk_score")
                .doesNotContain("familyId");
        JsonNode actionBody = doc.path("paths").path("/api/detections/{id}/actions").path("post").path("requestBody");
        String ref = actionBody.path("content").path("application/json").path("schema").path("$ref").asString();
        JsonNode action = schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
        assertThat(names(action.path("properties"))).containsExactlyInAnyOrder("action_type", "action_result");
        assertThat(values(action.path("required"))).containsExactly("action_type");

        JsonNode events = doc.path("paths").path("/api/events").path("post");
        assertThat(names(events.path("requestBody").path("content"))).contains("application/json", "application/x-ndjson");
        assertThat(names(events.path("responses"))).contains("202", "400", "413");
    }

    @Test
    void shouldLeaveTheDashboardPageAndActuatorOutOfTheRestDocument() {
        assertThat(names(document().path("paths"))).allMatch(path -> path.startsWith("/api/"));
    }

    @Test
    void shouldServeTheSwaggerUiFromTheWebjarPointedAtTheDocument() {
        String location = http.get().uri("/api/docs/ui").exchange()
                .expectStatus().is3xxRedirection()
                .returnResult(Void.class).getResponseHeaders().getLocation().toString();
        String page = http.get().uri(location).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("<div id=\"swagger-ui\">", "swagger-ui-bundle.js");
        // Served from the webjar, never a CDN: the page loads nothing from another host.
        assertThat(page).doesNotContainPattern("(src|href)=\"(https?:)?//");
        String base = location.substring(0, location.lastIndexOf('/') + 1);
        http.get().uri(base + "swagger-ui-bundle.js").exchange().expectStatus().isOk();
        String initializer = http.get().uri(base + "swagger-initializer.js").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(initializer).contains("/api/docs/swagger-config").doesNotContain("petstore");
        String config = http.get().uri("/api/docs/swagger-config").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(JSON.readTree(config).path("url").asString()).isEqualTo("/api/docs");
    }

    private JsonNode document() {
        String body = http.get().uri("/api/docs").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isEqualTo(HttpStatus.OK)
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    private static JsonNode parameter(JsonNode operation, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("name").asString().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError("no parameter " + name + " in " + operation);
    }

    private static List<String> values(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    private static List<String> names(JsonNode object) {
        return new ArrayList<>(object.propertyNames());
    }
}
