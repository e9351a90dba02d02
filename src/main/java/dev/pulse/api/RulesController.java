package dev.pulse.api;

import dev.pulse.pipeline.Backtest;
import dev.pulse.projection.ActiveRules;
import dev.pulse.projection.RuleVersions;
import dev.pulse.family.RiskModel;
import dev.pulse.rules.CompiledRules;
import dev.pulse.rules.Detection;
import dev.pulse.rules.DetectionDiff;
import dev.pulse.rules.InvalidRuleSetException;
import dev.pulse.rules.MatchedEvent;
import dev.pulse.rules.RuleProblem;
import dev.pulse.rules.RuleSet;
import dev.pulse.rules.RuleSetForm;
import dev.pulse.rules.RuleSetValidator;
import dev.pulse.rules.RuleVersion;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rule set as data (SPEC §3.3, §4.1, §5.1): {@code GET /api/rules} (the active version), {@code PUT /api/rules}
 * (a new version, validated first), {@code GET /api/rules/versions} (every version, who made it, when) and
 * {@code POST /api/rules/backtest} (what a candidate would change over a range of the log). The rule set travels
 * in the declarative form of {@link RuleSetForm}; a {@code GET} answer can be edited and sent back as is.
 */
@RestController
@Tag(name = "rules", description = "the pattern rules as data, their versions and backtests (SPEC §3.3, §4.1)")
class RulesController {

    /** Longest {@code changed_by} kept: a user or token name, as configured. */
    private static final int MAX_USER_LENGTH = 100;

    private final ActiveRules active;
    private final RuleVersions versions;
    private final Backtest backtest;
    private final InstantSource clock;
    private final JsonMapper mapper;
    private final boolean riskScored;

    RulesController(ActiveRules active, RuleVersions versions, Backtest backtest, InstantSource clock, JsonMapper mapper,
                    RiskModel riskModel) {
        this.active = active;
        this.versions = versions;
        this.backtest = backtest;
        this.clock = clock;
        this.mapper = mapper;
        this.riskScored = riskModel != RiskModel.NONE;
    }

    /**
     * A candidate as a client wrote it: valid by itself, and without a risk rule when no risk model is configured (such
     * a rule could never fire; refusing it tells the client so, where the configured set only gets a warning at start).
     */
    private RuleSet candidate(Object form) {
        return usable(RuleSetForm.read(form, "candidate")); // InvalidRuleSetException: 400, nothing stored
    }

    /** {@code candidate}, when it has no risk rule or a risk model is configured (see {@link #candidate}). */
    private RuleSet usable(RuleSet candidate) {
        if (!riskScored) {
            List<RuleProblem> problems = RuleSetValidator.withoutRiskModel(candidate);
            if (!problems.isEmpty()) {
                throw new InvalidRuleSetException(problems);
            }
        }
        return candidate;
    }

    @GetMapping("/api/rules")
    @Operation(summary = "The active rule set",
            description = "Its version number, who made it and when, every pattern rule with its parameters (they differ "
                    + "by kind), and the built-in engagement_alert.")
    @ApiResponse(responseCode = "200", description = "the rule set", content = @Content(mediaType = "application/json",
            schema = @Schema(type = "object"),
            examples = @ExampleObject(value = """
                    {"version": 2, "changed_by": "anonymous", "changed_at": "2026-11-26T20:00:00Z",
                     "patterns": [{"name": "rapid_payments", "kind": "threshold", "severity": "warning", "confidence": 1,
                                   "event_type": "PaymentReceived", "where": [], "count": 3, "window": "PT10M"}],
                     "built_in": [{"name": "engagement_alert", "kind": "level_rise", "description": "..."}]}""")))
    Map<String, Object> active() {
        return view(active.current());
    }

    @PutMapping("/api/rules")
    @Operation(summary = "Replace the active rule set",
            description = "Validates the rule set ({\"patterns\": [...]}, the form GET /api/rules answers; other top-level "
                    + "keys are ignored), stores it as the next version and makes it active on every instance: each "
                    + "partition switches between two micro-batches. A set that does not validate is refused with 400 "
                    + "naming every problem, and the active version stays. The version records who made it: the signed-in "
                    + "user, or the name the token is configured under.")
    @ApiResponse(responseCode = "200", description = "the new active version, as GET /api/rules answers it")
    @ApiResponse(responseCode = "400", description = "the rule set does not validate; detail names every problem",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    Mono<Map<String, Object>> replace(@RequestBody Map<String, Object> body, Principal principal) {
        RuleSet candidate = candidate(body);
        return active.replace(candidate, changedBy(principal), clock.instant()).map(this::view);
    }

    @GetMapping("/api/rules/versions")
    @Operation(summary = "Every rule-set version, newest first",
            description = "Its number, whether it is active, who made it and when, where it came from (configuration at "
                    + "start, or api) and the rule set itself.")
    @ApiResponse(responseCode = "200", description = "the versions", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(value = """
                    [{"version": 2, "active": true, "changed_by": "alice", "changed_at": "2026-11-26T20:00:00Z",
                      "source": "api", "label": null, "rule_set": {"patterns": [...]}}]""")))
    Flux<Map<String, Object>> versions() {
        return versions.all().map(stored -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("version", stored.version());
            view.put("active", stored.active());
            view.put("changed_by", stored.changedBy());
            view.put("changed_at", stored.changedAt());
            view.put("source", stored.source());
            view.put("label", stored.label());
            view.put("rule_set", mapper.readValue(stored.ruleSet(), Object.class));
            return view;
        });
    }

    @PostMapping("/api/rules/versions/{version}/activate")
    @Operation(summary = "Make an earlier rule-set version active again",
            description = "Stores that version's rule set as the next version (labelled \"reactivates version N\") and "
                    + "makes it active on every instance, as PUT /api/rules would with the same set: the history stays in "
                    + "order, and detections name the new number. The set is validated again: one with a risk rule is "
                    + "refused while no risk model is configured.")
    @ApiResponse(responseCode = "200", description = "the new active version, as GET /api/rules answers it")
    @ApiResponse(responseCode = "400", description = "the stored set does not validate now; detail names every problem",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no version with that number",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    Mono<Map<String, Object>> reactivate(@PathVariable long version, Principal principal) {
        return versions.find(version)
                .switchIfEmpty(Mono.error(() -> new ApiErrors.NotFoundException("no rule-set version " + version)))
                .flatMap(stored -> active.replace(usable(ActiveRules.ruleSet(stored)), "reactivates version " + version,
                        changedBy(principal), clock.instant()))
                .map(this::view);
    }

    /** The body of {@code POST /api/rules/backtest}: a candidate rule set and an event-time range {@code [from, to)}. */
    record BacktestRequest(@Schema(description = "the candidate, in the form of GET /api/rules") Map<String, Object> rules,
                           @Schema(description = "start of the event-time range, inclusive", example = "2026-11-23T00:00:00Z") String from,
                           @Schema(description = "end of the event-time range, exclusive", example = "2026-11-24T00:00:00Z") String to) {
    }

    @PostMapping("/api/rules/backtest")
    @Operation(summary = "Backtest a candidate rule set",
            description = "Runs the candidate and the active rule set over the log's events of [from, to) (with a warm-up "
                    + "of the longest rule window before from, and that long after to for late completions), in fresh "
                    + "engines that touch no projection and push nothing, and answers the detections anchored in the "
                    + "range that the candidate adds, removes or leaves unchanged against the active set, compared by id, "
                    + "with counts per pattern. engagement_alert, which no rule set changes, is left out.")
    @ApiResponse(responseCode = "200", description = "the comparison", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(value = """
                    {"from": "2026-11-23T00:00:00Z", "to": "2026-11-24T00:00:00Z", "baseline_version": 2,
                     "read_from": "2026-11-20T00:00:00Z", "read_to": "2026-11-27T00:00:00Z", "events_read": 1200,
                     "events_applied": 1100, "totals": {"added": 1, "removed": 0, "unchanged": 4},
                     "patterns": {"rapid_payments": {"added": 1, "removed": 0, "unchanged": 4}},
                     "added": [{"detection_id": "...", "pattern": "rapid_payments", "family_id": "family-1", "anchor": "p2",
                                "severity": "warning", "detected_at": "2026-11-23T10:02:00Z", "matched_event_ids": ["p1", "p2"]}],
                     "removed": [], "unchanged": [...]}""")))
    @ApiResponse(responseCode = "400", description = "the candidate does not validate, or the range is missing or empty",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "the range holds more log records than pulse.rule-changes.backtest-max-events",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "429", description = "another backtest is running on this instance",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "504", description = "reading the range took longer than pulse.rule-changes.backtest-timeout",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    Mono<Map<String, Object>> backtest(@RequestBody BacktestRequest request) {
        if (request.rules() == null) {
            throw new ApiErrors.BadRequestException("rules: the candidate rule set is required ({\"patterns\": [...]})");
        }
        Instant from = instant("from", request.from());
        Instant to = instant("to", request.to());
        if (!from.isBefore(to)) {
            throw new ApiErrors.BadRequestException("from must be before to, was [" + from + ", " + to + ")");
        }
        CompiledRules candidate = CompiledRules.compile(candidate(request.rules()));
        return backtest.run(candidate, from, to)
                .onErrorMap(Backtest.TooLarge.class, e -> new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage()))
                .onErrorMap(Backtest.Busy.class, e -> new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS, e.getMessage()))
                .onErrorMap(java.util.concurrent.TimeoutException.class, e -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT,
                        e.getMessage() + " (pulse.rule-changes.backtest-timeout); choose a shorter range"))
                .map(RulesController::view);
    }

    @ExceptionHandler(InvalidRuleSetException.class)
    ResponseEntity<ApiError> invalid(InvalidRuleSetException e) {
        return ResponseEntity.badRequest().body(new ApiError("invalid rule set", e.getMessage()));
    }

    private static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            throw new ApiErrors.BadRequestException(name + " is required (an ISO-8601 instant)");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiErrors.BadRequestException(name + " must be an ISO-8601 instant, was '" + text + "'");
        }
    }

    /** Who changed the rules, from the credentials the request was let in with, never from anything it says itself. */
    private static String changedBy(Principal principal) {
        if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
            return "anonymous";
        }
        String user = principal.getName().strip();
        return user.length() <= MAX_USER_LENGTH ? user : user.substring(0, MAX_USER_LENGTH);
    }

    private Map<String, Object> view(RuleVersion version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version.number());
        body.put("changed_by", version.changedBy());
        body.put("changed_at", version.changedAt());
        body.putAll(RuleSetForm.write(version.rules().ruleSet()));
        body.put("built_in", List.of(Map.of("name", "engagement_alert", "kind", "level_rise",
                "description", "the family's alert level rises (SPEC §3.1 thresholds); severity = the new level")));
        return body;
    }

    private static Map<String, Object> view(Backtest.Result result) {
        DetectionDiff diff = result.diff();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", result.from());
        body.put("to", result.to());
        body.put("baseline_version", result.baselineVersion());
        body.put("read_from", result.readFrom());
        body.put("read_to", result.readTo());
        body.put("events_read", result.eventsRead());
        body.put("events_applied", result.eventsApplied());
        body.put("totals", new DetectionDiff.Counts(diff.added().size(), diff.removed().size(), diff.unchanged().size()));
        body.put("patterns", diff.countsByPattern());
        body.put("added", diff.added().stream().map(BacktestDetection::of).toList());
        body.put("removed", diff.removed().stream().map(BacktestDetection::of).toList());
        body.put("unchanged", diff.unchanged().stream().map(BacktestDetection::of).toList());
        return body;
    }

    /** A detection a backtest found: what identifies it, and its matched events' ids. */
    record BacktestDetection(String detectionId, String pattern, String familyId, String anchor, String severity,
                             Instant detectedAt, List<String> matchedEventIds) {
        static BacktestDetection of(Detection d) {
            return new BacktestDetection(d.detectionId(), d.pattern(), d.familyId(), d.anchor(), d.severity().wireName(),
                    d.detectedAt(), d.matchedEvents().stream().map(MatchedEvent::eventId).toList());
        }
    }
}
