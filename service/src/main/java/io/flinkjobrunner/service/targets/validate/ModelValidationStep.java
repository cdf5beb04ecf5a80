package io.flinkjobrunner.service.targets.validate;

import io.flinkjobrunner.ngsild.IngestionClock;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.service.targets.InputFile;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import io.flinkjobrunner.shacl.ShaclBatchValidator;
import io.flinkjobrunner.shacl.ShaclValidationException;
import io.flinkjobrunner.shacl.ValidationReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

/**
 * With {@code urls.model}: maps the NGSI-LD model to RDF and validates it with ShaclSail against shapes + knowledge.
 * The report is an artifact ({@code validation-report.ttl}, {@code validation-report.json}) and its summary goes to the
 * log. A non-conforming model is a result, not a failure: the job succeeds and the report says what is wrong.
 */
@ApplicationScoped
public class ModelValidationStep implements Step {

    /** Artifact names. */
    public static final String REPORT_TTL = "validation-report.ttl";
    public static final String REPORT_JSON = "validation-report.json";

    @Inject
    ModelReader models;

    @Override
    public String name() {
        return "validate-model";
    }

    @Override
    public Set<StepKey<?>> needs() {
        return Set.of(ValidateKeys.INPUTS, ValidateKeys.KNOWLEDGE, ValidateKeys.SHAPES);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        InputFile model = ctx.require(ValidateKeys.INPUTS).find("model").orElse(null);
        if (model == null) {
            ctx.log().info("No model given (urls.model); nothing to validate");
            return;
        }
        NgsiLdData data = models.read(model, IngestionClock.sequence(Instant.EPOCH), ctx.log());
        ctx.log().info("Mapped " + ValidateKeys.MODEL_FILE + ": " + data.entities().size() + " entities, "
                + data.attributes().size() + " attributes, " + data.rdf().size() + " triples");
        ctx.checkCancelled();
        ValidationReport report;
        try {
            report = ShaclBatchValidator.validate(data.rdf(), ctx.require(ValidateKeys.SHAPES).model(),
                    ctx.require(ValidateKeys.KNOWLEDGE).model());
        } catch (ShaclValidationException e) {
            throw new StepFailedException("SHACL validation of the model could not run: " + e.getMessage());
        }
        ctx.artifacts().put(REPORT_TTL, "text/turtle", report.toTurtle().getBytes(StandardCharsets.UTF_8));
        ctx.artifacts().put(REPORT_JSON, "application/json", report.toJson().getBytes(StandardCharsets.UTF_8));
        for (String line : report.summary().split("\\R")) {
            if (!line.isBlank()) {
                if (report.hasViolations()) {
                    ctx.log().warn(line);
                } else {
                    ctx.log().info(line);
                }
            }
        }
    }
}
