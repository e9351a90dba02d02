package dev.pulse.config;

import dev.pulse.rules.CompiledRules;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates all of Pulse's configuration before any bean is made, so that a mistake stops the start at once, with
 * every problem named in one message, before anything connects to PostgreSQL or Kafka (issue 8, SPEC §5.6):
 * <ul>
 *   <li>every {@code pulse.*} properties record is bound, defaults included, so each one's own checks run
 *       ({@code pulse.ingest.max-event-size must be between 1KB and 1000KB ...}), and a value that is not of the
 *       key's type is named with where it came from; the rule set is compiled as at start;</li>
 *   <li>a {@code pulse.*} key that Pulse does not know, set in a configuration file or on the command line, is an
 *       error: a misspelt key would otherwise be ignored without a word. In the environment, a {@code PULSE_*}
 *       variable that looks like a key of a known group but is none gets a warning only, because scripts use
 *       such variables for themselves ({@code PULSE_KAFKA_PORT}). JVM system properties are left alone (tests
 *       pass their seeds that way).</li>
 * </ul>
 * The known keys come from the configuration metadata the build generates ({@code spring-configuration-metadata.json});
 * without it (a build without the annotation processor) the key check is skipped with a warning.
 */
final class ConfigurationCheck implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ConfigurationCheck.class);
    static final String METADATA = "META-INF/spring-configuration-metadata.json";
    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("pulse");

    private ConfigurableEnvironment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = (ConfigurableEnvironment) environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<String> problems = problems(environment, KnownKeys.load(getClass().getClassLoader()));
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    /** Every problem of the configuration, in a stable order; warnings are logged. */
    static List<String> problems(ConfigurableEnvironment environment, KnownKeys known) {
        List<String> problems = new ArrayList<>(unknownKeys(environment, known));
        problems.addAll(bindEveryRecord(environment));
        return problems;
    }

    // ---------------------------------------------------------------- unknown keys

    private static List<String> unknownKeys(ConfigurableEnvironment environment, KnownKeys known) {
        if (known.isEmpty()) {
            log.warn("no configuration metadata ({}) for pulse.* on the class path: unknown keys are not checked", METADATA);
            return List.of();
        }
        Set<String> problems = new LinkedHashSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || source.getName().equals(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
                continue;
            }
            boolean fromEnvironment = source.getName().equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
            for (String name : enumerable.getPropertyNames()) {
                if (fromEnvironment) {
                    if (known.looksLikeAnUnknownVariable(name)) {
                        log.warn("environment variable {} looks like a Pulse setting but is none; known keys of its group: {}",
                                name, known.inGroupOfVariable(name));
                    }
                    continue;
                }
                ConfigurationPropertyName key = ConfigurationPropertyName.adapt(name, '.');
                if (ROOT.isAncestorOf(key) && !known.contains(key)) {
                    problems.add(key + " (in " + source.getName() + ") is not a Pulse setting; " + known.suggestionFor(key));
                }
            }
        }
        return List.copyOf(problems);
    }

    // ---------------------------------------------------------------- values

    private static List<String> bindEveryRecord(ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        List<String> problems = new ArrayList<>();
        for (Class<?> type : propertiesRecords()) {
            String prefix = prefixOf(type);
            try {
                Object bound = binder.bindOrCreate(prefix, Bindable.of(type));
                if (bound instanceof RulesProperties rules && !rules.patterns().isEmpty()) {
                    CompiledRules.compile(rules.toRuleSet());
                }
            } catch (BindException e) {
                problems.add(describe(e));
            } catch (RuntimeException e) {
                problems.add(prefix + ": " + e.getMessage());
            }
        }
        return problems;
    }

    private static String describe(BindException e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (e.getProperty() == null) {
            return cause.getMessage();
        }
        String origin = e.getProperty().getOrigin() == null ? "" : " (from " + e.getProperty().getOrigin() + ")";
        return e.getProperty().getName() + " = '" + e.getProperty().getValue() + "'" + origin + ": " + cause.getMessage();
    }

    private static List<Class<?>> propertiesRecords() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Class<?>> types = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("dev.pulse")) {
            try {
                types.add(Class.forName(candidate.getBeanClassName(), false, ConfigurationCheck.class.getClassLoader()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("scanned but not loadable: " + candidate.getBeanClassName(), e);
            }
        }
        types.sort(java.util.Comparator.comparing(Class::getName));
        return types;
    }

    private static String prefixOf(Class<?> type) {
        ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
        return annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
    }

    // ---------------------------------------------------------------- the known keys

    /** The {@code pulse.*} keys of the configuration metadata; keys below a map-valued key are all allowed. */
    record KnownKeys(Set<ConfigurationPropertyName> keys, Set<ConfigurationPropertyName> maps) {

        static KnownKeys load(ClassLoader loader) {
            Set<ConfigurationPropertyName> keys = new TreeSet<>();
            Set<ConfigurationPropertyName> maps = new TreeSet<>();
            JsonMapper json = JsonMapper.builder().build();
            try {
                Enumeration<URL> files = loader.getResources(METADATA);
                while (files.hasMoreElements()) {
                    try (InputStream in = files.nextElement().openStream()) {
                        for (JsonNode property : json.readTree(in).path("properties")) {
                            String name = property.path("name").asString("");
                            if (name.startsWith("pulse.")) {
                                keys.add(ConfigurationPropertyName.of(name));
                                if (property.path("type").asString("").startsWith("java.util.Map")) {
                                    maps.add(ConfigurationPropertyName.of(name));
                                }
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("could not read " + METADATA, e);
            }
            return new KnownKeys(keys, maps);
        }

        boolean isEmpty() {
            return keys.isEmpty();
        }

        /** True for a known key, a key below a map-valued one, and an element of a list-valued one ({@code x[0]}). */
        boolean contains(ConfigurationPropertyName key) {
            ConfigurationPropertyName withoutIndexes = key;
            for (int i = 0; i < key.getNumberOfElements(); i++) {
                if (key.isNumericIndex(i)) {
                    withoutIndexes = key.chop(i);
                    break;
                }
            }
            ConfigurationPropertyName name = withoutIndexes;
            return keys.contains(name) || maps.stream().anyMatch(map -> map.isAncestorOf(name));
        }

        String suggestionFor(ConfigurationPropertyName key) {
            ConfigurationPropertyName group = key.chop(Math.min(2, key.getNumberOfElements()));
            List<String> inGroup = keys.stream().filter(group::isAncestorOf).map(Object::toString).toList();
            return inGroup.isEmpty() ? "known groups: " + groups() : "known keys of " + group + ": " + String.join(", ", inGroup);
        }

        private Set<String> groups() {
            Set<String> groups = new TreeSet<>();
            keys.forEach(k -> groups.add(k.chop(2).toString()));
            return groups;
        }

        /**
         * A {@code PULSE_<GROUP>_...} variable of a known group that binds to no known key (relaxed binding: upper case,
         * {@code _} for {@code .} and {@code -}). Variables of other groups ({@code PULSE_DB_HOST}, read by
         * {@code application.yml} itself) are not judged.
         */
        boolean looksLikeAnUnknownVariable(String variable) {
            if (!variable.startsWith("PULSE_")) {
                return false;
            }
            String flat = variable.replace("_", "").toLowerCase(Locale.ROOT);
            boolean groupKnown = groups().stream().anyMatch(g -> variable.toLowerCase(Locale.ROOT).replace('_', '.').startsWith(
                    g.replace("-", ".") + "."));
            if (!groupKnown) {
                return false;
            }
            return keys.stream().noneMatch(k -> flatten(k).equals(flat))
                    && maps.stream().noneMatch(m -> flat.startsWith(flatten(m)));
        }

        List<String> inGroupOfVariable(String variable) {
            return groups().stream().filter(g -> variable.toLowerCase(Locale.ROOT).replace('_', '.').startsWith(g.replace("-", ".") + "."))
                    .flatMap(g -> keys.stream().map(Object::toString).filter(k -> k.startsWith(g + ".")))
                    .toList();
        }

        private static String flatten(ConfigurationPropertyName key) {
            return key.toString().replace(".", "").replace("-", "").toLowerCase(Locale.ROOT);
        }
    }

    /** The configuration does not validate; {@link InvalidConfigurationFailureAnalyzer} reports it at start. */
    static final class InvalidConfigurationException extends RuntimeException {

        private final List<String> problems;

        InvalidConfigurationException(List<String> problems) {
            super("Pulse's configuration is not valid: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        List<String> problems() {
            return problems;
        }
    }
}
