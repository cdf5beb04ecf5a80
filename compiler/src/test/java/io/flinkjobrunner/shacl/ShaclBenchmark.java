package io.flinkjobrunner.shacl;

import java.nio.file.Path;

import org.eclipse.rdf4j.model.Model;

import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.rdf.TurtleReader;

/**
 * Times the shapes-graph check and batch validation (docs/benchmarks.md). Not a test: run its main with the test class
 * path. Arguments: number of cutter entities for batch validation (default 1000).
 */
public final class ShaclBenchmark {

    private ShaclBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int entities = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path kms = Path.of("compiler/src/test/resources/kms");
        RdfDocument shapes = TurtleReader.read(kms.resolve("kms-constraints/test1/shacl.ttl"), "shacl.ttl");
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            ShapesGraphChecker.check(shapes);
            System.out.printf("shapes-graph check (kms-constraints/test1, %d triples): %d ms%n",
                    shapes.model().size(), (System.nanoTime() - started) / 1_000_000);
        }
        Model docsShapes = TurtleReader.read(kms.resolve("docs-examples/shacl.ttl"), "shacl.ttl").model();
        Model knowledge = TurtleReader.read(kms.resolve("docs-examples/knowledge.ttl"), "knowledge.ttl").model();
        StringBuilder data = new StringBuilder("@prefix b: <https://industry-fusion.org/base/v1/> .\n"
                + "@prefix n: <https://uri.etsi.org/ngsi-ld/> .\n");
        for (int i = 0; i < entities; i++) {
            // every other cutter is too hot, so half of them produce a result
            data.append("<urn:cutter:").append(i).append("> a b:Cutter ; b:hasTemperature [ n:hasValue ")
                    .append(i % 2 == 0 ? "30.5e0" : "60.5e0").append(" ] .\n");
        }
        Model model = TurtleReader.read(data.toString(), "data.ttl").model();
        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            ValidationReport report = ShaclBatchValidator.validate(model, docsShapes, knowledge,
                    ValidationLimits.UNLIMITED);
            System.out.printf("batch validation of %d entities (%d triples): %d results in %d ms%n", entities,
                    model.size(), report.results().size(), (System.nanoTime() - started) / 1_000_000);
        }
    }
}
