package io.flinkjobrunner.compiler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;

/**
 * The closed knowledge as rows of the {@code rdf} table: {@code index} counts the objects of a (subject, predicate)
 * in closure order, and blank nodes are labelled by first appearance in it ({@code _:b0}, …).
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
