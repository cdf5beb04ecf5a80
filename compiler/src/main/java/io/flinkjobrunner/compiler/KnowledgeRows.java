package io.flinkjobrunner.compiler;

import io.flinkjobrunner.memory.HeapGuard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;

/**
 * The closed knowledge as rows of the {@code rdf} table: every row, or only the rows the generic check statements
 * read.
 *
 * <p>The closure of a deep class tree is mostly transitive {@code rdfs:subClassOf} rows (a 30,000-class tree of depth
 * five closes to about 255,000 rows), and every one of them is stored, published and held in the job's join state.
 * The generic statements ({@link CheckStatements}) read the {@code rdf} table only to answer "is this value an
 * instance of class C" and "is this entity type a subclass of C", for the classes C of {@code sh:class} constraints.
 * {@link #readByChecks} ships exactly those rows; a unit with statements that read the knowledge freely (SPARQL
 * constraints and rules) ships {@link #all}.
 *
 * <p>Either way the rows are numbered over the whole closure: {@code index} counts the objects of a (subject,
 * predicate) in closure order, and blank nodes are labelled by first appearance in it ({@code _:b0}, …). A row
 * therefore has the same key whichever shapes select it, and a redeploy with other shapes publishes only the rows
 * that came or went.
 */
final class KnowledgeRows {

    private static final List<SemanticTable.Column> COLUMNS = List.of(new SemanticTable.Column("subject", "STRING"),
            new SemanticTable.Column("predicate", "STRING"), new SemanticTable.Column("object", "STRING"),
            new SemanticTable.Column("index", "INT"));
    private static final List<String> KEY = List.of("subject", "predicate", "index");

    private KnowledgeRows() {
    }

    /** Every row of the closed knowledge. */
    static SemanticTable all(KnowledgeClosure closure) {
        return rows(closure, new Selection(null, st -> true));
    }

    /**
     * The rows the generic check statements read when the constraints name {@code classes} (the
     * {@code propertyClass} values of {@code constraint_table}, IRIs as strings). The generic statements read the
     * table in two places (KnowledgeRowsTest counts them, so a new read cannot go unnoticed):
     * <ul>
     *   <li>{@code X rdfs:subClassOf C} for every C: the relationship class check ({@code target_subclass}) and the
     *       subclass half of {@code instance_of};</li>
     *   <li>{@code x rdf:type T} where T is C or such an X: the type half of {@code instance_of}.</li>
     * </ul>
     */
    static SemanticTable readByChecks(KnowledgeClosure closure, Set<String> classes) {
        if (classes.isEmpty()) {
            return rows(closure, new Selection(Set.of(), st -> false));
        }
        Set<Value> typesRead = new HashSet<>();
        for (Statement st : closure.statements()) {
            if (st.getPredicate().equals(RDFS.SUBCLASSOF) && named(st.getObject(), classes)) {
                typesRead.add(st.getSubject());
            }
        }
        return rows(closure, new Selection(Set.of(RDFS.SUBCLASSOF, RDF.TYPE), st -> st.getPredicate()
                .equals(RDFS.SUBCLASSOF) ? named(st.getObject(), classes)
                : typesRead.contains(st.getObject()) || named(st.getObject(), classes)));
    }

    /** The SQL compares {@code '<' || propertyClass || '>'} with the encoded term: only an IRI can match. */
    private static boolean named(Value value, Set<String> classes) {
        return value instanceof IRI iri && classes.contains(iri.stringValue());
    }

    /** Which rows to keep; {@code predicates} (null: any) bounds what has to be counted for {@code index}. */
    private record Selection(Set<IRI> predicates, java.util.function.Predicate<Statement> keep) {
    }

    private static SemanticTable rows(KnowledgeClosure closure, Selection selection) {
        // counted per (subject, predicate) term: the encoding is one-to-one for subjects and predicates, so this is the
        // count per encoded pair, without building a key string for each of (possibly) a million statements
        Map<Value, Map<IRI, int[]>> counters = new HashMap<>();
        Map<Value, String> blankNodes = new HashMap<>();
        Map<IRI, String> predicates = new HashMap<>();
        List<List<Object>> rows = new ArrayList<>();
        for (Statement st : closure.statements()) {
            HeapGuard.check();
            IRI predicate = st.getPredicate();
            if (selection.predicates() == null || selection.predicates().contains(predicate)) {
                int index = counters.computeIfAbsent(st.getSubject(), k -> new HashMap<>(4))
                        .computeIfAbsent(predicate, k -> new int[1])[0]++;
                if (selection.keep().test(st)) {
                    String s = term(st.getSubject(), blankNodes);
                    rows.add(List.of(s, predicates.computeIfAbsent(predicate, RdfTerms::encode),
                            term(st.getObject(), blankNodes), index));
                    continue;
                }
            }
            // labels count every blank node of the closure, kept or not
            if (st.getSubject().isBNode()) {
                term(st.getSubject(), blankNodes);
            }
            if (st.getObject().isBNode()) {
                term(st.getObject(), blankNodes);
            }
        }
        return new SemanticTable("rdf", COLUMNS, KEY, rows);
    }

    /**
     * Blank nodes are numbered by first appearance ({@code _:b0}, {@code _:b1}, …) instead of the parser's per-parse
     * random labels, so compiling the same knowledge twice gives the same rows and a redeploy publishes no churn.
     */
    private static String term(Value value, Map<Value, String> blankNodes) {
        return value.isBNode() ? blankNodes.computeIfAbsent(value, b -> "_:b" + blankNodes.size())
                : RdfTerms.encode(value);
    }
}
