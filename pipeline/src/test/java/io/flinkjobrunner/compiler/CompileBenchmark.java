package io.flinkjobrunner.compiler;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
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
 * given number of attribute shapes, compiled with {@link ShaclCompiler#assemble}; then one {@link PlannerCheck}.
 *
 * <p>Usage: {@code CompileBenchmark [shapes,shapes,...] [triples,triples,...]}, defaults
 * {@code 10,100,1000,10000} and {@code 1000,100000,1000000}. Run through {@code bin/benchmark-compile}.
 */
public final class CompileBenchmark {

    private static final ValueFactory VF = SimpleValueFactory.getInstance();
    private static final String EX = "http://example.com/bench/";
    private static final String SH = "http://www.w3.org/ns/shacl#";
    private static final int CLASSES = 1000;

    private CompileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] shapeCounts = ints(args.length > 0 ? args[0] : "10,100,1000,10000");
        int[] tripleCounts = ints(args.length > 1 ? args[1] : "1000,100000,1000000");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.printf("max heap %d MiB, %d cores%n", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        // warm-up so the first row does not carry class loading and JIT
        new ShaclCompiler(List.of()).assemble(knowledge(1000), shapes(10), CompileOptions.defaults("warmup"));
        System.out.println("| property shapes | knowledge triples | rdf rows | constraint rows | compile ms | heap after compile MiB |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        DeploymentUnit last = null;
        for (int triples : tripleCounts) {
            Model knowledge = knowledge(triples);
            for (int count : shapeCounts) {
                Model shapes = shapes(count);
                System.gc();
                long t0 = System.nanoTime();
                DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(knowledge, shapes,
                        CompileOptions.defaults("bench"));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                long heap = memory.getHeapMemoryUsage().getUsed() >> 20;
                System.out.printf("| %d | %d | %d | %d | %d | %d |%n", count, knowledge.size(),
                        unit.table("rdf").rows().size(), unit.table("constraint_table").rows().size(), ms, heap);
                last = unit;
            }
        }
        for (int i = 1; i <= 2; i++) {
            long t0 = System.nanoTime();
            PlannerCheck.check(last);
            System.out.printf("planner check (run %d, same SQL for every size): %d ms%n", i,
                    (System.nanoTime() - t0) / 1_000_000);
        }
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
