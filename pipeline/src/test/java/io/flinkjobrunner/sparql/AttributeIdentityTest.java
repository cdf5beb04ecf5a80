package io.flinkjobrunner.sparql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.rdf4j.model.BNode;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.util.Values;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.XSD;
import org.eclipse.rdf4j.query.BindingSet;
import org.eclipse.rdf4j.query.TupleQuery;
import org.eclipse.rdf4j.query.TupleQueryResult;
import org.eclipse.rdf4j.repository.RepositoryConnection;
import org.eclipse.rdf4j.repository.sail.SailRepository;
import org.eclipse.rdf4j.sail.memory.MemoryStore;
import org.junit.jupiter.api.Test;

/**
 * Attribute identity: blank-node patterns on the same subject and attribute bind to one attribute instance (one row),
 * as in the reference, on machines with several instances of {@code iff:state} (datasetIds) and a history of each.
 * The oracle is RDF4J evaluating the query with that meaning written out (one node variable) over the model as RDF:
 * the latest row of every instance for plain patterns, every row for aggregates (the history). Distinct
 * {@code ngsi-ld:datasetId} variables relate two instances, exactly as RDF4J evaluates the query as written.
 */
class AttributeIdentityTest {

    private static final String IFF = "https://industry-fusion.com/types/v0.9/";
    private static final String NGSI_LD = NgsiLdVocabulary.NAMESPACE;
    private static final String PREFIXES = """
            PREFIX iff: <https://industry-fusion.com/types/v0.9/>
            PREFIX ngsi-ld: <https://uri.etsi.org/ngsi-ld/>
            """;

    /** One attribute row: entity, datasetId, value IRI (local name), observedAt seconds. */
    private record Sample(String entity, String datasetId, String state, long second) {
    }

    /**
     * m1: instance d1 ON since 10 s (OFF at 0 s), instance d2 OFF since 20 s (ON at 5 s): each instance alone
     * has a latest (value, time) pair, but crossing them pairs ON with 20 s. m2: one instance (no datasetId), ON,
     * with three samples. m3: OFF only.
     */
    private static final List<Sample> SAMPLES = List.of(
            new Sample("urn:m1", "urn:d:1", "state_OFF", 0), new Sample("urn:m1", "urn:d:1", "state_ON", 10),
            new Sample("urn:m1", "urn:d:2", "state_ON", 5), new Sample("urn:m1", "urn:d:2", "state_OFF", 20),
            new Sample("urn:m2", "@none", "state_OFF", 1), new Sample("urn:m2", "@none", "state_ON", 2),
            new Sample("urn:m2", "@none", "state_ON", 30),
            new Sample("urn:m3", "@none", "state_OFF", 3));

    private static FlinkTestTables tables() {
        FlinkTestTables tables = TestKnowledge.withKnowledge(new FlinkTestTables(), SparqlConstraintTest.KNOWLEDGE);
        for (String m : List.of("urn:m1", "urn:m2", "urn:m3")) {
            tables.entity(m, IFF + "machine");
        }
        for (Sample s : SAMPLES) {
            tables.attribute(new FlinkTestTables.Attribute(s.entity(), IFF + "state", "@id", null, NGSI_LD + "Property",
                    IFF + s.state(), s.datasetId(), s.second() * 1000));
        }
        return tables;
    }

    /** The samples as NGSI-LD RDF: one node per row; only the latest row of each instance unless {@code history}. */
    private static Model rdf(boolean history) {
        Map<String, Sample> latest = new HashMap<>();
        for (Sample s : SAMPLES) {
            latest.merge(s.entity() + " " + s.datasetId(), s, (a, b) -> a.second() >= b.second() ? a : b);
        }
        Model model = new LinkedHashModel();
        for (String m : List.of("urn:m1", "urn:m2", "urn:m3")) {
            model.add(Values.iri(m), RDF.TYPE, Values.iri(IFF + "machine"));
        }
        for (Sample s : history ? SAMPLES : List.copyOf(latest.values())) {
            BNode node = Values.bnode();
            model.add(Values.iri(s.entity()), Values.iri(IFF + "state"), node);
            model.add(node, RDF.TYPE, Values.iri(NGSI_LD + "Property"));
            model.add(node, Values.iri(NGSI_LD + "hasValue"), Values.iri(IFF + s.state()));
            model.add(node, Values.iri(NGSI_LD + "observedAt"), Values.literal(
                    Instant.ofEpochSecond(s.second()).toString(), XSD.DATETIME));
            if (!s.datasetId().equals("@none")) {
                model.add(node, Values.iri(NGSI_LD + "datasetId"), Values.iri(s.datasetId()));
            }
        }
        return model;
    }

    /** RDF4J's solutions of {@code select} for each machine bound as $this: machine → first solution's bindings. */
    private static Map<String, Map<String, String>> rdf4j(Model model, String select) {
        Map<String, Map<String, String>> result = new TreeMap<>();
        SailRepository repository = new SailRepository(new MemoryStore());
        try (RepositoryConnection connection = repository.getConnection()) {
            connection.add(model);
            for (String m : List.of("urn:m1", "urn:m2", "urn:m3")) {
                TupleQuery query = connection.prepareTupleQuery(PREFIXES + select);
                query.setBinding("this", Values.iri(m));
                try (TupleQueryResult solutions = query.evaluate()) {
                    if (solutions.hasNext()) {
                        BindingSet solution = solutions.next();
                        Map<String, String> values = new TreeMap<>();
                        solution.forEach(b -> values.put(b.getName(), b.getValue().stringValue()));
                        result.put(m, values);
                    }
                }
            }
        } finally {
            repository.shutDown();
        }
        return result;
    }

    private static String constraint(String where) {
        return """
                iff:Probe a sh:NodeShape ; sh:targetClass iff:machine ;
                  sh:sparql [ sh:message "{$this}" ; sh:select \"\"\"%s SELECT $this WHERE { %s }\"\"\" ] .
                """.formatted(PREFIXES, where);
    }

    /** The machines the Flink SQL of a constraint alerts on. */
    private static Set<String> flinkAlerting(String where) {
        SparqlStatement statement = SparqlConstraintTest.only(SparqlConstraintTest.compile(constraint(where),
                SparqlConstraintTest.KNOWLEDGE));
        Set<String> alerting = new TreeSet<>();
        for (List<Object> row : SparqlConstraintTest.alerts(tables(), statement)) {
            if (!"ok".equals(row.get(1))) {
                alerting.add((String) row.get(0));
            }
        }
        return alerting;
    }

    @Test
    void blankNodesOnTheSameSubjectAndAttributeAreOneInstance() {
        String split = "$this iff:state [ ngsi-ld:hasValue ?s ] . $this iff:state [ ngsi-ld:observedAt ?t ] . "
                + "FILTER(?s = iff:state_ON && ?t >= \"1970-01-01T00:00:15Z\"^^xsd:dateTime)";
        String oneNode = "$this iff:state ?n . ?n ngsi-ld:hasValue ?s . ?n ngsi-ld:observedAt ?t . "
                + "FILTER(?s = iff:state_ON && ?t >= \"1970-01-01T00:00:15Z\"^^xsd:dateTime)";
        Set<String> expected = rdf4j(rdf(false), "SELECT $this WHERE { " + oneNode + " }").keySet();
        assertEquals(Set.of("urn:m2"), expected, "only m2 has an instance that is ON at or after 15 s");
        assertNotEquals(expected, rdf4j(rdf(false), "SELECT $this WHERE { " + split + " }").keySet(),
                "SPARQL's own reading crosses m1's instances: the data tells the two readings apart");
        assertEquals(expected, flinkAlerting(split));
        // a BIND between the two patterns does not separate them
        assertEquals(expected, flinkAlerting("$this iff:state [ ngsi-ld:hasValue ?s ] . BIND(?s AS ?x) "
                + "$this iff:state [ ngsi-ld:observedAt ?t ] . "
                + "FILTER(?x = iff:state_ON && ?t >= \"1970-01-01T00:00:15Z\"^^xsd:dateTime)"));
        assertEquals(expected, flinkAlerting(oneNode), "a named node variable is the same instance in every pattern");
    }

    @Test
    void distinctDatasetIdVariablesRelateTwoInstances() {
        String where = "$this iff:state [ ngsi-ld:hasValue ?a ; ngsi-ld:datasetId ?d1 ] . "
                + "$this iff:state [ ngsi-ld:hasValue ?b ; ngsi-ld:datasetId ?d2 ] . FILTER(?a != ?b)";
        Set<String> expected = rdf4j(rdf(false), "SELECT $this WHERE { " + where + " }").keySet();
        assertEquals(Set.of("urn:m1"), expected, "m1's two instances disagree");
        assertEquals(expected, flinkAlerting(where));
        // a datasetId constant picks one instance
        String picked = "$this iff:state [ ngsi-ld:hasValue ?s ; ngsi-ld:datasetId <urn:d:2> ] . "
                + "$this iff:state [ ngsi-ld:observedAt ?t ; ngsi-ld:datasetId <urn:d:2> ] . "
                + "FILTER(?s = iff:state_OFF && ?t >= \"1970-01-01T00:00:20Z\"^^xsd:dateTime)";
        assertEquals(rdf4j(rdf(false), "SELECT $this WHERE { $this iff:state ?n . ?n ngsi-ld:datasetId <urn:d:2> ; "
                + "ngsi-ld:hasValue ?s ; ngsi-ld:observedAt ?t . "
                + "FILTER(?s = iff:state_OFF && ?t >= \"1970-01-01T00:00:20Z\"^^xsd:dateTime) }").keySet(),
                flinkAlerting(picked));
    }

    @Test
    void anAggregateOverTheHistoryReadsEverySampleOnce() {
        String rule = """
                iff:CountRule a sh:NodeShape ; sh:targetClass iff:machine ; sh:rule [ a sh:SPARQLRule ;
                  sh:construct \"\"\"%s CONSTRUCT { $this iff:samples [ ngsi-ld:hasValue ?n ] . }
                  WHERE { $this iff:state [ ngsi-ld:hasValue ?v ] . $this iff:state [ ngsi-ld:observedAt ?t ] .
                          FILTER(?v = iff:state_ON) BIND(COUNT(?t) AS ?n) } GROUP BY $this\"\"\" ] .
                iff:TimeRule a sh:NodeShape ; sh:targetClass iff:machine ; sh:rule [ a sh:SPARQLRule ;
                  sh:construct \"\"\"%1$s CONSTRUCT { $this iff:onTime [ ngsi-ld:hasValue ?agg ] . }
                  WHERE { $this iff:state [ ngsi-ld:hasValue ?v ] . $this iff:state [ ngsi-ld:observedAt ?t ] .
                          BIND(IF(?v = iff:state_ON, 1, 0) AS ?on)
                          BIND(<https://industry-fusion.com/aggregators/v0.9/statetime>(?on, ?t) AS ?agg) }
                  GROUP BY $this\"\"\" ] .
                """.formatted(PREFIXES);
        SparqlCompilation compilation = SparqlConstraintTest.compile(rule, SparqlConstraintTest.KNOWLEDGE);
        assertTrue(compilation.coverage().stream().allMatch(SparqlCoverage::compiled), compilation.coverage()::toString);
        Map<String, String> counts = new TreeMap<>();
        Map<String, String> times = new TreeMap<>();
        String union = compilation.statements().stream().map(SparqlStatement::query)
                .collect(Collectors.joining(" UNION ALL "));
        for (List<Object> row : tables().run(union)) {
            (row.get(3).equals(IFF + "samples") ? counts : times).put((String) row.get(2), (String) row.get(7));
        }
        Map<String, String> expected = new TreeMap<>();
        rdf4j(rdf(true), "SELECT $this (COUNT(?t) AS ?n) WHERE { $this iff:state ?x . ?x ngsi-ld:hasValue ?v ; "
                + "ngsi-ld:observedAt ?t . FILTER(?v = iff:state_ON) } GROUP BY $this")
                .forEach((m, values) -> expected.put(m, values.get("n")));
        assertEquals(Map.of("urn:m1", "2", "urn:m2", "2"), expected, "ON samples: m1 two (one per instance), m2 two");
        assertEquals(expected, counts);
        // statetime over one series of (state, time) pairs: m2 is ON from 2 s to 30 s; m1's instances interleave
        // (ON 5..10 of d2 is followed by d1's ON at 10 and d2's OFF at 20): ON from 5 s to 20 s
        assertEquals(Map.of("urn:m1", "15000", "urn:m2", "28000"), times);
    }

    @Test
    void aPatternWithoutDatasetIdBesideTwoNamedInstancesIsRejected() {
        SparqlCompilation compilation = SparqlConstraintTest.compile(constraint(
                "$this iff:state [ ngsi-ld:datasetId ?d1 ] . $this iff:state [ ngsi-ld:datasetId ?d2 ] . "
                        + "$this iff:state [ ngsi-ld:hasValue ?v ]"), SparqlConstraintTest.KNOWLEDGE);
        List<SparqlCoverage> rejected = compilation.coverage().stream().filter(c -> !c.compiled()).toList();
        assertEquals(1, rejected.size(), compilation.coverage()::toString);
        String detail = rejected.get(0).detail();
        assertTrue(detail.contains("ngsi-ld:datasetId") && detail.contains("?d1") && detail.contains("?d2"), detail);
    }
}
