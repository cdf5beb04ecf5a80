package io.flinkjobrunner.compiler;

import io.flinkjobrunner.compiler.ConstraintExpr.Combination;
import io.flinkjobrunner.compiler.ConstraintExpr.Operation;
import io.flinkjobrunner.compiler.ConstraintExpr.Row;
import io.flinkjobrunner.compiler.ConstraintRow.PairKind;
import io.flinkjobrunner.compiler.ConstraintRow.ValueKind;
import io.flinkjobrunner.compiler.CoverageReport.Status;
import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import io.flinkjobrunner.shacl.MalformedRdfException;
import io.flinkjobrunner.shacl.ShaclPath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.eclipse.rdf4j.model.BNode;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.vocabulary.OWL;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;

/**
 * Reads a shapes graph into knowledge-independent constraint trees and a coverage report.
 *
 * <p>Follows the reference's reading of NGSI-LD shapes (shacl2flink's {@code shacl_normalization.py} and {@code create_sql_checks_from_shacl.py}; docs/semantics.md): an attribute shape
 * {@code [sh:path attr; counts; sh:property [sh:path ngsi-ld:hasValue|hasObject|hasValueList|hasJSON; value
 * constraints]]} becomes rows; {@code sh:or} on an attribute or value shape is distributed like the reference's
 * normalization (the shape's other constraints are copied into every branch), and branches that differ only in
 * {@code sh:datatype} merge into one row. {@code sh:and}, {@code sh:not}, {@code sh:xone} and
 * {@code sh:qualifiedValueShape} become combinations.
 *
 * <p>Everything else of SHACL Core is read against the NGSI-LD graph of an entity (entity -attribute-> attribute node
 * -hasValue/hasObject-> value, attribute node -sub-attribute-> attribute node): {@code sh:node}, qualified value
 * shapes, sub-attribute shapes and shapes nested in value shapes are evaluated at nested focus nodes
 * ({@link FocusPath}); property shapes whose path is not a plain attribute read their value nodes through the path;
 * value constraints on a node shape or directly on an attribute shape constrain the focus node or the attribute nodes
 * themselves. Every expression is read relative to its own shape's focus node and moved under the segment that leads
 * there ({@link ConstraintExpr#under}). Whatever cannot be compiled is reported.
 */
final class ShapeReader {

    static final String SH = "http://www.w3.org/ns/shacl#";
    private static final ValueFactory VF = SimpleValueFactory.getInstance();
    private static final IRI SH_NODE_SHAPE = sh("NodeShape");
    private static final IRI SH_PATH = sh("path");
    private static final IRI SH_PROPERTY = sh("property");
    private static final IRI SH_TARGET_CLASS = sh("targetClass");
    private static final IRI SH_TARGET_NODE = sh("targetNode");
    private static final IRI SH_TARGET_SUBJECTS_OF = sh("targetSubjectsOf");
    private static final IRI SH_TARGET_OBJECTS_OF = sh("targetObjectsOf");
    private static final IRI SH_DEACTIVATED = sh("deactivated");
    private static final IRI SH_SEVERITY = sh("severity");
    private static final IRI SH_MESSAGE = sh("message");
    private static final IRI SH_OR = sh("or");
    private static final IRI SH_AND = sh("and");
    private static final IRI SH_XONE = sh("xone");
    private static final IRI SH_NOT = sh("not");
    private static final IRI SH_NODE = sh("node");
    private static final IRI SH_CLOSED = sh("closed");
    private static final IRI SH_IGNORED_PROPERTIES = sh("ignoredProperties");
    private static final IRI SH_FLAGS = sh("flags");
    private static final IRI SH_QUALIFIED_VALUE_SHAPE = sh("qualifiedValueShape");
    private static final IRI SH_QUALIFIED_MIN_COUNT = sh("qualifiedMinCount");
    private static final IRI SH_QUALIFIED_MAX_COUNT = sh("qualifiedMaxCount");
    private static final IRI SH_QUALIFIED_DISJOINT = sh("qualifiedValueShapesDisjoint");

    /** Annotations without validation meaning (SHACL §2.3 non-validating properties, plus common vocabularies). */
    private static final Set<IRI> NON_VALIDATING = Set.of(sh("name"), sh("description"), sh("order"), sh("group"),
            sh("defaultValue"), RDF.TYPE, RDFS.LABEL, RDFS.COMMENT, sh("prefixes"), sh("declare"));

    private static final Set<String> VALUE_PATHS = Set.of(NgsiLdVocabulary.HAS_VALUE, NgsiLdVocabulary.HAS_OBJECT,
            NgsiLdVocabulary.HAS_VALUE_LIST, NgsiLdVocabulary.HAS_JSON);

    /** Value-type, value-range, string-based and value parameters: constraints on each value node. */
    private static final Set<String> VALUE_PARAMETERS = Set.of("nodeKind", "class", "datatype", "minInclusive",
            "maxInclusive", "minExclusive", "maxExclusive", "minLength", "maxLength", "hasValue", "pattern", "flags",
            "in", "languageIn");

    private static final String ATTRIBUTE_NODES = "the value nodes are NGSI-LD attribute nodes (blank nodes), so every"
            + " attribute instance violates it; constrain the nested ngsi-ld:hasValue shape to check the value";

    private final Model shapes;
    private final Model labels;
    private final Set<IRI> delegated;
    private final Set<CoverageReport.Entry> coverage = new LinkedHashSet<>();
    /** Shapes being read through sh:node, logical members or qualified value shapes: recursion detection. */
    private final Deque<Resource> expanding = new ArrayDeque<>();
    /** Property shapes being read: the parents of sibling qualified value shapes. */
    private final Deque<Resource> propertyShapes = new ArrayDeque<>();
    /** Segments from the node shape's target node to the shape being read: path bounds are checked on the whole. */
    private final List<FocusPath.Segment> outer = new ArrayList<>();

    /**
     * A node shape with its targets and top-level constraints.
     *
     * @param name display name (IRI)
     * @param targetClasses {@code sh:targetClass} values plus the shape itself when it is a class (implicit target)
     * @param targetNodes {@code sh:targetNode} values (entity ids)
     * @param targetSubjectsOf {@code sh:targetSubjectsOf} predicates
     * @param targetObjectsOf {@code sh:targetObjectsOf} predicates
     * @param roots constraints relative to the target node; each is published on its own
     */
    record NodeShapeDef(String name, List<IRI> targetClasses, List<String> targetNodes, List<String> targetSubjectsOf,
            List<String> targetObjectsOf, List<ConstraintExpr> roots) {
    }

    /** The shapes and the coverage report. */
    record Result(List<NodeShapeDef> nodeShapes, List<CoverageReport.Entry> coverage) {
    }

    /**
     * @param shapes the shapes graph
     * @param knowledge the knowledge graph (severity labels); may be empty
     * @param delegated node-shape predicates compiled by a {@link ShapeStatementTranslator} (not reported here)
     */
    ShapeReader(Model shapes, Model knowledge, Set<IRI> delegated) {
        this.shapes = shapes;
        this.labels = knowledge;
        this.delegated = Set.copyOf(delegated);
    }

    static IRI sh(String local) {
        return VF.createIRI(SH, local);
    }

    Result read() {
        List<NodeShapeDef> defs = new ArrayList<>();
        for (Resource node : nodeShapes()) {
            readNodeShape(node).ifPresent(defs::add);
        }
        return new Result(defs, List.copyOf(coverage));
    }

    /** Subjects that are node shapes: typed sh:NodeShape or carrying a target, in shapes-graph order. */
    private Set<Resource> nodeShapes() {
        Set<Resource> result = new LinkedHashSet<>();
        for (Statement st : shapes) {
            IRI p = st.getPredicate();
            boolean typed = p.equals(RDF.TYPE) && st.getObject().equals(SH_NODE_SHAPE);
            boolean targeted = p.equals(SH_TARGET_CLASS) || p.equals(SH_TARGET_NODE) || p.equals(SH_TARGET_SUBJECTS_OF)
                    || p.equals(SH_TARGET_OBJECTS_OF);
            if ((typed || targeted) && !shapes.contains(st.getSubject(), SH_PATH, null)) {
                result.add(st.getSubject());
            }
        }
        return result;
    }

    private Optional<NodeShapeDef> readNodeShape(Resource node) {
        String name = display(node);
        if (isDeactivated(node)) {
            report(name, "sh:deactivated", Status.DEACTIVATED, "the shape is deactivated; SHACL skips it");
            return Optional.empty();
        }
        List<IRI> classes = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        for (Value v : objects(node, SH_TARGET_CLASS)) {
            if (v instanceof IRI iri) {
                classes.add(iri);
                report(name, "sh:targetClass", Status.COMPILED, "");
            } else {
                report(name, "sh:targetClass", Status.REJECTED, "the target class must be an IRI, got " + v);
            }
        }
        if (shapes.contains(node, RDF.TYPE, RDFS.CLASS) || shapes.contains(node, RDF.TYPE, OWL.CLASS)) {
            if (node instanceof IRI iri) {
                classes.add(iri);
                report(name, "implicit class target", Status.COMPILED, "");
            } else {
                // ill-formed (SHACL 2.1.3.3); the shapes-graph check refuses it before a build compiles
                report(name, "implicit class target", Status.REJECTED, "a shape that is also a class must be an IRI");
            }
        }
        for (Value v : objects(node, SH_TARGET_NODE)) {
            nodes.add(v.stringValue());
            report(name, "sh:targetNode", Status.COMPILED, "");
        }
        List<String> subjectsOf = targetPredicates(name, node, SH_TARGET_SUBJECTS_OF);
        List<String> objectsOf = targetPredicates(name, node, SH_TARGET_OBJECTS_OF);
        if (classes.isEmpty() && nodes.isEmpty() && subjectsOf.isEmpty() && objectsOf.isEmpty()) {
            if (!shapes.contains(null, null, node)) {
                report(name, "target", Status.IGNORED, "the shape has no target and no shape refers to it");
            }
            return Optional.empty();
        }
        expanding.push(node);
        try {
            List<ConstraintExpr> roots = readNodeContent(name, content(node));
            return Optional.of(new NodeShapeDef(name, classes, nodes, subjectsOf, objectsOf, roots));
        } finally {
            expanding.pop();
        }
    }

    /** sh:targetSubjectsOf / sh:targetObjectsOf: predicates of the NGSI-LD graph (attribute names, ngsi-ld:hasObject, ...). */
    private List<String> targetPredicates(String name, Resource node, IRI target) {
        List<String> predicates = new ArrayList<>();
        for (Value v : objects(node, target)) {
            if (!(v instanceof IRI iri)) {
                report(name, label(target), Status.REJECTED, "the target predicate must be an IRI, got " + v);
            } else if (iri.stringValue().equals(NgsiLdVocabulary.OBSERVED_AT)) {
                report(name, label(target), Status.REJECTED, observedAtReason());
            } else {
                predicates.add(iri.stringValue());
                report(name, label(target), Status.COMPILED, "");
            }
        }
        return predicates;
    }

    private static String observedAtReason() {
        return "ngsi-ld:observedAt is not an edge of the stream's NGSI-LD graph: an attribute row carries it only as"
                + " its record timestamp, which is the ingestion time when observedAt is absent";
    }

    /** The constraints of a node shape at its focus node, as an implicit conjunction. */
    private List<ConstraintExpr> readNodeContent(String name, Map<IRI, List<Value>> content) {
        ConstraintRow base = commonFields(name, content);
        List<ConstraintExpr> members = new ArrayList<>();
        ConstraintRow.Builder focusRow = base.toBuilder();
        List<String> extraClasses = new ArrayList<>();
        boolean focusChecks = false;
        for (Map.Entry<IRI, List<Value>> e : content.entrySet()) {
            IRI p = e.getKey();
            String component = label(p);
            if (p.stringValue().startsWith(SH) && VALUE_PARAMETERS.contains(p.getLocalName())) {
                focusChecks |= valueParameter(name, p, e.getValue(), content, focusRow, extraClasses, ValueNodes.NODES);
                continue;
            }
            for (Value v : e.getValue()) {
                if (p.equals(SH_PROPERTY)) {
                    if (v instanceof Resource ps) {
                        readPropertyShape(name, ps).ifPresent(members::add);
                    }
                } else if (p.equals(SH_CLOSED)) {
                    if (isTrue(v)) {
                        members.add(closed(name, content, base));
                        report(name, component, Status.COMPILED, "");
                    }
                } else if (p.equals(SH_OR) || p.equals(SH_AND) || p.equals(SH_XONE)) {
                    Operation op = p.equals(SH_OR) ? Operation.OR : p.equals(SH_AND) ? Operation.AND : Operation.XONE;
                    List<ConstraintExpr> parts = new ArrayList<>();
                    for (Value member : list(v)) {
                        parts.add(readNodeMember(name, member));
                    }
                    members.add(combine(op, parts, true, base));
                    report(name, component, Status.COMPILED, "");
                } else if (p.equals(SH_NOT)) {
                    members.add(new Combination(Operation.NOT, List.of(readNodeMember(name, v)), true, base));
                    report(name, component, Status.COMPILED, "");
                } else if (p.equals(SH_NODE)) {
                    nodeReference(name, v, base, null).ifPresent(members::add);
                } else if (p.equals(sh("equals")) || p.equals(sh("disjoint"))) {
                    report(name, component, Status.REJECTED, "on a node shape it compares the entity with its own "
                            + "attribute nodes, which never holds in the NGSI-LD graph; put it on a property shape");
                } else if (structural(p) || delegated.contains(p) || !p.stringValue().startsWith(SH)) {
                    continue;
                } else if (Set.of("minCount", "maxCount", "uniqueLang", "lessThan", "lessThanOrEquals",
                        "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint")
                        .contains(p.getLocalName())) {
                    report(name, component, Status.REJECTED, "SHACL allows it on property shapes only");
                } else {
                    report(name, component, Status.REJECTED, "not supported on a node shape");
                }
            }
        }
        if (focusChecks) {
            members.addAll(withClasses(focusRow.valueKind(ValueKind.FOCUS).build(), extraClasses));
        }
        return members;
    }

    /** A member of a node-level logical constraint: a property shape or a node shape applied to the focus node. */
    private ConstraintExpr readNodeMember(String owner, Value member) {
        if (!(member instanceof Resource r)) {
            report(owner, "logical member", Status.REJECTED, "a member must be a shape, got " + member);
            return emptyConjunction(owner);
        }
        if (shapes.contains(r, SH_PATH, null)) {
            return readPropertyShape(owner, r).orElseGet(() -> emptyConjunction(owner));
        }
        String name = r instanceof IRI ? display(r) : owner;
        if (recursive(owner, "logical member", r)) {
            return emptyConjunction(owner);
        }
        expanding.push(r);
        try {
            List<ConstraintExpr> parts = readNodeContent(name, content(r));
            return parts.size() == 1 ? parts.get(0)
                    : new Combination(Operation.AND, parts, false, ConstraintRow.of(name));
        } finally {
            expanding.pop();
        }
    }

    /**
     * {@code sh:node}: the focus node ({@code valueNodes} null) or every value node the segment reaches conforms to the
     * referenced node shape. A {@link Operation#NODE} combination over the shape's constraints, evaluated at the value
     * node; for value nodes its result belongs to the enclosing focus node, as in SHACL.
     */
    private Optional<ConstraintExpr> nodeReference(String owner, Value reference, ConstraintRow base,
            FocusPath.Segment valueNodes) {
        if (!(reference instanceof Resource shape)) {
            report(owner, "sh:node", Status.REJECTED, "the value of sh:node must be a node shape, got " + reference);
            return Optional.empty();
        }
        if (shapes.contains(shape, SH_PATH, null)) {
            report(owner, "sh:node", Status.REJECTED, "sh:node must refer to a node shape, " + display(shape)
                    + " is a property shape (it has sh:path)");
            return Optional.empty();
        }
        if (isDeactivated(shape)) {
            report(owner, "sh:node", Status.DEACTIVATED, display(shape) + " is deactivated: every node conforms to it");
            return Optional.empty();
        }
        if (recursive(owner, "sh:node", shape) || (valueNodes != null && tooLong(owner, "sh:node", valueNodes))) {
            return Optional.empty();
        }
        String name = display(shape);
        expanding.push(shape);
        List<ConstraintExpr> parts;
        try {
            parts = valueNodes == null ? readNodeContent(name, content(shape))
                    : nested(valueNodes, () -> readNodeContent(name, content(shape)));
        } finally {
            expanding.pop();
        }
        report(owner, "sh:node", Status.COMPILED, "");
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        if (valueNodes == null) {
            return Optional.of(new Combination(Operation.NODE, parts, true, base));
        }
        return Optional.of(new Combination(Operation.NODE, parts, true, base.toBuilder().resultAtParent(true).build())
                .under(valueNodes));
    }

    /** Reports and refuses a shape that refers back to one being read: SHACL leaves recursive shapes undefined. */
    private boolean recursive(String owner, String component, Resource shape) {
        if (!expanding.contains(shape)) {
            return false;
        }
        List<String> cycle = new ArrayList<>();
        List<Resource> stack = new ArrayList<>(expanding);
        for (int i = stack.indexOf(shape); i >= 0; i--) {
            cycle.add(display(stack.get(i)));
        }
        cycle.add(display(shape));
        report(owner, component, Status.REJECTED, "recursive shape reference " + String.join(" -> ", cycle)
                + ": SHACL leaves the validation of recursive shapes undefined (SHACL 3.4.3), so it is not compiled");
        return true;
    }

    private static ConstraintExpr emptyConjunction(String owner) {
        return new Combination(Operation.AND, List.of(), false, ConstraintRow.of(owner));
    }

    private ConstraintExpr closed(String name, Map<IRI, List<Value>> content, ConstraintRow base) {
        StringBuilder allowed = new StringBuilder();
        for (Value ps : content.getOrDefault(SH_PROPERTY, List.of())) {
            if (ps instanceof Resource r) {
                for (Value path : objects(r, SH_PATH)) {
                    if (path instanceof IRI iri) {
                        allowed.append('<').append(iri.stringValue()).append('>');
                    }
                }
            }
        }
        for (Value ignored : content.getOrDefault(SH_IGNORED_PROPERTIES, List.of())) {
            for (Value iri : list(ignored)) {
                allowed.append('<').append(iri.stringValue()).append('>');
            }
        }
        return new Row(base.toBuilder().closedPaths(allowed.toString()).build());
    }

    /** The single path of a shape, or empty (reported) when it is missing, malformed or not walkable on the stream. */
    private Optional<ShaclPath> path(String owner, Resource shape, String component) {
        List<Value> paths = objects(shape, SH_PATH);
        if (paths.size() != 1) {
            report(owner + " / " + paths.stream().map(Value::toString).collect(Collectors.joining(",")), "sh:path",
                    Status.REJECTED, "a property shape needs exactly one sh:path, found " + paths.size());
            return Optional.empty();
        }
        ShaclPath path;
        try {
            path = ShaclPath.fromRdf(shapes, paths.get(0));
        } catch (MalformedRdfException e) {
            report(owner + " / " + paths.get(0), component, Status.REJECTED, e.getMessage());
            return Optional.empty();
        }
        if (uses(path, NgsiLdVocabulary.OBSERVED_AT)) {
            report(owner + " / " + FocusPath.display(path), component, Status.REJECTED, observedAtReason());
            return Optional.empty();
        }
        return Optional.of(path);
    }

    private static boolean uses(ShaclPath path, String predicate) {
        if (path instanceof ShaclPath.Predicate p) {
            return p.iri().equals(predicate);
        }
        if (path instanceof ShaclPath.Sequence s) {
            return s.paths().stream().anyMatch(x -> uses(x, predicate));
        }
        if (path instanceof ShaclPath.Alternative a) {
            return a.paths().stream().anyMatch(x -> uses(x, predicate));
        }
        if (path instanceof ShaclPath.Inverse i) {
            return uses(i.path(), predicate);
        }
        if (path instanceof ShaclPath.ZeroOrMore z) {
            return uses(z.path(), predicate);
        }
        if (path instanceof ShaclPath.OneOrMore o) {
            return uses(o.path(), predicate);
        }
        return uses(((ShaclPath.ZeroOrOne) path).path(), predicate);
    }

    /** An NGSI-LD attribute: a plain IRI path that is not one of the graph's own predicates. */
    private static boolean isAttribute(ShaclPath path) {
        return path instanceof ShaclPath.Predicate p && NgsiLdTerms.isAttributeName(p.iri());
    }

    private Optional<ConstraintExpr> readPropertyShape(String owner, Resource ps) {
        Optional<ShaclPath> path = path(owner, ps, "sh:path");
        if (path.isEmpty()) {
            return Optional.empty();
        }
        String name = owner + " / " + FocusPath.display(path.get());
        if (isDeactivated(ps)) {
            report(name, "sh:deactivated", Status.DEACTIVATED, "the property shape is deactivated; SHACL skips it");
            return Optional.empty();
        }
        propertyShapes.push(ps);
        try {
            if (isAttribute(path.get())) {
                return Optional.ofNullable(readAttribute(name, ((ShaclPath.Predicate) path.get()).iri(), content(ps)));
            }
            if (path.get() instanceof ShaclPath.Predicate p && VALUE_PATHS.contains(p.iri())) {
                return Optional.ofNullable(readValueShape(name, p.iri(), content(ps)));
            }
            return Optional.ofNullable(readPathShape(name, path.get(), content(ps)));
        } finally {
            propertyShapes.pop();
        }
    }

    /** An attribute shape: the shape content applies to the instances of attribute {@code path} of the focus node. */
    private ConstraintExpr readAttribute(String name, String path, Map<IRI, List<Value>> content) {
        ConstraintRow base = commonFields(name, content).toBuilder().propertyPath(path).build();
        Optional<ConstraintExpr> logical = logical(name, content, base, c -> readAttribute(name, path, c));
        if (logical != null) {
            return logical.orElse(null);
        }
        ShaclPath.Predicate attribute = new ShaclPath.Predicate(path);
        FocusPath.Segment attributeNodes = FocusPath.focus(attribute, path);
        ConstraintRow.Builder outer = base.toBuilder();
        ConstraintRow.Builder nodeRow = base.toBuilder();
        List<String> extraClasses = new ArrayList<>();
        boolean nodeChecks = false;
        List<ConstraintExpr> valueExprs = new ArrayList<>();
        List<ConstraintExpr> extra = new ArrayList<>();
        for (Map.Entry<IRI, List<Value>> e : content.entrySet()) {
            IRI p = e.getKey();
            String component = label(p);
            String local = p.getLocalName();
            if (!p.stringValue().startsWith(SH)) {
                continue; // not a SHACL term: an annotation
            }
            if (local.equals("nodeKind") && blankNodeKind(e.getValue().get(0))) {
                report(name, component, Status.IGNORED, "always satisfied: an NGSI-LD attribute is a blank node");
                continue;
            }
            if (VALUE_PARAMETERS.contains(local)) {
                nodeChecks |= valueParameter(name, p, e.getValue(), content, nodeRow, extraClasses, ValueNodes.ATTRIBUTES);
                continue;
            }
            for (Value v : e.getValue()) {
                switch (local) {
                    case "minCount", "maxCount" -> {
                        count(outer, local, v);
                        report(name, component, Status.COMPILED, "");
                    }
                    case "severity", "message" -> report(name, component, Status.COMPILED, "");
                    case "property" -> {
                        if (v instanceof Resource inner) {
                            readInner(name, attribute, path, inner).ifPresent(x -> {
                                if (x.focus().isRoot() && x.values() == null) {
                                    valueExprs.add(x);
                                } else {
                                    extra.add(x);
                                }
                            });
                        }
                    }
                    case "node" -> nodeReference(name, v, base, attributeNodes).ifPresent(extra::add);
                    case "uniqueLang" -> {
                        if (isTrue(v)) {
                            extra.add(new Row(base.toBuilder().uniqueLang(true).build()));
                        }
                        report(name, component, Status.COMPILED, "");
                    }
                    case "equals", "disjoint", "lessThan", "lessThanOrEquals" -> {
                        if (v instanceof IRI other) {
                            extra.add(new Row(base.toBuilder().pair(PairKind.of(local), other.stringValue()).build()));
                            report(name, component, Status.COMPILED, "");
                        } else {
                            report(name, component, Status.REJECTED, "the compared property must be an IRI");
                        }
                    }
                    case "qualifiedValueShape" -> qualified(name, attributeNodes, v, content, base).ifPresent(extra::add);
                    case "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint" -> {
                        // read together with sh:qualifiedValueShape
                    }
                    default -> {
                        if (!structural(p)) {
                            report(name, component, Status.REJECTED, "not supported on a property shape");
                        }
                    }
                }
            }
        }
        ConstraintRow counts = outer.build();
        List<ConstraintExpr> members = new ArrayList<>();
        for (ConstraintExpr valueExpr : valueExprs) {
            members.add(withOuter(valueExpr, counts));
        }
        if (members.isEmpty() && hasCounts(counts)) {
            members.add(new Row(counts));
        }
        members.addAll(extra);
        if (nodeChecks) {
            members.addAll(withClasses(nodeRow.valueKind(ValueKind.ATTRIBUTE).build(), extraClasses));
        }
        if (members.isEmpty()) {
            return null;
        }
        return members.size() == 1 ? members.get(0) : new Combination(Operation.AND, members, false, base);
    }

    /** Reads {@code sh:minCount} or {@code sh:maxCount} ({@code local}) into {@code row}. */
    private static void count(ConstraintRow.Builder row, String local, Value v) {
        if (local.equals("minCount")) {
            row.minCount(v.stringValue());
        } else {
            row.maxCount(v.stringValue());
        }
    }

    private static boolean hasCounts(ConstraintRow row) {
        return row.minCount() != null || row.maxCount() != null;
    }

    private static boolean blankNodeKind(Value kind) {
        return kind.equals(sh("BlankNode")) || kind.equals(sh("BlankNodeOrIRI")) || kind.equals(sh("BlankNodeOrLiteral"));
    }

    /**
     * A property shape whose path is not a plain NGSI-LD attribute (a sequence, inverse, alternative or repeated path,
     * or a predicate such as {@code rdf:type} or {@code ngsi-ld:unitCode}): its value nodes are the nodes the path
     * reaches. Counts, value constraints and nested value shapes apply as for an attribute shape; {@code sh:node},
     * qualified value shapes and logical constraints apply to each value node (SHACL §4.6-4.7).
     */
    private ConstraintExpr readPathShape(String name, ShaclPath path, Map<IRI, List<Value>> content) {
        String display = FocusPath.display(path);
        FocusPath values = FocusPath.ROOT.then(new FocusPath.Segment(path, display, false));
        if (tooLong(name, "sh:path", values)) {
            return null;
        }
        report(name, "sh:path", Status.COMPILED, "");
        FocusPath.Segment valueNodes = FocusPath.focus(path, display);
        ConstraintRow base = commonFields(name, content).toBuilder().propertyPath(display).build();
        ConstraintRow.Builder row = base.toBuilder().valueKind(ValueKind.PATH);
        ConstraintRow.Builder counts = row.copy();
        List<String> extraClasses = new ArrayList<>();
        boolean valueChecks = false;
        List<ConstraintExpr> members = new ArrayList<>();
        for (Map.Entry<IRI, List<Value>> e : content.entrySet()) {
            IRI p = e.getKey();
            String component = label(p);
            String local = p.getLocalName();
            if (!p.stringValue().startsWith(SH)) {
                continue;
            }
            if (VALUE_PARAMETERS.contains(local)) {
                valueChecks |= valueParameter(name, p, e.getValue(), content, row, extraClasses, ValueNodes.NODES);
                continue;
            }
            for (Value v : e.getValue()) {
                switch (local) {
                    case "minCount", "maxCount" -> {
                        count(counts, local, v);
                        report(name, component, Status.COMPILED, "");
                    }
                    case "severity", "message" -> report(name, component, Status.COMPILED, "");
                    case "uniqueLang" -> {
                        if (isTrue(v)) {
                            members.add(new Row(row.copy().uniqueLang(true).build(), FocusPath.ROOT, values));
                        }
                        report(name, component, Status.COMPILED, "");
                    }
                    case "property" -> {
                        if (v instanceof Resource inner && !tooLong(name, component, valueNodes)) {
                            // the reference's two-level idiom: a value shape takes the property shape's severity
                            boolean valueShape = objects(inner, SH_PATH).stream()
                                    .anyMatch(x -> VALUE_PATHS.contains(x.stringValue()));
                            nested(valueNodes, () -> readPropertyShape(name, inner)).ifPresent(x -> members.add(
                                    (valueShape ? withOuter(x, inherited(base)) : x).under(valueNodes)));
                        }
                    }
                    case "node" -> nodeReference(name, v, base, valueNodes).ifPresent(members::add);
                    case "or", "and", "xone", "not" -> perValueNode(name, local, v, base, valueNodes)
                            .ifPresent(members::add);
                    case "qualifiedValueShape" -> qualified(name, valueNodes, v, content, base).ifPresent(members::add);
                    case "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint" -> {
                        // read together with sh:qualifiedValueShape
                    }
                    case "equals", "disjoint", "lessThan", "lessThanOrEquals" -> report(name, component,
                            Status.REJECTED, "compares attribute values of one focus node; the property shape's path"
                                    + " must be an NGSI-LD attribute");
                    default -> {
                        if (!structural(p)) {
                            report(name, component, Status.REJECTED, "not supported on a property shape");
                        }
                    }
                }
            }
        }
        if (hasCounts(counts.build())) {
            members.add(0, new Row(counts.build(), FocusPath.ROOT, values));
        }
        if (valueChecks) {
            for (ConstraintExpr r : withClasses(row.build(), extraClasses)) {
                members.add(new Row(r.fields(), FocusPath.ROOT, values));
            }
        }
        if (members.isEmpty()) {
            return null;
        }
        return members.size() == 1 ? members.get(0) : new Combination(Operation.AND, members, false, base);
    }

    /**
     * sh:or / sh:and / sh:xone / sh:not of a property shape with a path: each value node must conform, so the
     * combination is evaluated at the value node and its result belongs to the focus node.
     */
    private Optional<ConstraintExpr> perValueNode(String name, String local, Value value, ConstraintRow base,
            FocusPath.Segment valueNodes) {
        if (tooLong(name, "sh:" + local, valueNodes)) {
            return Optional.empty();
        }
        Operation op = switch (local) {
            case "or" -> Operation.OR;
            case "and" -> Operation.AND;
            case "xone" -> Operation.XONE;
            default -> Operation.NOT;
        };
        List<ConstraintExpr> parts = nested(valueNodes, () -> {
            List<ConstraintExpr> read = new ArrayList<>();
            for (Value member : op == Operation.NOT ? List.of(value) : list(value)) {
                read.add(readNodeMember(name, member));
            }
            return read;
        });
        ConstraintRow fields = base.toBuilder().propertyPath(null).resultAtParent(true).build();
        report(name, "sh:" + local, Status.COMPILED, "");
        return Optional.of(new Combination(op, parts, true, fields).under(valueNodes));
    }

    /**
     * A value shape ({@code sh:path ngsi-ld:hasValue}, ...) evaluated at its own focus node, an attribute node (the
     * value nodes of a qualified value shape, of a {@code sh:node}, of a path): the checks of the reference's value
     * rows on the value of that attribute.
     */
    private ConstraintExpr readValueShape(String name, String valuePath, Map<IRI, List<Value>> content) {
        ConstraintExpr expr = readValue(name, null, valuePath, valuePath, content);
        return expr == null ? null : ofFocusAttribute(expr, valuePath);
    }

    /** Value rows of the reference's reading turned into rows on the value of the focus node (an attribute node). */
    private static ConstraintExpr ofFocusAttribute(ConstraintExpr expr, String valuePath) {
        if (expr instanceof Row row) {
            if (!row.focus().isRoot() || row.values() != null) {
                return row;
            }
            ConstraintRow f = row.fields().toBuilder().valueKind(ValueKind.VALUE)
                    .propertyPath(Objects.requireNonNullElse(row.fields().propertyPath(), valuePath)).build();
            return new Row(f, row.focus(), null);
        }
        Combination c = (Combination) expr;
        if (!classic(c)) {
            return c;
        }
        ConstraintRow f = c.fields().toBuilder()
                .propertyPath(Objects.requireNonNullElse(c.fields().propertyPath(), valuePath)).build();
        return new Combination(c.operation(), c.members().stream().map(m -> ofFocusAttribute(m, valuePath)).toList(),
                c.explicit(), f, c.focus(), c.values());
    }

    /** The severity and message a value shape inherits from its property shape. */
    private static ConstraintRow inherited(ConstraintRow base) {
        return new ConstraintRow.Builder().severity(base.severity()).message(base.message()).build();
    }

    /** A combination of the reference's reading: OR/AND/NOT/XONE over rows of the same focus node. */
    private static boolean classic(Combination c) {
        return c.focus().isRoot() && c.values() == null && c.operation() != Operation.NODE
                && c.operation() != Operation.QUALIFIED;
    }

    /**
     * sh:qualifiedValueShape with sh:qualifiedMinCount / sh:qualifiedMaxCount: counts the value nodes that conform to
     * the qualified shape (evaluated at each value node) and, with sh:qualifiedValueShapesDisjoint, to none of the
     * sibling qualified shapes.
     */
    private Optional<ConstraintExpr> qualified(String name, FocusPath.Segment valueNodes, Value shape,
            Map<IRI, List<Value>> content, ConstraintRow base) {
        String component = "sh:qualifiedValueShape";
        if (!(shape instanceof Resource q)) {
            report(name, component, Status.REJECTED, "the qualified value shape must be a shape");
            return Optional.empty();
        }
        ConstraintRow fields = base.toBuilder()
                .qualifiedMinCount(first(content, SH_QUALIFIED_MIN_COUNT))
                .qualifiedMaxCount(first(content, SH_QUALIFIED_MAX_COUNT)).build();
        if (fields.qualifiedMinCount() == null && fields.qualifiedMaxCount() == null) {
            report(name, component, Status.IGNORED, "neither sh:qualifiedMinCount nor sh:qualifiedMaxCount is given");
            return Optional.empty();
        }
        if (tooLong(name, component, valueNodes)) {
            return Optional.empty();
        }
        boolean disjoint = content.getOrDefault(SH_QUALIFIED_DISJOINT, List.of()).stream().anyMatch(ShapeReader::isTrue);
        List<Resource> siblings = disjoint ? siblingQualifiedShapes(q) : List.of();
        List<ConstraintExpr> members = nested(valueNodes, () -> {
            List<ConstraintExpr> read = new ArrayList<>();
            // a value node counts when no member fails: the qualified shape's constraints hold, and (disjoint) every
            // sibling shape fails, i.e. NOT(sibling) does not fail
            read.add(readNodeMember(name, q));
            for (Resource sibling : siblings) {
                read.add(new Combination(Operation.NOT, List.of(readNodeMember(name, sibling)), true,
                        ConstraintRow.of(name)));
            }
            return read;
        });
        report(name, component, Status.COMPILED, "");
        if (disjoint) {
            report(name, "sh:qualifiedValueShapesDisjoint", Status.COMPILED, "");
        }
        return Optional.of(new Combination(Operation.QUALIFIED,
                members.stream().map(m -> m.under(valueNodes)).toList(), true, fields, FocusPath.ROOT,
                FocusPath.ROOT.then(valueNodes)));
    }

    /**
     * SHACL §4.7.3: the qualified value shapes of the sibling property shapes (the shapes reached from the parents of
     * the current property shape via sh:property/sh:qualifiedValueShape), except {@code q} itself.
     */
    private List<Resource> siblingQualifiedShapes(Resource q) {
        Set<Resource> result = new LinkedHashSet<>();
        Resource current = propertyShapes.peek();
        if (current == null) {
            return List.of();
        }
        for (Resource parent : shapes.filter(null, SH_PROPERTY, current).subjects()) {
            for (Value sibling : shapes.filter(parent, SH_PROPERTY, null).objects()) {
                if (sibling instanceof Resource s) {
                    for (Value other : shapes.filter(s, SH_QUALIFIED_VALUE_SHAPE, null).objects()) {
                        if (other instanceof Resource o && !o.equals(q)) {
                            result.add(o);
                        }
                    }
                }
            }
        }
        return new ArrayList<>(result);
    }

    /**
     * A nested shape of an attribute shape: a value shape
     * ({@code ngsi-ld:hasValue} / {@code hasObject} / {@code hasValueList} / {@code hasJSON}), the reference's
     * {@code rdf:type} sibling, or a property shape of the attribute nodes (a sub-attribute, {@code ngsi-ld:unitCode},
     * ...). Value shapes come back relative to the enclosing focus node, the others under the attribute's segment.
     */
    private Optional<ConstraintExpr> readInner(String owner, ShaclPath.Predicate attribute, String attributeDisplay,
            Resource inner) {
        Optional<ShaclPath> parsed = path(owner, inner, "sh:property");
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        ShaclPath path = parsed.get();
        String name = owner + " / " + FocusPath.display(path);
        if (isDeactivated(inner)) {
            report(name, "sh:deactivated", Status.DEACTIVATED, "the nested shape is deactivated; SHACL skips it");
            return Optional.empty();
        }
        if (path instanceof ShaclPath.Predicate p && p.iri().equals(RDF.TYPE.stringValue())) {
            report(name, "sh:property", Status.IGNORED, "the attribute's rdf:type is not checked on its own (as in the "
                    + "reference): the NodeKind check compares the NGSI-LD attribute type with the value shape");
            return Optional.empty();
        }
        if (path instanceof ShaclPath.Predicate p && VALUE_PATHS.contains(p.iri())) {
            return Optional.ofNullable(readValue(name, attribute, attributeDisplay, p.iri(), content(inner)));
        }
        FocusPath.Segment attributeNodes = FocusPath.focus(attribute, attributeDisplay);
        if (tooLong(name, "sh:property", attributeNodes)) {
            return Optional.empty();
        }
        Optional<ConstraintExpr> nestedShape = nested(attributeNodes, () -> readPropertyShape(owner, inner));
        return nestedShape.map(x -> x.under(attributeNodes));
    }

    /**
     * A value shape: constraints on the value (hasValue), object (hasObject), list or JSON of an attribute.
     *
     * @param attribute the path from the focus node to the attribute, null when the focus node is the attribute node
     */
    private ConstraintExpr readValue(String name, ShaclPath attribute, String attributeDisplay, String valuePath,
            Map<IRI, List<Value>> content) {
        ConstraintRow base = commonFields(name, content);
        Optional<ConstraintExpr> logical = logical(name, content, base,
                c -> readValue(name, attribute, attributeDisplay, valuePath, c));
        if (logical != null) {
            return logical.orElse(null);
        }
        ConstraintRow.Builder row = base.toBuilder();
        boolean valueOrObject = valuePath.equals(NgsiLdVocabulary.HAS_VALUE)
                || valuePath.equals(NgsiLdVocabulary.HAS_OBJECT);
        switch (valuePath) {
            case NgsiLdVocabulary.HAS_OBJECT -> row.attributeType(NgsiLdVocabulary.RELATIONSHIP);
            case NgsiLdVocabulary.HAS_VALUE_LIST ->
                    row.attributeType(NgsiLdVocabulary.LIST_PROPERTY).propertyNodetype("@list");
            case NgsiLdVocabulary.HAS_JSON ->
                    row.attributeType(NgsiLdVocabulary.JSON_PROPERTY).propertyNodetype("@json");
            default -> row.attributeType(NgsiLdVocabulary.PROPERTY);
        }
        ShaclPath toValue = new ShaclPath.Predicate(valuePath);
        FocusPath.Segment valueNodes = FocusPath.focus(attribute == null ? toValue
                : new ShaclPath.Sequence(List.of(attribute, toValue)), attributeDisplay);
        List<String> extraClasses = new ArrayList<>();
        List<ConstraintExpr> extra = new ArrayList<>();
        for (Map.Entry<IRI, List<Value>> e : content.entrySet()) {
            IRI p = e.getKey();
            String component = label(p);
            if (!p.stringValue().startsWith(SH)) {
                continue;
            }
            String local = p.getLocalName();
            List<Value> values = e.getValue();
            if (VALUE_PARAMETERS.contains(local)) {
                valueParameter(name, p, values, content, row, extraClasses,
                        valueOrObject ? ValueNodes.VALUES : ValueNodes.LIST_OR_JSON);
                continue;
            }
            if (values.size() > 1 && !local.equals("property") && !local.equals("node")) {
                report(name, component, Status.REJECTED, "several values for one parameter; only the first is compiled");
            }
            switch (local) {
                case "minCount", "maxCount" -> report(name, component, Status.IGNORED,
                        "an NGSI-LD attribute instance carries exactly one value");
                case "uniqueLang" -> report(name, component, Status.IGNORED,
                        "an NGSI-LD attribute instance carries one value; put sh:uniqueLang on the attribute shape");
                case "severity", "message" -> report(name, component, Status.COMPILED, "");
                case "node" -> values.forEach(v -> nodeReference(name, v, base, valueNodes).ifPresent(extra::add));
                case "property" -> {
                    if (tooLong(name, component, valueNodes)) {
                        continue;
                    }
                    for (Value v : values) {
                        if (v instanceof Resource inner) {
                            nested(valueNodes, () -> readPropertyShape(name, inner))
                                    .ifPresent(x -> extra.add(x.under(valueNodes)));
                        }
                    }
                }
                default -> {
                    if (!structural(p)) {
                        report(name, component, Status.REJECTED, "not supported in a nested value shape");
                    }
                }
            }
        }
        List<ConstraintExpr> members = new ArrayList<>(withClasses(row.build(), extraClasses));
        members.addAll(extra);
        return members.size() == 1 ? members.get(0) : new Combination(Operation.AND, members, false, base);
    }

    /** Which nodes a value parameter constrains: decides how sh:nodeKind reads and what the report says. */
    private enum ValueNodes {
        /** values of {@code ngsi-ld:hasValue} / {@code hasObject}: IRIs or literals */
        VALUES,
        /** values of {@code ngsi-ld:hasValueList} / {@code hasJSON} */
        LIST_OR_JSON,
        /** NGSI-LD attribute nodes (blank nodes) */
        ATTRIBUTES,
        /** any node: an entity, an attribute node, a value */
        NODES
    }

    /**
     * Reads a value-type, value-range, string-based, {@code sh:in} or {@code sh:hasValue} parameter into {@code row}.
     * Returns whether a check was compiled. Further {@code sh:class} values go to {@code extraClasses} (each becomes a
     * row of its own: SHACL requires every class).
     */
    private boolean valueParameter(String name, IRI p, List<Value> values, Map<IRI, List<Value>> content,
            ConstraintRow.Builder row, List<String> extraClasses, ValueNodes nodes) {
        String component = label(p);
        String local = p.getLocalName();
        Value v = values.get(0);
        if (values.size() > 1 && !local.equals("class")) {
            report(name, component, Status.REJECTED, "several values for one parameter; only the first is compiled");
        }
        String note = nodes == ValueNodes.ATTRIBUTES && !local.equals("class") ? ATTRIBUTE_NODES : "";
        switch (local) {
            case "nodeKind" -> {
                if (nodes == ValueNodes.LIST_OR_JSON) {
                    report(name, component, Status.IGNORED, "an ngsi-ld:hasValueList or ngsi-ld:hasJSON value always"
                            + " has the node kind of its attribute type (checked as NodeKind)");
                    return false;
                }
                String kinds = nodeKinds(v);
                if (kinds == null) {
                    report(name, component, Status.REJECTED, "not a SHACL node kind: " + v);
                    return false;
                }
                row.propertyNodetype(kinds);
                report(name, component, Status.COMPILED, nodes == ValueNodes.VALUES && kinds.equals("@bnode")
                        ? "an NGSI-LD attribute value is never a blank node, so every value violates it" : note);
                return true;
            }
            case "class" -> {
                row.propertyClass(v.stringValue());
                values.stream().skip(1).forEach(c -> extraClasses.add(c.stringValue()));
                report(name, component, Status.COMPILED, nodes == ValueNodes.ATTRIBUTES
                        ? "the attribute node's rdf:type (ngsi-ld:Property, ngsi-ld:Relationship, ...)" : "");
                return true;
            }
            case "datatype" -> row.datatypes(v.stringValue());
            case "minInclusive" -> row.minInclusive(v.stringValue());
            case "maxInclusive" -> row.maxInclusive(v.stringValue());
            case "minExclusive" -> row.minExclusive(v.stringValue());
            case "maxExclusive" -> row.maxExclusive(v.stringValue());
            case "minLength" -> row.minLength(v.stringValue());
            case "maxLength" -> row.maxLength(v.stringValue());
            case "hasValue" -> row.hasValue(v.stringValue());
            case "pattern" -> {
                Optional<String> regex = pattern(name, v, content);
                regex.ifPresent(row::pattern);
                return regex.isPresent();
            }
            case "flags" -> {
                // read with sh:pattern
                return false;
            }
            case "in" -> row.ins(encodeIn(list(v)));
            case "languageIn" -> row.languagePattern(languagePattern(list(v)));
            default -> throw new IllegalArgumentException("not a value parameter: " + local);
        }
        report(name, component, Status.COMPILED, note);
        return true;
    }

    /** The row, plus one row per further sh:class (only the class check and the identifying fields). */
    private static List<ConstraintExpr> withClasses(ConstraintRow row, List<String> extraClasses) {
        List<ConstraintExpr> rows = new ArrayList<>();
        rows.add(new Row(row));
        for (String cls : extraClasses) {
            rows.add(new Row(new ConstraintRow.Builder().shape(row.shape()).severity(row.severity())
                    .message(row.message()).propertyPath(row.propertyPath()).attributeType(row.attributeType())
                    .valueKind(row.valueKind()).propertyClass(cls).build()));
        }
        return rows;
    }

    /** Reads with {@code segment} appended to the path from the target node (for the path bounds). */
    private <T> T nested(FocusPath.Segment segment, java.util.function.Supplier<T> read) {
        outer.add(segment);
        try {
            return read.get();
        } finally {
            outer.remove(outer.size() - 1);
        }
    }

    /** Reports and refuses a path that, seen from the target node, cannot be unrolled within the bounds. */
    private boolean tooLong(String name, String component, FocusPath.Segment next) {
        return tooLong(name, component, FocusPath.ROOT.then(next));
    }

    private boolean tooLong(String name, String component, FocusPath relative) {
        List<FocusPath.Segment> all = new ArrayList<>(outer);
        all.addAll(relative.segments());
        Optional<String> problem = new FocusPath(all).problem();
        problem.ifPresent(p -> report(name, component, Status.REJECTED, p));
        return problem.isPresent();
    }

    /**
     * Handles sh:or / sh:xone / sh:and / sh:not of an attribute or value shape. Returns {@code null} when the content
     * has none, else the combination (empty when nothing is left to check).
     */
    private Optional<ConstraintExpr> logical(String name, Map<IRI, List<Value>> content, ConstraintRow base,
            java.util.function.Function<Map<IRI, List<Value>>, ConstraintExpr> reader) {
        if (content.containsKey(SH_OR)) {
            // the reference's normalization: the shape's other constraints are copied into every branch
            Value orList = content.get(SH_OR).get(0);
            Map<IRI, List<Value>> rest = without(content, SH_OR, orList);
            List<ConstraintExpr> branches = new ArrayList<>();
            for (Value branch : list(orList)) {
                ConstraintExpr expr = branch instanceof Resource r ? reader.apply(merge(content(r), rest)) : null;
                if (expr != null) {
                    branches.add(expr);
                }
            }
            report(name, "sh:or", Status.COMPILED, "");
            return Optional.ofNullable(branches.isEmpty() ? null : combine(Operation.OR, branches, true, base));
        }
        for (IRI p : List.of(SH_XONE, SH_AND, SH_NOT)) {
            if (!content.containsKey(p)) {
                continue;
            }
            Value value = content.get(p).get(0);
            Map<IRI, List<Value>> rest = without(content, p, value);
            Map<IRI, List<Value>> inherited = new LinkedHashMap<>();
            for (IRI keep : List.of(SH_SEVERITY, SH_MESSAGE)) {
                if (rest.containsKey(keep)) {
                    inherited.put(keep, rest.get(keep));
                }
            }
            List<ConstraintExpr> members = new ArrayList<>();
            for (Value member : p.equals(SH_NOT) ? List.of(value) : list(value)) {
                ConstraintExpr expr = member instanceof Resource r ? reader.apply(merge(content(r), inherited)) : null;
                members.add(expr == null ? emptyConjunction(name) : expr);
            }
            Operation op = p.equals(SH_XONE) ? Operation.XONE : p.equals(SH_AND) ? Operation.AND : Operation.NOT;
            ConstraintExpr combination = new Combination(op, members, true, base);
            report(name, label(p), Status.COMPILED, "");
            ConstraintExpr restExpr = hasConstraints(rest) ? reader.apply(rest) : null;
            if (restExpr == null) {
                return Optional.of(combination);
            }
            return Optional.of(new Combination(Operation.AND, List.of(restExpr, combination), false, base));
        }
        return null;
    }

    private static boolean hasConstraints(Map<IRI, List<Value>> content) {
        return content.keySet().stream().anyMatch(p -> p.stringValue().startsWith(SH) && !structural(p));
    }

    /** Builds a combination, flattening nested ones of the same operation and merging datatype-only OR branches. */
    static ConstraintExpr combine(Operation op, List<ConstraintExpr> members, boolean explicit, ConstraintRow fields) {
        List<ConstraintExpr> flat = new ArrayList<>();
        for (ConstraintExpr m : members) {
            if (op == Operation.OR && m instanceof Combination c && c.operation() == Operation.OR) {
                flat.addAll(c.members());
            } else {
                flat.add(m);
            }
        }
        if (op == Operation.OR) {
            flat = mergeDatatypeBranches(flat);
            if (flat.size() == 1) {
                return flat.get(0);
            }
        }
        return new Combination(op, flat, explicit, fields);
    }

    /**
     * OR branches that differ only in sh:datatype become one row listing every datatype (the reference's GROUP BY).
     * Only rows read at the target node by attribute name merge: a row that reaches its nodes by a focus or value path
     * keeps its own branch, since the merged row is rebuilt without the path and would check nodes it never reaches.
     */
    private static List<ConstraintExpr> mergeDatatypeBranches(List<ConstraintExpr> branches) {
        List<ConstraintExpr> result = new ArrayList<>();
        Map<ConstraintRow, Integer> positions = new HashMap<>();
        for (ConstraintExpr branch : branches) {
            if (branch instanceof Row row && row.fields().datatypes() != null && row.focus().isRoot()
                    && row.values() == null) {
                ConstraintRow key = row.fields().toBuilder().datatypes(null).build();
                Integer at = positions.get(key);
                if (at != null) {
                    ConstraintRow merged = result.get(at).fields();
                    result.set(at, new Row(merged.toBuilder()
                            .datatypes(merged.datatypes() + "," + row.fields().datatypes()).build()));
                    continue;
                }
                positions.put(key, result.size());
            }
            result.add(branch);
        }
        return result;
    }

    /**
     * Adds the attribute shape's fields (path, counts, severity, message) to every row of a value expression. Nested
     * shapes (sh:node, qualified value shapes, shapes of the value nodes) keep their own rows; a combination evaluated
     * elsewhere only takes the fields for its own row.
     */
    private static ConstraintExpr withOuter(ConstraintExpr expr, ConstraintRow outer) {
        if (expr instanceof Row row) {
            if (!row.focus().isRoot() || row.values() != null) {
                return row;
            }
            return new Row(row.fields().inheriting(outer), row.focus(), row.values());
        }
        Combination c = (Combination) expr;
        ConstraintRow f = c.fields().inheriting(outer.toBuilder().minCount(null).maxCount(null).build());
        List<ConstraintExpr> members = classic(c) ? c.members().stream().map(m -> withOuter(m, outer)).toList()
                : c.members();
        return new Combination(c.operation(), members, c.explicit(), f, c.focus(), c.values());
    }

    private Optional<String> pattern(String name, Value pattern, Map<IRI, List<Value>> content) {
        String flags = content.getOrDefault(SH_FLAGS, List.of()).stream().findFirst().map(Value::stringValue).orElse("");
        StringBuilder inline = new StringBuilder();
        for (char c : flags.toCharArray()) {
            if ("imsx".indexOf(c) >= 0) {
                inline.append(c);
            } else if (c != 'q') {
                report(name, "sh:flags", Status.REJECTED, "unsupported regular-expression flag '" + c + "'");
                return Optional.empty();
            }
        }
        String body = flags.indexOf('q') >= 0 ? Pattern.quote(pattern.stringValue()) : pattern.stringValue();
        String regex = inline.isEmpty() ? body : "(?" + inline + ")" + body;
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            report(name, "sh:pattern", Status.REJECTED, "invalid regular expression: " + e.getDescription());
            return Optional.empty();
        }
        report(name, "sh:pattern", Status.COMPILED, "");
        if (!flags.isEmpty()) {
            report(name, "sh:flags", Status.COMPILED, "");
        }
        return Optional.of(regex);
    }

    /**
     * The {@code ins} column: members as {@code "m1","m2"} with {@code \} and {@code "} backslash-escaped, so that any
     * member (quotes and commas included) is matched exactly by a substring search.
     */
    static String encodeIn(List<Value> members) {
        return members.stream().map(m -> "\"" + escapeInMember(m.stringValue()) + "\"").collect(Collectors.joining(","));
    }

    static String escapeInMember(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** sh:languageIn as a case-insensitive regular expression over the value's language tag (RFC 4647 basic filtering). */
    static String languagePattern(List<Value> ranges) {
        List<String> alternatives = new ArrayList<>();
        for (Value r : ranges) {
            String range = r.stringValue();
            alternatives.add(range.equals("*") ? "[^-]+" : Pattern.quote(range));
        }
        return "^(?i)(?:" + String.join("|", alternatives) + ")(?:-.*)?$";
    }

    /** sh:nodeKind as the node types of a value row: {@code @id} IRI, {@code @value} literal, {@code @bnode} blank node. */
    private static String nodeKinds(Value kind) {
        Map<Value, String> kinds = Map.of(sh("IRI"), "@id", sh("Literal"), "@value", sh("BlankNode"), "@bnode",
                sh("BlankNodeOrIRI"), "@id,@bnode", sh("BlankNodeOrLiteral"), "@value,@bnode", sh("IRIOrLiteral"),
                "@id,@value");
        return kinds.get(kind);
    }

    /** Severity label and message shared by every row read from a shape. */
    private ConstraintRow commonFields(String name, Map<IRI, List<Value>> content) {
        List<Value> severity = content.getOrDefault(SH_SEVERITY, List.of());
        return new ConstraintRow.Builder().shape(name)
                .severity(severity.isEmpty() ? null : SeverityLabel.of(severity.get(0), labels, shapes))
                .message(first(content, SH_MESSAGE)).build();
    }

    /** The lexical form of the first value of {@code p}, or null. */
    private static String first(Map<IRI, List<Value>> content, IRI p) {
        return content.getOrDefault(p, List.of()).stream().findFirst().map(Value::stringValue).orElse(null);
    }

    private static boolean structural(IRI p) {
        String local = p.getLocalName();
        return NON_VALIDATING.contains(p) || p.equals(SH_PATH) || p.equals(SH_SEVERITY) || p.equals(SH_MESSAGE)
                || p.equals(SH_DEACTIVATED) || p.equals(SH_IGNORED_PROPERTIES)
                || (p.stringValue().startsWith(SH) && local.startsWith("target"));
    }

    private boolean isDeactivated(Resource r) {
        return objects(r, SH_DEACTIVATED).stream().anyMatch(ShapeReader::isTrue);
    }

    private static boolean isTrue(Value v) {
        return v instanceof Literal l && "true".equalsIgnoreCase(l.getLabel());
    }

    private List<Value> objects(Resource s, IRI p) {
        return new ArrayList<>(shapes.filter(s, p, null).objects());
    }

    /** The predicates of a shape node in graph order (sh:path excluded). */
    private Map<IRI, List<Value>> content(Resource node) {
        Map<IRI, List<Value>> c = new LinkedHashMap<>();
        for (Statement st : shapes.filter(node, null, null)) {
            if (!st.getPredicate().equals(SH_PATH)) {
                c.computeIfAbsent(st.getPredicate(), k -> new ArrayList<>()).add(st.getObject());
            }
        }
        return c;
    }

    private static Map<IRI, List<Value>> without(Map<IRI, List<Value>> content, IRI p, Value value) {
        Map<IRI, List<Value>> c = new LinkedHashMap<>();
        content.forEach((k, vs) -> {
            List<Value> kept = k.equals(p) ? vs.stream().filter(x -> !x.equals(value)).toList() : vs;
            if (!kept.isEmpty()) {
                c.put(k, new ArrayList<>(kept));
            }
        });
        return c;
    }

    /** Branch content first (it is the more specific), then the copied constraints of the enclosing shape. */
    private static Map<IRI, List<Value>> merge(Map<IRI, List<Value>> first, Map<IRI, List<Value>> second) {
        Map<IRI, List<Value>> c = new LinkedHashMap<>();
        first.forEach((k, vs) -> c.put(k, new ArrayList<>(vs)));
        second.forEach((k, vs) -> {
            List<Value> target = c.computeIfAbsent(k, x -> new ArrayList<>());
            for (Value v : vs) {
                if (!target.contains(v)) {
                    target.add(v);
                }
            }
        });
        return c;
    }

    /** Members of an RDF list (empty for rdf:nil or a malformed list). */
    private List<Value> list(Value head) {
        List<Value> members = new ArrayList<>();
        Set<Value> seen = new HashSet<>();
        Value node = head;
        while (node instanceof Resource r && !node.equals(RDF.NIL) && seen.add(node)) {
            objects(r, RDF.FIRST).stream().findFirst().ifPresent(members::add);
            node = objects(r, RDF.REST).stream().findFirst().orElse(null);
        }
        return members;
    }

    private void report(String shape, String component, Status status, String reason) {
        coverage.add(new CoverageReport.Entry(shape, component, status, reason));
    }

    private static String display(Resource r) {
        return r instanceof BNode b ? "_:" + b.getID() : r.stringValue();
    }

    private static String label(IRI p) {
        return p.stringValue().startsWith(SH) ? "sh:" + p.getLocalName() : "<" + p.stringValue() + ">";
    }
}
