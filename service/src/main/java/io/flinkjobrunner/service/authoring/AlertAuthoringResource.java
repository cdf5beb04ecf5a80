package io.flinkjobrunner.service.authoring;

import io.flinkjobrunner.service.config.AuthoringConfig;
import com.fasterxml.jackson.databind.JsonNode;
import io.flinkjobrunner.authoring.AlertCondition;
import io.flinkjobrunner.authoring.AlertPromptParser;
import io.flinkjobrunner.authoring.AlertRuleTest;
import io.flinkjobrunner.authoring.AlertShapeGenerator;
import io.flinkjobrunner.authoring.AuthoringException;
import io.flinkjobrunner.service.auth.AccessGuard;
import io.flinkjobrunner.service.auth.Role;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The portal's alert-authoring endpoints, with the paths, fields and defaults of the reference FlinkJobRunner
 * (https://github.com/IndustryFusion/FlinkJobRunner, {@code alerts_shacl.py}): turn a natural-language alert into a condition and a SHACL shape, and test a shape on scenarios. Errors are
 * problem+json (the reference answered HTML 500s); the fixes are listed in docs/semantics.md.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class AlertAuthoringResource {

    @Inject
    AuthoringEngine engine;
    @Inject
    AuthoringConfig config;
    @Inject
    AccessGuard access;

    private Semaphore tests;

    @PostConstruct
    void init() {
        tests = new Semaphore(Math.max(1, config.maxConcurrentTests()));
    }

    @POST
    @Path("/alerts/parse")
    @Operation(summary = "Parse a natural-language alert",
            description = "Body {\"prompt\": \"Alert me if temperature exceeds 75 °C\"}; returns {sensor, operator,"
                    + " threshold, unit}. Unknown text falls back to temperature > 0.")
    @APIResponse(responseCode = "200", description = "the parsed condition")
    @APIResponse(responseCode = "400", description = "malformed JSON or a prompt that is not a string")
    public AlertCondition parse(byte[] body) {
        access.require(Role.READ);
        JsonNode root = AuthoringRequests.body(body);
        List<String> errors = new ArrayList<>();
        String prompt = AuthoringRequests.prompt(root, "", "prompt", errors);
        AuthoringRequests.check(errors);
        return AlertPromptParser.parse(prompt);
    }

    @POST
    @Path("/shacl/generate")
    @Operation(summary = "Generate the SHACL shape of an alert",
            description = "Body {jsonld_data?, condition?: {sensor, operator, threshold, unit}, prompt?}. The"
                    + " condition's fields override the parsed prompt (default prompt: \"temperature above 0\");"
                    + " the shape targets jsonld_data's expanded type. Returns {shacl, condition}.")
    @APIResponse(responseCode = "200", description = "the shape in Turtle")
    @APIResponse(responseCode = "400", description = "malformed JSON, a wrong field type or an unusable entity")
    public AlertViews.Generated generate(byte[] body) {
        access.require(Role.READ);
        JsonNode root = AuthoringRequests.body(body);
        List<String> errors = new ArrayList<>();
        Optional<JsonNode> entity = AuthoringRequests.entity(root, errors);
        AlertCondition condition = condition(root, AuthoringRequests.DEFAULT_GENERATE_PROMPT, errors);
        AuthoringRequests.check(errors);
        try {
            AlertShapeGenerator.GeneratedShape shape = engine.generation().generate(condition, entity.orElse(null));
            return new AlertViews.Generated(shape.turtle(), condition);
        } catch (AuthoringException e) {
            throw refused(e);
        }
    }

    @POST
    @Path("/shacl/validate")
    @Operation(summary = "Test a SHACL alert shape on trigger / no-trigger / boundary scenarios",
            description = "Body {shacl_rule, jsonld_data?, prompt?, condition?}. Builds scenario entities from"
                    + " jsonld_data, validates them with RDF4J ShaclSail and through the compiler on the local"
                    + " stream engine, and reports both verdicts per scenario; a scenario passes only if both match"
                    + " the expectation. An unparsable shape is a 200 with valid_syntax false and the error.")
    @APIResponse(responseCode = "200", description = "the test report")
    @APIResponse(responseCode = "400", description = "malformed JSON, a missing shacl_rule or an unusable entity")
    @APIResponse(responseCode = "503", description = "too many shape tests are running; retry later")
    public AlertViews.Validation validate(byte[] body) {
        access.require(Role.SUBMIT);
        JsonNode root = AuthoringRequests.body(body);
        List<String> errors = new ArrayList<>();
        String shaclRule = AuthoringRequests.string(root, "shacl_rule", null, "shacl_rule", errors);
        if (shaclRule == null && errors.isEmpty()) {
            errors.add("shacl_rule is required: the SHACL shape to test, in Turtle");
        }
        Optional<JsonNode> entity = AuthoringRequests.entity(root, errors);
        boolean conditionGiven = root.hasNonNull("prompt") || root.hasNonNull("condition");
        AlertCondition condition = conditionGiven ? condition(root, "", errors) : null;
        AuthoringRequests.check(errors);
        return AlertViews.Validation.of(test(shaclRule, entity.orElse(null), condition));
    }

    @POST
    @Path("/alerts/validate-cli-style")
    @Operation(summary = "Parse a prompt and test a SHACL rule, reported as command-line text",
            description = "Body {args: {prompt, validate = true}, jsonld_data?, shacl_rule?}. Without shacl_rule the"
                    + " shape is generated from the prompt. Returns {output}; empty when args.validate is false.")
    @APIResponse(responseCode = "200", description = "the report text")
    @APIResponse(responseCode = "400", description = "malformed JSON or a wrong field type")
    @APIResponse(responseCode = "503", description = "too many shape tests are running; retry later")
    public AlertViews.CliOutput validateCliStyle(byte[] body) {
        access.require(Role.SUBMIT);
        JsonNode root = AuthoringRequests.body(body);
        List<String> errors = new ArrayList<>();
        JsonNode args = root.get("args");
        String prompt = "";
        boolean validate = true;
        if (args != null && !args.isNull()) {
            if (!args.isObject()) {
                errors.add("args must be an object with prompt and validate, got " + AuthoringRequests.typeName(args));
            } else {
                prompt = AuthoringRequests.prompt(args, "", "args.prompt", errors);
                JsonNode flag = args.get("validate");
                if (flag != null && !flag.isNull()) {
                    if (flag.isBoolean()) {
                        validate = flag.booleanValue();
                    } else {
                        errors.add("args.validate must be true or false, got " + AuthoringRequests.typeName(flag));
                    }
                }
            }
        }
        Optional<JsonNode> entity = AuthoringRequests.entity(root, errors);
        String shaclRule = AuthoringRequests.string(root, "shacl_rule", null, "shacl_rule", errors);
        AuthoringRequests.check(errors);
        if (!validate) {
            return new AlertViews.CliOutput("");
        }
        AlertCondition parsed = AlertPromptParser.parse(prompt);
        boolean generated = shaclRule == null || shaclRule.isBlank();
        try {
            String rule = generated ? engine.generation().generate(parsed, entity.orElse(null)).turtle() : shaclRule;
            AlertRuleTest test = test(rule, entity.orElse(null), parsed);
            return new AlertViews.CliOutput(CliStyleReport.render(prompt, parsed, test, generated));
        } catch (AuthoringException e) {
            throw refused(e);
        }
    }

    /** The parsed prompt (or {@code fallback}) with the condition's fields applied. */
    private static AlertCondition condition(JsonNode root, String fallback, List<String> errors) {
        String prompt = AuthoringRequests.prompt(root, fallback, "prompt", errors);
        AlertCondition condition = AlertPromptParser.parse(prompt == null || prompt.isEmpty() ? fallback : prompt);
        Optional<JsonNode> overrides = AuthoringRequests.conditionObject(root, errors);
        return overrides.map(o -> AuthoringRequests.override(condition, o, errors)).orElse(condition);
    }

    private AlertRuleTest test(String shaclRule, JsonNode entity, AlertCondition condition) {
        if (!tests.tryAcquire()) {
            throw new ApiProblemException(Reason.SERVICE_UNAVAILABLE, config.maxConcurrentTests()
                    + " shape tests are already running on this replica; retry in a moment");
        }
        try {
            return engine.testing().test(shaclRule, entity, condition, Instant.now());
        } catch (AuthoringException e) {
            throw refused(e);
        } finally {
            tests.release();
        }
    }

    private static ApiProblemException refused(AuthoringException e) {
        Reason reason = e.reason() == AuthoringException.Reason.ENGINE_FAILED ? Reason.SERVICE_UNAVAILABLE
                : Reason.INVALID_REQUEST;
        return ApiProblemException.invalid(reason, List.of(e.getMessage()));
    }
}
