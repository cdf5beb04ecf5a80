package io.flinkjobrunner.compiler;

import static io.flinkjobrunner.compiler.ConstraintColumns.ATTRIBUTE_TYPE;
import static io.flinkjobrunner.compiler.ConstraintColumns.CLOSED_PATHS;
import static io.flinkjobrunner.compiler.ConstraintColumns.DATATYPES;
import static io.flinkjobrunner.compiler.ConstraintColumns.HAS_VALUE;
import static io.flinkjobrunner.compiler.ConstraintColumns.INS;
import static io.flinkjobrunner.compiler.ConstraintColumns.LANGUAGE_PATTERN;
import static io.flinkjobrunner.compiler.ConstraintColumns.MAX_COUNT;
import static io.flinkjobrunner.compiler.ConstraintColumns.MAX_EXCLUSIVE;
import static io.flinkjobrunner.compiler.ConstraintColumns.MAX_INCLUSIVE;
import static io.flinkjobrunner.compiler.ConstraintColumns.MAX_LENGTH;
import static io.flinkjobrunner.compiler.ConstraintColumns.MESSAGE;
import static io.flinkjobrunner.compiler.ConstraintColumns.MIN_COUNT;
import static io.flinkjobrunner.compiler.ConstraintColumns.MIN_EXCLUSIVE;
import static io.flinkjobrunner.compiler.ConstraintColumns.MIN_INCLUSIVE;
import static io.flinkjobrunner.compiler.ConstraintColumns.MIN_LENGTH;
import static io.flinkjobrunner.compiler.ConstraintColumns.PAIR_KIND;
import static io.flinkjobrunner.compiler.ConstraintColumns.PAIR_PATH;
import static io.flinkjobrunner.compiler.ConstraintColumns.PATTERN;
import static io.flinkjobrunner.compiler.ConstraintColumns.PROPERTY_CLASS;
import static io.flinkjobrunner.compiler.ConstraintColumns.PROPERTY_NODETYPE;
import static io.flinkjobrunner.compiler.ConstraintColumns.PROPERTY_PATH;
import static io.flinkjobrunner.compiler.ConstraintColumns.QUALIFIED_MAX_COUNT;
import static io.flinkjobrunner.compiler.ConstraintColumns.QUALIFIED_MIN_COUNT;
import static io.flinkjobrunner.compiler.ConstraintColumns.SEVERITY;
import static io.flinkjobrunner.compiler.ConstraintColumns.SHAPE;
import static io.flinkjobrunner.compiler.ConstraintColumns.UNIQUE_LANG;

import io.flinkjobrunner.compiler.ConstraintExpr.Combination;
import io.flinkjobrunner.compiler.ConstraintExpr.Operation;
import io.flinkjobrunner.compiler.ConstraintExpr.Row;
import io.flinkjobrunner.compiler.CoverageReport.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * {@code sh:qualifiedValueShape} become combinations; everything else is reported.
 */
final class ShapeReader {

    static final String SH = "http://www.w3.org/ns/shacl#";
    private static final ValueFactory VF = SimpleValueFactory.getInstance();
    private static final IRI SH_NODE_SHAPE = sh("NodeShape");
    private static final IRI SH_PATH = sh("path");
    private static final IRI SH_PROPERTY = sh("property");
    private static final IRI SH_TARGET_CLASS = sh("targetClass");
    private static final IRI SH_TARGET_NODE = sh("targetNode");
    private static final IRI SH_DEACTIVATED = sh("deactivated");
    private static final IRI SH_SEVERITY = sh("severity");
    private static final IRI SH_MESSAGE = sh("message");
    private static final IRI SH_OR = sh("or");
    private static final IRI SH_AND = sh("and");
    private static final IRI SH_XONE = sh("xone");
    private static final IRI SH_NOT = sh("not");
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

    private static final Set<String> VALUE_PATHS = Set.of(NgsiLdTerms.HAS_VALUE, NgsiLdTerms.HAS_OBJECT,
            NgsiLdTerms.HAS_VALUE_LIST, NgsiLdTerms.HAS_JSON);

    private final Model shapes;
    private final Model labels;
    private final Set<IRI> delegated;
    private final Set<CoverageReport.Entry> coverage = new LinkedHashSet<>();

    /**
     * A node shape with its targets and top-level constraints.
     *
     * @param name display name (IRI)
     * @param targetClasses {@code sh:targetClass} values plus the shape itself when it is a class (implicit target)
     * @param targetNodes {@code sh:targetNode} values (entity ids)
     * @param roots constraints; each is published on its own
     */
    record NodeShapeDef(String name, List<IRI> targetClasses, List<String> targetNodes, List<ConstraintExpr> roots) {
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
            boolean targeted = p.equals(SH_TARGET_CLASS) || p.equals(SH_TARGET_NODE) || p.equals(sh("targetSubjectsOf"))
                    || p.equals(sh("targetObjectsOf"));
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
            classes.add((IRI) node);
            report(name, "implicit class target", Status.COMPILED, "");
        }
        for (Value v : objects(node, SH_TARGET_NODE)) {
            nodes.add(v.stringValue());
            report(name, "sh:targetNode", Status.COMPILED, "");
        }
        for (String t : List.of("targetSubjectsOf", "targetObjectsOf")) {
            if (shapes.contains(node, sh(t), null)) {
                report(name, "sh:" + t, Status.REJECTED,
                        "NGSI-LD entities are targeted by type (sh:targetClass) or id (sh:targetNode)");
            }
        }
        if (classes.isEmpty() && nodes.isEmpty()) {
            if (!shapes.contains(null, null, node)) {
                report(name, "target", Status.IGNORED, "the shape has no target and no shape refers to it");
            }
            return Optional.empty();
        }
        List<ConstraintExpr> roots = readNodeContent(name, content(node));
        return Optional.of(new NodeShapeDef(name, classes, nodes, roots));
    }

    /** The constraints of a node shape (entity level), as an implicit conjunction. */
    private List<ConstraintExpr> readNodeContent(String name, Map<IRI, List<Value>> content) {
        Map<String, String> base = commonFields(name, content);
        List<ConstraintExpr> members = new ArrayList<>();
        for (Map.Entry<IRI, List<Value>> e : content.entrySet()) {
            IRI p = e.getKey();
            String component = label(p);
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
                } else if (structural(p) || delegated.contains(p) || !p.stringValue().startsWith(SH)) {
                    continue;
                } else {
                    report(name, component, Status.REJECTED, "not supported on a node shape (the NGSI-LD entity)");
                }
            }
        }
        return members;
    }

    /** A member of a node-level logical constraint: a property shape or a node shape applied to the entity. */
    private ConstraintExpr readNodeMember(String owner, Value member) {
        if (!(member instanceof Resource r)) {
            report(owner, "logical member", Status.REJECTED, "a member must be a shape, got " + member);
            return emptyConjunction(owner);
        }
        if (shapes.contains(r, SH_PATH, null)) {
            return readPropertyShape(owner, r).orElseGet(() -> emptyConjunction(owner));
        }
        String name = r instanceof IRI ? display(r) : owner;
        List<ConstraintExpr> parts = readNodeContent(name, content(r));
        return parts.size() == 1 ? parts.get(0) : new Combination(Operation.AND, parts, false, Map.of(SHAPE, name));
    }

    private static ConstraintExpr emptyConjunction(String owner) {
        return new Combination(Operation.AND, List.of(), false, Map.of(SHAPE, owner));
    }

    private ConstraintExpr closed(String name, Map<IRI, List<Value>> content, Map<String, String> base) {
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
        Map<String, String> fields = new HashMap<>(base);
        fields.put(CLOSED_PATHS, allowed.toString());
        return new Row(fields);
    }

    private Optional<ConstraintExpr> readPropertyShape(String owner, Resource ps) {
        List<Value> paths = objects(ps, SH_PATH);
        if (paths.size() != 1 || !(paths.get(0) instanceof IRI path)) {
            report(owner + " / " + paths.stream().map(Value::toString).collect(Collectors.joining(",")), "sh:path",
                    Status.REJECTED, "only a single predicate path (an NGSI-LD attribute) is supported");
            return Optional.empty();
        }
        String name = owner + " / " + path.stringValue();
        if (isDeactivated(ps)) {
            report(name, "sh:deactivated", Status.DEACTIVATED, "the property shape is deactivated; SHACL skips it");
            return Optional.empty();
        }
        return Optional.ofNullable(readAttribute(name, path.stringValue(), content(ps)));
    }

    /** An attribute shape: the shape content applies to the instances of attribute {@code path} of the entity. */
    private ConstraintExpr readAttribute(String name, String path, Map<IRI, List<Value>> content) {
        Map<String, String> base = commonFields(name, content);
        base.put(PROPERTY_PATH, path);
        Optional<ConstraintExpr> logical = logical(name, content, base, c -> readAttribute(name, path, c));
        if (logical != null) {
            return logical.orElse(null);
        }
        Map<String, String> outer = new HashMap<>(base);
        List<ConstraintExpr> valueExprs = new ArrayList<>();
        List<ConstraintExpr> extra = new ArrayList<>();
        for (Map.Entry<IRI, List<Value>> e : content.entrySet()) {
            IRI p = e.getKey();
            String component = label(p);
            String local = p.getLocalName();
            for (Value v : e.getValue()) {
                switch (p.stringValue().startsWith(SH) ? local : "") {
                    case "minCount", "maxCount" -> {
                        outer.put(local.equals("minCount") ? MIN_COUNT : MAX_COUNT, v.stringValue());
                        report(name, component, Status.COMPILED, "");
                    }
                    case "severity", "message" -> report(name, component, Status.COMPILED, "");
                    case "nodeKind" -> {
                        if (v.equals(sh("BlankNode")) || v.equals(sh("BlankNodeOrIRI"))
                                || v.equals(sh("BlankNodeOrLiteral"))) {
                            report(name, component, Status.IGNORED, "always satisfied: an NGSI-LD attribute is a blank node");
                        } else {
                            report(name, component, Status.REJECTED,
                                    "an NGSI-LD attribute is a blank node; put sh:nodeKind into the nested value shape");
                        }
                    }
                    case "property" -> {
                        if (v instanceof Resource inner) {
                            readInner(name, inner).ifPresent(valueExprs::add);
                        }
                    }
                    case "uniqueLang" -> {
                        if (isTrue(v)) {
                            Map<String, String> f = new HashMap<>(base);
                            f.put(UNIQUE_LANG, "true");
                            extra.add(new Row(f));
                        }
                        report(name, component, Status.COMPILED, "");
                    }
                    case "equals", "disjoint", "lessThan", "lessThanOrEquals" -> {
                        if (v instanceof IRI other) {
                            Map<String, String> f = new HashMap<>(base);
                            f.put(PAIR_KIND, local);
                            f.put(PAIR_PATH, other.stringValue());
                            extra.add(new Row(f));
                            report(name, component, Status.COMPILED, "");
                        } else {
                            report(name, component, Status.REJECTED, "the compared property must be an IRI");
                        }
                    }
                    case "qualifiedValueShape" -> qualified(name, path, v, content, base).ifPresent(extra::add);
                    case "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint" -> {
                        // read together with sh:qualifiedValueShape
                    }
                    case "" -> {
                        // not a SHACL term: an annotation
                    }
                    default -> {
                        if (!structural(p)) {
                            report(name, component, Status.REJECTED, "constrains the NGSI-LD attribute node itself; "
                                    + "put it into the nested ngsi-ld:hasValue / hasObject shape");
                        }
                    }
                }
            }
        }
        List<ConstraintExpr> members = new ArrayList<>();
        for (ConstraintExpr valueExpr : valueExprs) {
            members.add(withOuter(valueExpr, outer));
        }
        if (members.isEmpty() && (outer.containsKey(MIN_COUNT) || outer.containsKey(MAX_COUNT))) {
            members.add(new Row(outer));
        }
        members.addAll(extra);
        if (members.isEmpty()) {
            return null;
        }
        return members.size() == 1 ? members.get(0) : new Combination(Operation.AND, members, false, base);
    }

    private Optional<ConstraintExpr> qualified(String name, String path, Value shape, Map<IRI, List<Value>> content,
            Map<String, String> base) {
        String component = "sh:qualifiedValueShape";
        if (content.getOrDefault(SH_QUALIFIED_DISJOINT, List.of()).stream().anyMatch(ShapeReader::isTrue)) {
            report(name, "sh:qualifiedValueShapesDisjoint", Status.REJECTED, "sibling-disjoint qualified shapes are not supported");
            return Optional.empty();
        }
        if (!(shape instanceof Resource q)) {
            report(name, component, Status.REJECTED, "the qualified value shape must be a shape");
            return Optional.empty();
        }
        List<ConstraintExpr> members = new ArrayList<>();
        for (Map.Entry<IRI, List<Value>> e : content(q).entrySet()) {
            if (e.getKey().equals(SH_PROPERTY)) {
                for (Value inner : e.getValue()) {
                    if (inner instanceof Resource r) {
                        readInner(name, r).ifPresent(members::add);
                    }
                }
            } else if (!structural(e.getKey()) && e.getKey().stringValue().startsWith(SH)) {
                report(name, component, Status.REJECTED,
                        "a qualified value shape may only hold nested ngsi-ld:hasValue / hasObject shapes, found "
                                + label(e.getKey()));
                return Optional.empty();
            }
        }
        if (members.isEmpty() || !members.stream().allMatch(m -> m instanceof Row)) {
            report(name, component, Status.REJECTED,
                    "a qualified value shape must hold nested value shapes without logical constraints");
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>(base);
        fields.put(PROPERTY_PATH, path);
        content.getOrDefault(SH_QUALIFIED_MIN_COUNT, List.of()).stream().findFirst()
                .ifPresent(v -> fields.put(QUALIFIED_MIN_COUNT, v.stringValue()));
        content.getOrDefault(SH_QUALIFIED_MAX_COUNT, List.of()).stream().findFirst()
                .ifPresent(v -> fields.put(QUALIFIED_MAX_COUNT, v.stringValue()));
        if (!fields.containsKey(QUALIFIED_MIN_COUNT) && !fields.containsKey(QUALIFIED_MAX_COUNT)) {
            report(name, component, Status.IGNORED, "neither sh:qualifiedMinCount nor sh:qualifiedMaxCount is given");
            return Optional.empty();
        }
        report(name, component, Status.COMPILED, "");
        Map<String, String> outer = new HashMap<>(base);
        outer.put(PROPERTY_PATH, path);
        List<ConstraintExpr> rows = members.stream()
                .map(m -> (ConstraintExpr) new Row(strip(((Row) withOuter(m, outer)).fields()))).toList();
        return Optional.of(new Combination(Operation.QUALIFIED, rows, true, fields));
    }

    /** Qualified members are value checks only: no counts, no published severity of their own. */
    private static Map<String, String> strip(Map<String, String> fields) {
        Map<String, String> f = new HashMap<>(fields);
        f.remove(MIN_COUNT);
        f.remove(MAX_COUNT);
        return f;
    }

    /** A nested shape of an attribute shape: a value shape, the rdf:type sibling, or an (unsupported) sub-attribute. */
    private Optional<ConstraintExpr> readInner(String owner, Resource inner) {
        List<Value> paths = objects(inner, SH_PATH);
        if (paths.size() != 1 || !(paths.get(0) instanceof IRI path)) {
            report(owner, "sh:property", Status.REJECTED, "a nested shape needs a single predicate path");
            return Optional.empty();
        }
        String name = owner + " / " + path.stringValue();
        if (isDeactivated(inner)) {
            report(name, "sh:deactivated", Status.DEACTIVATED, "the nested shape is deactivated; SHACL skips it");
            return Optional.empty();
        }
        if (path.equals(RDF.TYPE)) {
            report(name, "sh:property", Status.IGNORED, "the attribute's rdf:type is not checked on its own (as in the "
                    + "reference): the NodeKind check compares the NGSI-LD attribute type with the value shape");
            return Optional.empty();
        }
        if (!VALUE_PATHS.contains(path.stringValue())) {
            report(name, "sh:property", Status.REJECTED,
                    "nested NGSI-LD sub-attribute shapes (properties of properties) are not compiled");
            return Optional.empty();
        }
        return Optional.ofNullable(readValue(name, path.stringValue(), content(inner)));
    }

    /** A value shape: constraints on the value (hasValue), object (hasObject), list or JSON of an attribute. */
    private ConstraintExpr readValue(String name, String valuePath, Map<IRI, List<Value>> content) {
        Map<String, String> base = commonFields(name, content);
        Optional<ConstraintExpr> logical = logical(name, content, base, c -> readValue(name, valuePath, c));
        if (logical != null) {
            return logical.orElse(null);
        }
        Map<String, String> row = new HashMap<>(base);
        boolean valueOrObject = valuePath.equals(NgsiLdTerms.HAS_VALUE) || valuePath.equals(NgsiLdTerms.HAS_OBJECT);
        switch (valuePath) {
            case NgsiLdTerms.HAS_OBJECT -> row.put(ATTRIBUTE_TYPE, NgsiLdTerms.RELATIONSHIP);
            case NgsiLdTerms.HAS_VALUE_LIST -> {
                row.put(ATTRIBUTE_TYPE, NgsiLdTerms.LIST_PROPERTY);
                row.put(PROPERTY_NODETYPE, "@list");
            }
            case NgsiLdTerms.HAS_JSON -> {
                row.put(ATTRIBUTE_TYPE, NgsiLdTerms.JSON_PROPERTY);
                row.put(PROPERTY_NODETYPE, "@json");
            }
            default -> row.put(ATTRIBUTE_TYPE, NgsiLdTerms.PROPERTY);
        }
        for (Map.Entry<IRI, List<Value>> e : content.entrySet()) {
            IRI p = e.getKey();
            String component = label(p);
            if (!p.stringValue().startsWith(SH)) {
                continue;
            }
            String local = p.getLocalName();
            List<Value> values = e.getValue();
            Value v = values.get(0);
            if (values.size() > 1 && !local.equals("class") && !local.equals("property")) {
                report(name, component, Status.REJECTED, "several values for one parameter; only the first is compiled");
            }
            switch (local) {
                case "nodeKind" -> {
                    if (!valueOrObject) {
                        report(name, component, Status.IGNORED, "a " + label(VF.createIRI(valuePath))
                                + " value always has the node kind of its attribute type (checked as NodeKind)");
                        continue;
                    }
                    String kinds = nodeKinds(v);
                    if (kinds == null) {
                        report(name, component, Status.REJECTED, "an NGSI-LD attribute value is an IRI or a literal, "
                                + "never a blank node: " + v);
                    } else {
                        row.put(PROPERTY_NODETYPE, kinds);
                        report(name, component, Status.COMPILED, "");
                    }
                }
                case "class" -> {
                    row.put(PROPERTY_CLASS, v.stringValue());
                    report(name, component, Status.COMPILED, "");
                    if (values.size() > 1) {
                        report(name, component, Status.REJECTED, "several sh:class values; only " + v + " is compiled");
                    }
                }
                case "datatype" -> {
                    row.put(DATATYPES, v.stringValue());
                    report(name, component, Status.COMPILED, "");
                }
                case "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "minLength", "maxLength",
                        "hasValue" -> {
                    row.put(Map.of("minInclusive", MIN_INCLUSIVE, "maxInclusive", MAX_INCLUSIVE, "minExclusive",
                            MIN_EXCLUSIVE, "maxExclusive", MAX_EXCLUSIVE, "minLength", MIN_LENGTH, "maxLength",
                            MAX_LENGTH, "hasValue", HAS_VALUE).get(local), v.stringValue());
                    report(name, component, Status.COMPILED, "");
                }
                case "pattern" -> pattern(name, v, content).ifPresent(rx -> row.put(PATTERN, rx));
                case "flags" -> {
                    // read with sh:pattern
                }
                case "in" -> {
                    row.put(INS, encodeIn(list(v)));
                    report(name, component, Status.COMPILED, "");
                }
                case "languageIn" -> {
                    row.put(LANGUAGE_PATTERN, languagePattern(list(v)));
                    report(name, component, Status.COMPILED, "");
                }
                case "minCount", "maxCount" -> report(name, component, Status.IGNORED,
                        "an NGSI-LD attribute instance carries exactly one value");
                case "uniqueLang" -> report(name, component, Status.IGNORED,
                        "an NGSI-LD attribute instance carries one value; put sh:uniqueLang on the attribute shape");
                case "severity", "message" -> report(name, component, Status.COMPILED, "");
                default -> {
                    if (!structural(p)) {
                        report(name, component, Status.REJECTED, "not supported in a nested value shape");
                    }
                }
            }
        }
        return new Row(row);
    }

    /**
     * Handles sh:or / sh:xone / sh:and / sh:not of an attribute or value shape. Returns {@code null} when the content
     * has none, else the combination (empty when nothing is left to check).
     */
    private Optional<ConstraintExpr> logical(String name, Map<IRI, List<Value>> content, Map<String, String> base,
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
    static ConstraintExpr combine(Operation op, List<ConstraintExpr> members, boolean explicit, Map<String, String> fields) {
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

    /** OR branches that differ only in sh:datatype become one row listing every datatype (the reference's GROUP BY). */
    private static List<ConstraintExpr> mergeDatatypeBranches(List<ConstraintExpr> branches) {
        List<ConstraintExpr> result = new ArrayList<>();
        Map<Map<String, String>, Integer> positions = new HashMap<>();
        for (ConstraintExpr branch : branches) {
            if (branch instanceof Row row && row.get(DATATYPES) != null) {
                Map<String, String> key = new HashMap<>(row.fields());
                key.remove(DATATYPES);
                Integer at = positions.get(key);
                if (at != null) {
                    Row merged = (Row) result.get(at);
                    Map<String, String> f = new HashMap<>(merged.fields());
                    f.put(DATATYPES, merged.get(DATATYPES) + "," + row.get(DATATYPES));
                    result.set(at, new Row(f));
                    continue;
                }
                positions.put(key, result.size());
            }
            result.add(branch);
        }
        return result;
    }

    /** Adds the attribute shape's fields (path, counts, severity, message) to every row of a value expression. */
    private static ConstraintExpr withOuter(ConstraintExpr expr, Map<String, String> outer) {
        if (expr instanceof Row row) {
            // the value shape's own severity, message and name are the more specific ones
            Map<String, String> f = new HashMap<>(outer);
            f.putAll(row.fields());
            return new Row(f);
        }
        Combination c = (Combination) expr;
        Map<String, String> f = new HashMap<>(outer);
        f.remove(MIN_COUNT);
        f.remove(MAX_COUNT);
        f.putAll(c.fields());
        return new Combination(c.operation(), c.members().stream().map(m -> withOuter(m, outer)).toList(),
                c.explicit(), f);
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

    private static String nodeKinds(Value kind) {
        if (kind.equals(sh("IRI")) || kind.equals(sh("BlankNodeOrIRI"))) {
            return "@id";
        }
        if (kind.equals(sh("Literal")) || kind.equals(sh("BlankNodeOrLiteral"))) {
            return "@value";
        }
        if (kind.equals(sh("IRIOrLiteral"))) {
            return "@id,@value";
        }
        return null;
    }

    /** Severity label and message shared by every row read from a shape. */
    private Map<String, String> commonFields(String name, Map<IRI, List<Value>> content) {
        Map<String, String> f = new HashMap<>();
        f.put(SHAPE, name);
        List<Value> severity = content.getOrDefault(SH_SEVERITY, List.of());
        if (!severity.isEmpty()) {
            f.put(SEVERITY, severityLabel(severity.get(0)));
        }
        content.getOrDefault(SH_MESSAGE, List.of()).stream().findFirst().ifPresent(m -> f.put(MESSAGE, m.stringValue()));
        return f;
    }

    /** The severity's rdfs:label (knowledge first, then shapes); the reference's default is {@code warning}. */
    private String severityLabel(Value severity) {
        if (severity instanceof Literal l) {
            return l.getLabel();
        }
        for (Model m : List.of(labels, shapes)) {
            for (Value label : m.filter((Resource) severity, RDFS.LABEL, null).objects()) {
                return label.stringValue();
            }
        }
        return "warning";
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
