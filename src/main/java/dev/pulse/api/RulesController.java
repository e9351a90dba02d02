package dev.pulse.api;

import dev.pulse.rules.CompiledRules;
import dev.pulse.rules.Rule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /api/rules}: the active rule set (SPEC §5.1), with {@code engagement_alert} as the built-in it is. */
@RestController
@Tag(name = "rules", description = "the pattern rules as data (SPEC §3.3)")
class RulesController {

    private final CompiledRules rules;
    private final JsonMapper mapper;

    RulesController(CompiledRules rules, JsonMapper mapper) {
        this.rules = rules;
        this.mapper = mapper;
    }

    @GetMapping("/api/rules")
    @Operation(summary = "The active rule set",
            description = "Its version, every pattern rule with its parameters (they differ by kind), and the built-in engagement_alert.")
    @ApiResponse(responseCode = "200", description = "the rule set", content = @Content(mediaType = "application/json",
            schema = @Schema(type = "object"),
            examples = @ExampleObject(value = """
                    {"version": "spec-v1",
                     "patterns": [{"name": "rapid_payments", "kind": "threshold", "severity": "warning", "confidence": 1,
                                   "event_type": "PaymentReceived", "where": [], "count": 3, "window": "PT10M"}],
                     "built_in": [{"name": "engagement_alert", "kind": "level_rise", "description": "..."}]}""")))
    Map<String, Object> active() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", rules.version());
        List<Map<String, Object>> patterns = rules.ruleSet().rules().stream().map(this::describe).toList();
        body.put("patterns", patterns);
        body.put("built_in", List.of(Map.of("name", "engagement_alert", "kind", "level_rise",
                "description", "the family's alert level rises (SPEC §3.1 thresholds); severity = the new level")));
        return body;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> describe(Rule rule) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", rule.name());
        view.put("kind", rule.kind().wireName());
        Map<String, Object> fields = mapper.convertValue(rule, Map.class);
        fields.remove("name");
        view.putAll(fields);
        // the wire spells severities as detections do ("warning"), not as the enum constant
        view.put("severity", rule.severity().wireName());
        return view;
    }
}
