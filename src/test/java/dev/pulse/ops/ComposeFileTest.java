package dev.pulse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docker-compose.yml} (issue 8, SPEC §6) is kept correct by reading, since no Docker engine runs here: every
 * service has a health check, Pulse waits for healthy PostgreSQL 15 and a KRaft broker, is built by the Dockerfile,
 * and every environment variable it sets is a configuration key Pulse or Spring Boot reads, with values that agree
 * with the other services.
 */
class ComposeFileTest {

    private static Map<String, Map<String, Object>> services;
    /** Every property of the configuration metadata on the class path (Pulse's and Spring Boot's), relaxed. */
    private static Set<String> keys;
    private static Set<String> mapKeys;
    /** The {@code ${NAME:default}} placeholders of application.yml. */
    private static Set<String> placeholders;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        try (Reader in = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
            services = (Map<String, Map<String, Object>>) new Yaml().<Map<String, Object>>load(in).get("services");
        }
        keys = new TreeSet<>();
        mapKeys = new TreeSet<>();
        JsonMapper json = JsonMapper.builder().build();
        Enumeration<URL> files = ComposeFileTest.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        while (files.hasMoreElements()) {
            try (InputStream file = files.nextElement().openStream()) {
                for (JsonNode property : json.readTree(file).path("properties")) {
                    String flat = flat(property.path("name").asString());
                    keys.add(flat);
                    if (property.path("type").asString("").startsWith("java.util.Map")) {
                        mapKeys.add(flat);
                    }
                }
            }
        }
        placeholders = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):").matcher(Files.readString(Path.of("src/main/resources/application.yml")));
        while (m.find()) {
            placeholders.add(m.group(1));
        }
    }

    @Test
    void shouldGiveEveryServiceAHealthCheck() {
        assertThat(services).containsOnlyKeys("postgres", "kafka", "pulse");
        services.forEach((name, service) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> check = (Map<String, Object>) service.get("healthcheck");
            assertThat(check).as("health check of %s", name).isNotNull();
            assertThat(check.get("test")).as("health check command of %s", name).asString().isNotBlank();
        });
    }

    @Test
    void shouldStartPulseFromItsDockerfileOnceBothDependenciesAreHealthy() {
        Map<String, Object> pulse = services.get("pulse");
        assertThat(pulse.get("build")).isEqualTo(".");
        assertThat(Path.of("Dockerfile")).exists();
        assertThat(pulse.get("depends_on")).isEqualTo(Map.of(
                "postgres", Map.of("condition", "service_healthy"),
                "kafka", Map.of("condition", "service_healthy")));
        assertThat((String) services.get("postgres").get("image")).isEqualTo("postgres:15");
    }

    @Test
    void shouldRunKafkaInKraftModeWithoutZooKeeper() {
        Map<String, String> kafka = environment("kafka");
        assertThat(kafka.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(kafka).containsKeys("KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_CONTROLLER_LISTENER_NAMES", "CLUSTER_ID");
        assertThat(kafka.keySet()).noneMatch(k -> k.contains("ZOOKEEPER"));
        assertThat(services).doesNotContainKey("zookeeper");
        assertThat((String) services.get("kafka").get("image")).startsWith("apache/kafka:4.1");
    }

    @Test
    void shouldSetOnlyVariablesThatAreConfigurationKeys() {
        List<String> unknown = new ArrayList<>();
        environment("pulse").keySet().forEach(variable -> {
            if (!isConfigurationKey(variable)) {
                unknown.add(variable);
            }
        });
        assertThat(unknown).as("variables of the pulse service that no configuration key or application.yml placeholder reads")
                .isEmpty();
        assertThat(environment("pulse")).as("the settings a container needs").containsKeys("PULSE_DB_HOST",
                "PULSE_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void shouldTellConfigurationKeysFromMisspeltOnes() {
        // guards the check above against accepting anything
        assertThat(isConfigurationKey("PULSE_KAFKA_BOOTSTRAP_SERVERS")).isTrue();
        assertThat(isConfigurationKey("PULSE_STREAM_IDLE_ADVANCE")).isTrue();
        assertThat(isConfigurationKey("PULSE_RULES_PATTERNS_LOGIN_BURST_KIND")).as("below a map").isTrue();
        assertThat(isConfigurationKey("SPRING_R2DBC_POOL_MAX_SIZE")).isTrue();
        assertThat(isConfigurationKey("LOGGING_STRUCTURED_FORMAT_CONSOLE")).isTrue();
        assertThat(isConfigurationKey("PULSE_DB_HOST")).as("a placeholder of application.yml").isTrue();
        assertThat(isConfigurationKey("PULSE_KAFKA_BOOTSTRAP_SERVER")).isFalse();
        assertThat(isConfigurationKey("PULSE_SIMULATOR_ENABLE")).isFalse();
        assertThat(isConfigurationKey("PULSE_DB_HOSTNAME")).isFalse();
        assertThat(isConfigurationKey("SPRING_R2DBC_POOL_MAXIMUM")).isFalse();
    }

    @Test
    void shouldAgreeWithTheOtherServicesOnNamesPortsAndCredentials() {
        Map<String, String> pulse = environment("pulse");
        Map<String, String> postgres = environment("postgres");
        assertThat(services).containsKey(pulse.get("PULSE_DB_HOST"));
        assertThat(pulse.get("PULSE_DB_NAME")).isEqualTo(postgres.get("POSTGRES_DB"));
        assertThat(pulse.get("PULSE_DB_USER")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(pulse.get("PULSE_DB_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        assertThat(pulse.get("PULSE_DB_PORT")).isEqualTo("5432");
        assertThat(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS"))
                .contains("://" + pulse.get("PULSE_KAFKA_BOOTSTRAP_SERVERS"));
        String port = pulse.get("PULSE_PORT");
        assertThat(services.get("pulse").get("ports")).isEqualTo(List.of(port + ":" + port));
        @SuppressWarnings("unchecked")
        Map<String, Object> check = (Map<String, Object>) services.get("pulse").get("healthcheck");
        assertThat(check.get("test").toString()).contains("http://localhost:" + port + "/actuator/health");
    }

    /**
     * Spring Boot's relaxed binding from the environment: {@code PULSE_STREAM_IDLE_ADVANCE} is
     * {@code pulse.stream.idle-advance} (upper case, {@code _} for {@code .}, dashes dropped), anything below a
     * map-valued key is that map's, and application.yml's {@code ${PULSE_DB_HOST:...}} placeholders are read as such.
     */
    private static boolean isConfigurationKey(String variable) {
        if (placeholders.contains(variable)) {
            return true;
        }
        String flat = flat(variable);
        return keys.contains(flat) || mapKeys.stream().anyMatch(map -> flat.startsWith(map) && flat.length() > map.length());
    }

    private static String flat(String name) {
        return name.toLowerCase(Locale.ROOT).replace(".", "").replace("_", "").replace("-", "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String service) {
        Map<String, Object> raw = (Map<String, Object>) services.get(service).get("environment");
        Map<String, String> out = new java.util.LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
