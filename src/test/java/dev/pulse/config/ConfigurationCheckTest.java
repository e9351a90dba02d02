package dev.pulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.pulse.PulseApplication;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/** Issue 8: configuration validated at start, every problem named at once, before anything connects. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationCheckTest {

    private static final ConfigurationCheck.KnownKeys KNOWN = ConfigurationCheck.KnownKeys.load(ConfigurationCheckTest.class.getClassLoader());

    @Test
    void shouldStopTheStartWithEveryProblemNamedBeforeConnectingToAnything(CapturedOutput output) {
        SpringApplication application = new SpringApplication(PulseApplication.class);
        Throwable failure = catchThrowable(() -> application.run(
                "--pulse.stream.idle-advanse=1s",
                "--pulse.ingest.max-event-size=2MB",
                "--pulse.kafka.session-timeout=soon",
                // nothing answers here: had the start got as far as connecting, it would fail differently
                "--PULSE_DB_PORT=1", "--pulse.kafka.bootstrap-servers=127.0.0.1:1", "--server.port=0"));

        assertThat(failure).isInstanceOf(ConfigurationCheck.InvalidConfigurationException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Pulse's configuration is not valid:")
                .contains("- pulse.stream.idle-advanse (in commandLineArgs) is not a Pulse setting; known keys of pulse.stream: "
                        + "pulse.stream.allowed-lateness, pulse.stream.checkpoint-interval")
                .contains("- pulse.ingest.max-event-size must be between 1KB and 1000KB (the Kafka producer refuses records over 1 MiB), was 2097152 bytes")
                .contains("- pulse.kafka.session-timeout = 'soon' (from \"pulse.kafka.session-timeout\" from property source \"commandLineArgs\"): "
                        + "'soon' is not a valid duration")
                .contains("PULSE_STREAM_IDLE_ADVANCE");
        assertThat(output).doesNotContain("Flyway").doesNotContain("Connection refused");
    }

    @Test
    void shouldFindNoProblemInTheShippedConfiguration() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);

        assertThat(ConfigurationCheck.problems(environment, KNOWN)).isEmpty();
    }

    @Test
    void shouldAcceptKeysBelowAMapAndElementsOfAList() {
        StandardEnvironment environment = environment(Map.of(
                "pulse.rules.patterns.login_burst.kind", "threshold",
                "pulse.rules.patterns.login_burst.severity", "watch",
                "pulse.rules.patterns.login_burst.event-type", "UserLogin",
                "pulse.rules.patterns.login_burst.count", "5",
                "pulse.rules.patterns.login_burst.window", "1m",
                "pulse.counters.windows[0]", "tumbling:1m",
                "pulse.stream.idleAdvance", "10s"));

        assertThat(ConfigurationCheck.problems(environment, KNOWN)).isEmpty();
    }

    @Test
    void shouldNameAnUnknownGroupWithTheKnownOnes() {
        List<String> problems = ConfigurationCheck.problems(environment(Map.of("pulse.strem.idle-advance", "1s")), KNOWN);

        assertThat(problems).singleElement().asString()
                .startsWith("pulse.strem.idle-advance (in test) is not a Pulse setting; known groups: ")
                .contains("pulse.stream");
    }

    @Test
    void shouldNameARuleSetThatDoesNotCompile() {
        List<String> problems = ConfigurationCheck.problems(environment(Map.of(
                "pulse.rules.patterns.burst.kind", "threshold",
                "pulse.rules.patterns.burst.severity", "watch",
                "pulse.rules.patterns.burst.event-type", "UserLogin",
                "pulse.rules.patterns.burst.count", "0",
                "pulse.rules.patterns.burst.window", "1m")), KNOWN);

        assertThat(problems).singleElement().asString().contains("rule 'burst'").contains("count");
    }

    @Test
    void shouldOnlyWarnAboutEnvironmentVariablesBecauseScriptsUseTheirOwn() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("PULSE_STREAM_IDLE_ADVANSE", "1s", "PULSE_KAFKA_PORT", "19092")));

        assertThat(ConfigurationCheck.problems(environment, KNOWN)).isEmpty();
        assertThat(KNOWN.looksLikeAnUnknownVariable("PULSE_STREAM_IDLE_ADVANSE")).isTrue();
        assertThat(KNOWN.looksLikeAnUnknownVariable("PULSE_KAFKA_PORT")).isTrue();
        assertThat(KNOWN.looksLikeAnUnknownVariable("PULSE_STREAM_IDLE_ADVANCE")).isFalse();
        assertThat(KNOWN.looksLikeAnUnknownVariable("PULSE_KAFKA_BOOTSTRAP_SERVERS")).isFalse();
        assertThat(KNOWN.looksLikeAnUnknownVariable("PULSE_FAN_OUT_MAX_PENDING")).isFalse();
        assertThat(KNOWN.looksLikeAnUnknownVariable("PULSE_RULES_PATTERNS_LOGIN_BURST_KIND")).isFalse();
        assertThat(KNOWN.looksLikeAnUnknownVariable("PULSE_DB_HOST")).as("not a group: a placeholder of application.yml").isFalse();
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
