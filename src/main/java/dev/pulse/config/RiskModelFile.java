package dev.pulse.config;

import dev.pulse.family.RiskModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads a {@link RiskModel} from its YAML file; every problem is refused naming the file and the key. */
final class RiskModelFile {

    private RiskModelFile() {
    }

    static RiskModel read(Resource file) {
        String name = file.getDescription();
        Object parsed;
        try (InputStream in = file.getInputStream()) {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("risk model " + name + " cannot be read: " + e.getMessage(), e);
        }
        try {
            Map<?, ?> root = map(parsed, "the file");
            String version = string(root.get("model-version"), "model-version");
            double intercept = number(root.get("intercept"), "intercept");
            List<RiskModel.Term> terms = new ArrayList<>();
            for (Map.Entry<?, ?> feature : map(root.get("features"), "features").entrySet()) {
                String key = "features." + feature.getKey();
                Map<?, ?> term = map(feature.getValue(), key);
                terms.add(new RiskModel.Term(String.valueOf(feature.getKey()), number(term.get("mean"), key + ".mean"),
                        number(term.get("scale"), key + ".scale"), number(term.get("weight"), key + ".weight")));
            }
            return new RiskModel(version, intercept, terms);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("risk model " + name + ": " + e.getMessage(), e);
        }
    }

    private static Map<?, ?> map(Object value, String key) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(key + " must be a mapping, was " + describe(value));
        }
        return map;
    }

    private static String string(Object value, String key) {
        if (value == null || value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException(key + " must be a text, was " + describe(value));
        }
        return String.valueOf(value);
    }

    private static double number(Object value, String key) {
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(key + " must be a number, was " + describe(value));
        }
        return n.doubleValue();
    }

    private static String describe(Object value) {
        return value == null ? "missing" : "'" + value + "'";
    }
}
