package dev.pulse.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every family's {@code events_processed} whose id starts with a prefix, read page by page from {@code GET /api/families}. */
final class FamilyCounts {

    private static final int PAGE = 10_000;

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;

    private final String token;

    /** @param token bearer token with role {@code viewer}; null sends none */
    FamilyCounts(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    Map<String, Long> read(String prefix) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        for (int offset = 0; ; offset += PAGE) {
            URI page = base.resolve("/api/families?sort=family_id&limit=" + PAGE + "&offset=" + offset);
            HttpResponse<String> response = client.send(authorized(HttpRequest.newBuilder(page)).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + page + " answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode rows = mapper.readTree(response.body());
            for (JsonNode row : rows) {
                String family = row.path("family_id").asString();
                if (family.startsWith(prefix)) {
                    counts.put(family, row.path("events_processed").asLong());
                }
            }
            if (rows.size() < PAGE) {
                return counts;
            }
        }
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }
}
