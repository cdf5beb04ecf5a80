package io.flinkjobrunner.sparql;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.eclipse.rdf4j.model.Model;

/**
 * Benchmark (not a test): compile time of N SPARQL constraints, and the time to plan them in one statement set
 * against the reference DDL. Run as described in docs/benchmarks.md.
 */
public final class SparqlCompileBenchmark {

    private SparqlCompileBenchmark() {
    }

    public static void main(String[] args) {
        boolean plan = !List.of(args).contains("--compile-only");
        for (String arg : args.length == 0 ? new String[] {"100", "1000"} : args) {
            if (arg.startsWith("--")) {
                continue;
            }
            int n = Integer.parseInt(arg);
            Model shapes = TestKnowledge.parse(shapes(n));
            Model knowledge = TestKnowledge.closure(TestKnowledge.parse(SparqlConstraintTest.KNOWLEDGE));
            new SparqlShapeCompiler(shapes, knowledge).compile(); // warm-up
            long start = System.nanoTime();
            SparqlCompilation compilation = new SparqlShapeCompiler(shapes, knowledge).compile();
            long compileMs = (System.nanoTime() - start) / 1_000_000;
            if (!plan) {
                System.out.printf("%d constraints: compile %d ms%n", compilation.statements().size(), compileMs);
                continue;
            }
            TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
            ReferenceDdl.declare(env);
            StatementSet set = env.createStatementSet();
            compilation.statements().forEach(s -> set.addInsertSql(s.sql()));
            start = System.nanoTime();
            set.explain();
            long planMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("%d constraints: compile %d ms, planner check (one statement set) %d ms%n",
                    compilation.statements().size(), compileMs, planMs);
        }
    }

    static String shapes(int n) {
        StringBuilder ttl = new StringBuilder(SparqlConstraintTest.PREFIXES).append(SparqlConstraintTest.ATTRIBUTES);
        List<String> shapes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            shapes.add("""
                    iff:Shape%d a sh:NodeShape ; sh:targetClass iff:cutter ;
                      sh:sparql [ sh:message "Cutter {$this} filter {?f} strength {?s}" ;
                        sh:select \"\"\"
                          PREFIX iff: <https://industry-fusion.com/types/v0.9/>
                          SELECT $this ?f ?s WHERE {
                            $this iff:state [ <https://uri.etsi.org/ngsi-ld/hasValue> ?v1 ] .
                            $this iff:hasFilter [ <https://uri.etsi.org/ngsi-ld/hasObject> ?f ] .
                            ?f iff:strength [ <https://uri.etsi.org/ngsi-ld/hasValue> ?s ] .
                            FILTER(?v1 = iff:state_ON && xsd:double(?s) < %d.5)
                          }\"\"\" ] .
                    """.formatted(i, i));
        }
        return ttl.append(String.join("\n", shapes)).toString();
    }
}
