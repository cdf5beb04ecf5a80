package io.flinkjobrunner.service.targets.validate;

import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.rdf.RdfSyntaxException;
import io.flinkjobrunner.rdf.TurtleReader;
import io.flinkjobrunner.service.targets.InputFile;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/** Parses the knowledge graph and the shapes graph; a syntax error fails the job with file:line:column. */
@ApplicationScoped
public class ParseStep implements Step {

    @Override
    public String name() {
        return "parse";
    }

    @Override
    public Set<StepKey<?>> needs() {
        return Set.of(ValidateKeys.INPUTS);
    }

    @Override
    public Set<StepKey<?>> provides() {
        return Set.of(ValidateKeys.KNOWLEDGE, ValidateKeys.SHAPES);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        ctx.put(ValidateKeys.KNOWLEDGE, parse(ctx, "knowledge", ValidateKeys.KNOWLEDGE_FILE));
        ctx.checkCancelled();
        ctx.put(ValidateKeys.SHAPES, parse(ctx, "shacl", ValidateKeys.SHAPES_FILE));
    }

    private static RdfDocument parse(StepContext ctx, String input, String fileName) throws Exception {
        InputFile file = ctx.require(ValidateKeys.INPUTS).find(input)
                .orElseThrow(() -> new IllegalStateException("input " + input + " was not downloaded"));
        try {
            RdfDocument doc = TurtleReader.read(file.file(), fileName);
            ctx.log().info("Parsed " + fileName + ": " + doc.model().size() + " triples");
            return doc;
        } catch (RdfSyntaxException e) {
            // the message is file:line:column: detail
            throw new StepFailedException(e.getMessage());
        }
    }

}
