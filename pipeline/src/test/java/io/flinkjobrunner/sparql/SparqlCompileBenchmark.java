package io.flinkjobrunner.sparql;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.compiler.UnitStatement;
import io.flinkjobrunner.planner.PlannerCheck;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.rdf4j.model.Model;

/**
 * Benchmark (not a test): compile time of a unit with N SPARQL constraints ({@link ShaclCompiler#assemble}, as the
 * service's build does) and the time of its {@link PlannerCheck} (all statements in one statement set). The planner
 * is warmed first ({@link PlannerCheck#warmUp}), as the service does at start. Run as described in
 * docs/benchmarks.md.
 */
public final class SparqlCompileBenchmark {

    private SparqlCompileBenchmark() {
    }

    public static void main(String[] args) throws CompilationException {
        boolean plan = !List.of(args).contains("--compile-only");
        Model knowledge = TestKnowledge.parse(SparqlConstraintTest.KNOWLEDGE);
        new ShaclCompiler().assemble(knowledge, TestKnowledge.parse(shapes(10)), CompileOptions.defaults("warm-up"));
        if (plan) {
            System.out.println("planner warm-up (ms): " + PlannerCheck.warmUp(5));
        }
        for (String arg : args.length == 0 ? new String[] {"100", "1000"} : args) {
            if (arg.startsWith("--")) {
                continue;
            }
            int n = Integer.parseInt(arg);
            Model shapes = TestKnowledge.parse(shapes(n));
            long start = System.nanoTime();
            DeploymentUnit unit = new ShaclCompiler().assemble(knowledge, shapes, CompileOptions.defaults("bench"));
            long compileMs = (System.nanoTime() - start) / 1_000_000;
            long inserts = unit.statements().stream().filter(s -> s.kind() == UnitStatement.Kind.INSERT).count();
            if (!plan) {
                System.out.printf("%d SPARQL constraints (%d INSERTs): compile %d ms%n", n, inserts, compileMs);
                continue;
            }
            start = System.nanoTime();
            PlannerCheck.check(unit);
            long planMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("%d SPARQL constraints (%d INSERTs): compile %d ms, planner check %d ms, load %s%n",
                    n, inserts, compileMs, planMs, load());
        }
    }

    /** The 1-minute load average, to judge how much of the two cores the run had. */
    static String load() {
        return String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
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
