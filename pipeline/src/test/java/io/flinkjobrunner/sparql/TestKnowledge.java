package io.flinkjobrunner.sparql;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.rdf4j.model.BNode;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.util.Values;
import org.eclipse.rdf4j.model.vocabulary.OWL;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.eclipse.rdf4j.model.vocabulary.XSD;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;

/**
 * Test fixture: the reference's knowledge closure (§2.4: reflexive/transitive subClassOf, owl:TransitiveProperty,
 * rdf:Bag members) and its term encoding, to fill the {@code rdf} table of {@link FlinkTestTables}.
 */
final class TestKnowledge {

    private TestKnowledge() {
    }

    static Model parse(String turtle) {
        try {
            return Rio.parse(new StringReader(turtle), "", RDFFormat.TURTLE);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The knowledge after the reference's closure rules. */
    static Model closure(Model knowledge) {
        Model m = new LinkedHashModel(knowledge);
        m.add(RDFS.SUBCLASSOF, RDF.TYPE, OWL.TRANSITIVEPROPERTY);
        Set<Resource> classes = new HashSet<>(m.filter(null, RDFS.SUBCLASSOF, null).subjects());
        classes.addAll(m.filter(null, RDF.TYPE, RDFS.CLASS).subjects());
        classes.addAll(m.filter(null, RDF.TYPE, OWL.CLASS).subjects());
        for (Resource c : classes) {
            m.add(c, RDFS.SUBCLASSOF, c);
        }
        for (Resource p : new ArrayList<>(m.filter(null, RDF.TYPE, OWL.TRANSITIVEPROPERTY).subjects())) {
            if (!(p instanceof IRI property)) {
                continue;
            }
            boolean changed = true;
            while (changed) {
                changed = false;
                for (Statement a : new ArrayList<>(m.filter(null, property, null))) {
                    if (a.getObject() instanceof Resource mid) {
                        for (Statement b : new ArrayList<>(m.filter(mid, property, null))) {
                            changed |= m.add(a.getSubject(), property, b.getObject());
                        }
                    }
                }
            }
        }
        for (Resource bag : new ArrayList<>(m.filter(null, RDF.TYPE, RDF.BAG).subjects())) {
            m.add(bag, RDF.TYPE, RDFS.CONTAINER);
            for (Statement s : new ArrayList<>(m.filter(bag, null, null))) {
                if (s.getPredicate().stringValue().startsWith(RDF.NAMESPACE + "_")) {
                    Literal member = Values.literal(s.getObject().stringValue());
                    m.remove(s);
                    m.add(bag, s.getPredicate(), member);
                    m.add(bag, RDFS.MEMBER, member);
                }
            }
        }
        return m;
    }

    /** The rdf-table rows of a (closed) knowledge graph in the reference encoding. */
    static List<FlinkTestTables.Triple> rows(Model closed) {
        Map<String, FlinkTestTables.Triple> rows = new LinkedHashMap<>();
        for (Statement s : closed) {
            FlinkTestTables.Triple t = new FlinkTestTables.Triple(encode(s.getSubject()), encode(s.getPredicate()),
                    encode(s.getObject()));
            rows.put(t.toString(), t);
        }
        return new ArrayList<>(new LinkedHashSet<>(rows.values()));
    }

    static String encode(Value v) {
        if (v instanceof IRI) {
            return "<" + v.stringValue() + ">";
        }
        if (v instanceof BNode b) {
            return "_:" + b.getID();
        }
        Literal l = (Literal) v;
        IRI dt = l.getDatatype();
        if (dt.equals(XSD.INTEGER)) {
            return new java.math.BigInteger(l.getLabel()).toString();
        }
        if (dt.equals(XSD.DECIMAL)) {
            return l.getLabel();
        }
        if (dt.equals(XSD.DOUBLE) || dt.equals(XSD.FLOAT)) {
            return Double.toString(Double.parseDouble(l.getLabel()));
        }
        return "\"" + l.getLabel() + "\"";
    }

    static FlinkTestTables withKnowledge(FlinkTestTables tables, String knowledgeTurtle) {
        for (FlinkTestTables.Triple t : rows(closure(parse(knowledgeTurtle)))) {
            tables.triple(t.subject(), t.predicate(), t.object());
        }
        return tables;
    }
}
