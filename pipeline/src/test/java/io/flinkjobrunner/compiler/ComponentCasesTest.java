package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.ngsild.IngestionClock;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One case per supported constraint component ({@code compiler-cases/<component>/}): a model with conforming
 * entities ({@code urn:<case>:ok…}) and violating ones ({@code urn:<case>:bad…}), the expected alerts, and a
 * differential check against RDF4J ShaclSail on the same shapes, knowledge and data (as RDF): streaming alerts and
 * batch SHACL must agree on which entities violate which component ({@link ShaclSailReferee}).
 *
 * <p>Every case uses its own target class, so all cases run as one unit in one bounded simulation.
 */
class ComponentCasesTest {

    private static LocalEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = LocalEngine.start();
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private record Case(String name, Model shapes, Model knowledge, NgsiLdData data, List<String> expected,
            String noDifferential) {
    }

    @TestFactory
    Stream<DynamicTest> everyComponentAlertsOnlyTheViolatingEntities() throws Exception {
        Path root = Path.of(ComponentCasesTest.class.getResource("/compiler-cases").toURI());
        NgsiLdMapper mapper = new NgsiLdMapper(NgsiLdContexts.coreOnly());
        IngestionClock clock = AlertScenarios.clock();
        List<Case> cases = new ArrayList<>();
        Model allShapes = new LinkedHashModel();
        Model allKnowledge = new LinkedHashModel();
        List<NgsiLdData> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Model shapes = Turtle.parse(Files.readString(dir.resolve("shapes.ttl")));
                Path k = dir.resolve("knowledge.ttl");
                Model knowledge = Files.exists(k) ? Turtle.parse(Files.readString(k)) : new LinkedHashModel();
                NgsiLdData data = mapper.map(dir.resolve("model.jsonld"), clock);
                Path noDiff = dir.resolve("no-differential");
                cases.add(new Case(dir.getFileName().toString(), shapes, knowledge, data,
                        Files.readAllLines(dir.resolve("expected"), StandardCharsets.UTF_8).stream()
                                .filter(l -> !l.isBlank()).sorted().toList(),
                        Files.exists(noDiff) ? Files.readString(noDiff).strip() : null));
                allShapes.addAll(shapes);
                allKnowledge.addAll(knowledge);
                all.add(data);
            }
        }
        DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(allKnowledge, allShapes,
                CompileOptions.defaults("components"));
        List<AlertScenarios.Alert> alerts = AlertScenarios.run(engine, unit, merge(all));

        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            List<AlertScenarios.Alert> own = alerts.stream()
                    .filter(a -> a.resource().startsWith("urn:" + c.name() + ":")).toList();
            tests.add(DynamicTest.dynamicTest(c.name() + ": expected alerts", () -> assertEquals(
                    String.join("\n", c.expected()),
                    String.join("\n", AlertScenarios.lines(own).stream()
                            .map(l -> l.replaceAll("Constraint id \\d+", "Constraint id N")).toList()))));
            if (c.noDifferential() == null) {
                tests.add(DynamicTest.dynamicTest(c.name() + ": agrees with ShaclSail", () -> {
                    Model data = new LinkedHashModel(c.knowledge());
                    data.addAll(c.data().rdf());
                    Set<String> batch = ShaclSailReferee.violations(c.shapes(), data);
                    Set<String> streaming = new TreeSet<>();
                    own.forEach(a -> streaming.add(a.resource() + " " + ShaclSailReferee.family(a.event())));
                    assertEquals(batch, streaming);
                }));
            }
        }
        return tests.stream();
    }

    private static NgsiLdData merge(List<NgsiLdData> parts) {
        Model rdf = new LinkedHashModel();
        List<io.flinkjobrunner.ngsild.EntityRow> entities = new ArrayList<>();
        List<io.flinkjobrunner.ngsild.AttributeRow> attributes = new ArrayList<>();
        for (NgsiLdData d : parts) {
            entities.addAll(d.entities());
            attributes.addAll(d.attributes());
            rdf.addAll(d.rdf());
        }
        return new NgsiLdData(entities, attributes, rdf);
    }
}
