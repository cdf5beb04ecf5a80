package io.flinkjobrunner.service.testing;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.rdf.TurtleReader;
import io.flinkjobrunner.service.targets.InputFiles;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import io.flinkjobrunner.service.targets.UnitBuild;
import io.flinkjobrunner.service.targets.UnitKeys;
import io.flinkjobrunner.service.targets.validate.ValidateKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.rdf4j.model.Model;

/**
 * The build for deploy-target tests: instead of downloading, the scenario named by the shacl URL's first path segment
 * ({@code http://host/v1/shacl.ttl} → {@code /deploy/kms/v1/}) is read from the test class path and compiled with the
 * options the deploy target put (without Flink's planner check, which the compiler tests cover). An alternative that
 * only the test profiles listing it enable, so the other tests see the build the application has.
 */
@Alternative
@ApplicationScoped
public class TestingUnitBuild implements UnitBuild {

    @Override
    public List<Step> steps() {
        return List.of(new Step() {
            @Override
            public String name() {
                return "compile";
            }

            @Override
            public Set<StepKey<?>> provides() {
                // what the real build's steps provide, so the targets after it (simulate) find what they need
                return Set.of(ValidateKeys.INPUTS, ValidateKeys.KNOWLEDGE, ValidateKeys.SHAPES, UnitKeys.UNIT);
            }

            @Override
            public void run(StepContext context) throws StepFailedException {
                String scenario = URI.create(context.inputUrls().get("shacl")).getPath().split("/")[1];
                Model knowledge = turtle("/deploy/kms/" + scenario + "/knowledge.ttl");
                Model shapes = turtle("/deploy/kms/" + scenario + "/shacl.ttl");
                DeploymentUnit unit;
                try {
                    unit = new ShaclCompiler().assemble(knowledge, shapes, UnitKeys.compileOptions(context));
                } catch (CompilationException e) {
                    throw new StepFailedException(e.getMessage(), e);
                }
                context.artifacts().put("unit.sql", "application/sql", unit.script().getBytes(StandardCharsets.UTF_8));
                context.put(ValidateKeys.INPUTS, new InputFiles(Map.of()));
                context.put(ValidateKeys.KNOWLEDGE, new RdfDocument("knowledge.ttl", knowledge, Map.of()));
                context.put(ValidateKeys.SHAPES, new RdfDocument("shacl.ttl", shapes, Map.of()));
                context.put(UnitKeys.UNIT, unit);
                context.log().info("compiled scenario " + scenario);
            }
        });
    }

    private static Model turtle(String resource) {
        try (InputStream in = TestingUnitBuild.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test scenario " + resource);
            }
            return TurtleReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource).model();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
