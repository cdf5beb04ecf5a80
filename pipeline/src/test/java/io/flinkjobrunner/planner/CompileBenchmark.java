package io.flinkjobrunner.planner;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.util.RDFCollections;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.eclipse.rdf4j.model.vocabulary.XSD;

/**
 * Compile-time benchmark (docs/benchmarks.md): synthetic knowledge graphs of a given size and shapes graphs with a
 * given number of attribute shapes, compiled with {@link ShaclCompiler#assemble}, each followed by its
 * {@link PlannerCheck}. The first compile and check of the JVM (cold) are reported on their own, then the planner is
 * warmed with a few checks, so the table rows show warm times.
 *
 * <p>Usage: {@code CompileBenchmark [shapes,shapes,...] [triples,triples,...]}, defaults
 * {@code 10,100,1000,10000} and {@code 1000,100000,1000000}. Run through {@code bin/benchmark-compile}.
 */
public final class CompileBenchmark {

    private static final ValueFactory VF = SimpleValueFactory.getInstance();
    private static final String EX = "http://example.com/bench/";
    private static final String SH = "http://www.w3.org/ns/shacl#";
    private static final int CLASSES = 1000;
    /** Planner checks before the table, so its rows show the warm check a long-running service sees. */
    private static final int WARMUP_CHECKS = 5;

    private CompileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] shapeCounts = ints(args.length > 0 ? args[0] : "10,100,1000,10000");
        int[] tripleCounts = ints(args.length > 1 ? args[1] : "1000,100000,1000000");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.printf("max heap %d MiB, %d cores%n", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        // the first compile and planner check of the JVM carry class loading and JIT: reported on their own
        long t0 = System.nanoTime();
        DeploymentUnit first = new ShaclCompiler(List.of()).assemble(knowledge(1000), shapes(10),
                CompileOptions.defaults("warmup"));
        long compileMs = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        PlannerCheck.plan(first);
        System.out.printf("first compile in this JVM (cold): %d ms, first planner check (cold): %d ms, load %.1f%n",
                compileMs, (System.nanoTime() - t0) / 1_000_000,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Long> warmup = new ArrayList<>();
        for (int i = 0; i < WARMUP_CHECKS; i++) {
            t0 = System.nanoTime();
            PlannerCheck.plan(first);
            warmup.add((System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println("warm-up planner checks (ms): " + warmup);
        System.out.println("| property shapes | knowledge triples | rdf rows | constraint rows | compile ms "
                + "| planner check ms | compile + check ms | heap after compile MiB | peak heap MiB | load |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int triples : tripleCounts) {
            Model knowledge = knowledge(triples);
            for (int count : shapeCounts) {
                Model shapes = shapes(count);
                System.gc();
                ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
                t0 = System.nanoTime();
                DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(knowledge, shapes,
                        CompileOptions.defaults("bench"));
                long compiled = System.nanoTime();
                long heap = memory.getHeapMemoryUsage().getUsed() >> 20;
                PlannerCheck.plan(unit);
                long checked = System.nanoTime();
                System.out.printf("| %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f |%n", count, knowledge.size(),
                        unit.table("rdf").rows().size(), unit.table("constraint_table").rows().size(),
                        (compiled - t0) / 1_000_000, (checked - compiled) / 1_000_000, (checked - t0) / 1_000_000,
                        heap, peakHeap() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
    }

    /** Sum of the heap pools' peaks since the last reset: an upper bound of the peak heap use. */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /**
     * {@code triples} statements: a class tree (each class under class/2, so the subClassOf closure stays small), then
     * instances with a type, a label and a link to the next instance.
     */
    static Model knowledge(int triples) {
        Model m = new LinkedHashModel();
        for (int c = 1; c < CLASSES && m.size() < triples; c++) {
            m.add(cls(c), RDFS.SUBCLASSOF, cls(c / 2));
        }
        for (int i = 0; m.size() < triples; i++) {
            IRI instance = VF.createIRI(EX + "i" + i);
            m.add(instance, RDF.TYPE, cls(i % CLASSES));
            if (m.size() < triples) {
                m.add(instance, RDFS.LABEL, VF.createLiteral("instance " + i));
            }
            if (m.size() < triples) {
                m.add(instance, VF.createIRI(EX + "next"), VF.createIRI(EX + "i" + (i + 1)));
            }
        }
        return m;
    }

    /**
     * {@code count} attribute shapes, ten per node shape targeting a leaf class, cycling through the reference's
     * constraint kinds (every fifth with an {@code sh:or} of two branches).
     */
    static Model shapes(int count) {
        Model m = new LinkedHashModel();
        Resource node = null;
        for (int p = 0; p < count; p++) {
            if (p % 10 == 0) {
                node = VF.createIRI(EX + "Shape" + p / 10);
                m.add(node, RDF.TYPE, sh("NodeShape"));
                // leaf classes of the tree: one constraint row per attribute shape (an inner class would add one
                // row per subclass, the reference's "one row per inherited target class")
                m.add(node, sh("targetClass"), cls(CLASSES / 2 + (p / 10) % (CLASSES / 2)));
            }
            Resource attribute = VF.createBNode();
            Resource value = VF.createBNode();
            m.add(node, sh("property"), attribute);
            m.add(attribute, sh("path"), VF.createIRI(EX + "attr" + p));
            m.add(attribute, sh("minCount"), VF.createLiteral(1));
            m.add(attribute, sh("maxCount"), VF.createLiteral(1));
            m.add(attribute, sh("property"), value);
            switch (p % 5) {
                case 0 -> {
                    m.add(value, sh("path"), VF.createIRI("https://uri.etsi.org/ngsi-ld/hasValue"));
                    m.add(value, sh("nodeKind"), sh("Literal"));
                    m.add(value, sh("datatype"), XSD.DOUBLE);
                    m.add(value, sh("minInclusive"), VF.createLiteral(0));
                    m.add(value, sh("maxInclusive"), VF.createLiteral(100));
                }
                case 1 -> {
                    m.add(value, sh("path"), VF.createIRI("https://uri.etsi.org/ngsi-ld/hasValue"));
                    m.add(value, sh("nodeKind"), sh("IRI"));
                    m.add(value, sh("class"), cls(p % CLASSES));
                }
                case 2 -> {
                    m.add(value, sh("path"), VF.createIRI("https://uri.etsi.org/ngsi-ld/hasObject"));
                    m.add(value, sh("class"), cls(p % CLASSES));
                }
                case 3 -> {
                    m.add(value, sh("path"), VF.createIRI("https://uri.etsi.org/ngsi-ld/hasValue"));
                    m.add(value, sh("pattern"), VF.createLiteral("^[A-Z]{2}-\\d+$"));
                    m.add(value, sh("maxLength"), VF.createLiteral(12));
                }
                default -> {
                    m.add(value, sh("path"), VF.createIRI("https://uri.etsi.org/ngsi-ld/hasValue"));
                    Resource list = VF.createBNode();
                    m.add(value, sh("in"), list);
                    RDFCollections.asRDF(List.of(VF.createLiteral("ON"), VF.createLiteral("OFF")), list, m);
                    Resource or = VF.createBNode();
                    m.add(value, sh("or"), or);
                    Resource a = VF.createBNode();
                    Resource b = VF.createBNode();
                    m.add(a, sh("datatype"), XSD.STRING);
                    m.add(b, sh("minLength"), VF.createLiteral(2));
                    RDFCollections.asRDF(List.of(a, b), or, m);
                }
            }
        }
        return m;
    }

    private static IRI cls(int c) {
        return VF.createIRI(EX + "C" + c);
    }

    private static IRI sh(String local) {
        return VF.createIRI(SH, local);
    }

    private static int[] ints(String csv) {
        List<Integer> values = new ArrayList<>();
        for (String s : csv.split(",")) {
            values.add(Integer.parseInt(s.trim()));
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
