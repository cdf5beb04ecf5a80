package io.flinkjobrunner.sparql;

import io.flinkjobrunner.compiler.SeverityLabel;
import io.flinkjobrunner.compiler.SqlLiterals;
import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import io.flinkjobrunner.udf.UdfClassNames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.flinkjobrunner.compiler.TableNames;

import org.eclipse.rdf4j.model.BNode;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.eclipse.rdf4j.query.MalformedQueryException;
import org.eclipse.rdf4j.query.algebra.BNodeGenerator;
import org.eclipse.rdf4j.query.algebra.Distinct;
import org.eclipse.rdf4j.query.algebra.Extension;
import org.eclipse.rdf4j.query.algebra.ExtensionElem;
import org.eclipse.rdf4j.query.algebra.MultiProjection;
import org.eclipse.rdf4j.query.algebra.Order;
import org.eclipse.rdf4j.query.algebra.Projection;
import org.eclipse.rdf4j.query.algebra.ProjectionElem;
import org.eclipse.rdf4j.query.algebra.ProjectionElemList;
import org.eclipse.rdf4j.query.algebra.QueryRoot;
import org.eclipse.rdf4j.query.algebra.Reduced;
import org.eclipse.rdf4j.query.algebra.Slice;
import org.eclipse.rdf4j.query.algebra.TupleExpr;
import org.eclipse.rdf4j.query.algebra.ValueConstant;
import org.eclipse.rdf4j.query.algebra.Var;
import org.eclipse.rdf4j.query.parser.ParsedGraphQuery;
import org.eclipse.rdf4j.query.parser.ParsedQuery;
import org.eclipse.rdf4j.query.parser.ParsedTupleQuery;
import org.eclipse.rdf4j.query.parser.sparql.SPARQLParser;

/**
 * Compiles the {@code sh:sparql} constraints ({@code sh:select}) and the SPARQL rules ({@code sh:rule} with
 * {@code sh:construct}) of a shapes graph into Flink SQL INSERT statements: constraints write one row per target
 * entity to {@code alerts_bulk} (severity {@code ok} when the query does not select it), rules write inferred
 * attributes to {@code attributes_insert}. Every shape ends up in the coverage list, compiled or rejected with the
 * reason; a rejected shape never produces a statement.
 */
public final class SparqlShapeCompiler {

    /** Event component of SPARQL constraint alerts. */
    public static final String CONSTRAINT_COMPONENT = "SPARQLConstraintComponent";
    /** Coverage component name of SPARQL rules. */
    public static final String RULE_COMPONENT = "SPARQLRule";

    /** Session settings the compiled statements rely on: epoch-millisecond conversions need UTC. */
    public static final Map<String, String> REQUIRED_SETTINGS = Map.of("table.local-time-zone", "UTC");

    /** The UDF registrations the compiled statements rely on. */
    public static final List<String> FUNCTION_DDL = List.of(
            "CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS `hash` AS '" + UdfClassNames.HASH + "'",
            "CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS `statetime` AS '" + UdfClassNames.STATETIME + "'");

    private static final IRI RULE = org.eclipse.rdf4j.model.util.Values.iri(SHACL.NAMESPACE, "rule");
    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{[?$]([A-Za-z0-9_]+)}");
    private static final Pattern PARSE_POSITION = Pattern.compile("line (\\d+), column (\\d+)");
    private static final String ALERT_COLUMNS = "resource, event, environment, service, severity, customer, text";
    private static final String ATTRIBUTE_COLUMNS = "id, parentId, entityId, name, nodeType, valueType, `type`, "
            + "attributeValue, datasetId, unitCode, lang, deleted, synced";

    private final Model shapes;
    private final Model knowledge;
    private final TableNames tables;
    private final AttributeCatalog catalog;

    /** A compiler using the reference's table names. */
    public SparqlShapeCompiler(Model shapes, Model knowledge) {
        this(shapes, knowledge, TableNames.reference());
    }

    /**
     * @param shapes    the shapes graph (raw or normalized)
     * @param knowledge the knowledge graph after the closure (subclasses and severity labels are read from it)
     * @param tables    the unit's table names
     */
    public SparqlShapeCompiler(Model shapes, Model knowledge, TableNames tables) {
        this.shapes = shapes;
        this.knowledge = knowledge;
        this.tables = tables;
        this.catalog = AttributeCatalog.of(shapes);
    }

    /** Compiles every SPARQL constraint and rule of the shapes graph, in a stable order (by shape, then query). */
    public SparqlCompilation compile() {
        List<SparqlStatement> statements = new ArrayList<>();
        List<SparqlCoverage> coverage = new ArrayList<>();
        for (Resource shape : sorted(shapes.filter(null, SHACL.SPARQL, null).subjects())) {
            List<Resource> constraints = sortedResources(shapes.filter(shape, SHACL.SPARQL, null).objects());
            for (int i = 0; i < constraints.size(); i++) {
                String event = CONSTRAINT_COMPONENT + "(" + shapeName(shape) + (i == 0 ? "" : "#" + (i + 1)) + ")";
                try {
                    statements.add(new SparqlStatement(id(shape), event, SparqlSqlTranslator.quoted(tables.alertsBulk()), ALERT_COLUMNS,
                            constraint(shape, constraints.get(i), event)));
                    coverage.add(new SparqlCoverage(id(shape), event, SparqlCoverage.Status.COMPILED, "compiled"));
                } catch (SparqlTranslationException e) {
                    coverage.add(new SparqlCoverage(id(shape), event, e.status(), e.getMessage()));
                }
            }
        }
        for (Resource shape : sorted(shapes.filter(null, RULE, null).subjects())) {
            List<Resource> rules = sortedResources(shapes.filter(shape, RULE, null).objects());
            for (int i = 0; i < rules.size(); i++) {
                String name = RULE_COMPONENT + "(" + shapeName(shape) + (i == 0 ? "" : "#" + (i + 1)) + ")";
                try {
                    statements.add(new SparqlStatement(id(shape), name, SparqlSqlTranslator.quoted(tables.attributesInsert()),
                            ATTRIBUTE_COLUMNS,
                            rule(shape, rules.get(i))));
                    coverage.add(new SparqlCoverage(id(shape), name, SparqlCoverage.Status.COMPILED, "compiled"));
                } catch (SparqlTranslationException e) {
                    coverage.add(new SparqlCoverage(id(shape), name, e.status(), e.getMessage()));
                }
            }
        }
        return new SparqlCompilation(statements, coverage);
    }

    // ---------------------------------------------------------------------------------------------------------
    // constraints

    private String constraint(Resource shape, Resource node, String event) {
        String shapeId = id(shape);
        if (isDeactivated(node) || isDeactivated(shape)) {
            throw new SparqlTranslationException(shapeId, 0, 0, "deactivated (sh:deactivated true)",
                    SparqlCoverage.Status.DEACTIVATED);
        }
        List<String> targets = targetClasses(shape);
        String query = string(node, SHACL.SELECT).orElseThrow(() -> new SparqlTranslationException(shapeId, 0, 0,
                "sh:sparql without sh:select"));
        String message = string(node, SHACL.MESSAGE).orElseThrow(() -> new SparqlTranslationException(shapeId, 0, 0,
                "sh:sparql without sh:message is skipped, as in the reference", SparqlCoverage.Status.SKIPPED));
        String severity = severity(node);
        ParsedQuery parsed = parse(shapeId, query);
        if (!(parsed instanceof ParsedTupleQuery)) {
            throw new SparqlTranslationException(shapeId, 1, 1, "sh:select must hold a SELECT query");
        }
        QueryFrame frame = frame(shapeId, query, parsed.getTupleExpr());
        try {
            SelectBuilder b = translate(frame.where(), targets, frame.where());
            Map<String, SqlTerm> scope = new TreeMap<>(b.bindings());
            frame.projection().forEach((target, source) -> {
                SqlTerm term = b.lookup(source);
                if (term != null) {
                    scope.put(target, term);
                }
            });
            String text = messageExpression(message, scope);
            String focus = b.lookup(SparqlSqlTranslator.THIS).asLexical().sql();
            String matches = b.render(List.of(focus + " AS focusNode", text + " AS message"), false);
            List<String> types = new ArrayList<>();
            for (String type : withSubclasses(targets)) {
                types.add(SqlLiterals.string(type));
            }
            return "SELECT T.focusNode, " + SqlLiterals.string(event)
                    + ", 'Development', ARRAY['SHACL Validator'], CASE WHEN M.focusNode IS NULL THEN 'ok' ELSE "
                    + SqlLiterals.string(severity) + " END, 'customer', COALESCE(M.message, 'All ok')"
                    + " FROM (SELECT id AS focusNode FROM " + SparqlSqlTranslator.quoted(tables.entitiesView()) + " WHERE `type` IN ("
                    + String.join(", ", types) + ")) AS T"
                    + " LEFT JOIN (SELECT focusNode, MIN(message) AS message FROM (" + matches
                    + ") AS B GROUP BY focusNode) AS M ON T.focusNode = M.focusNode";
        } catch (UnsupportedSparqlException e) {
            throw located(shapeId, query, e);
        }
    }

    private String messageExpression(String message, Map<String, SqlTerm> scope) {
        List<String> parts = new ArrayList<>();
        Matcher m = TEMPLATE_VARIABLE.matcher(message);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                parts.add(SqlLiterals.string(message.substring(last, m.start())));
            }
            SqlTerm term = scope.get(m.group(1));
            if (term == null) {
                throw new UnsupportedSparqlException("sh:message refers to ?" + m.group(1)
                        + ", which the query does not bind", null);
            }
            parts.add("COALESCE(" + term.asLexical().sql() + ", 'NULL')");
            last = m.end();
        }
        if (last < message.length()) {
            parts.add(SqlLiterals.string(message.substring(last)));
        }
        return parts.isEmpty() ? "''" : String.join(" || ", parts);
    }

    private String severity(Resource node) {
        return shapes.filter(node, SHACL.SEVERITY_PROP, null).objects().stream().findFirst()
                .map(severity -> SeverityLabel.of(severity, knowledge, shapes)).orElse(SeverityLabel.DEFAULT);
    }

    // ---------------------------------------------------------------------------------------------------------
    // rules

    /** One attribute constructed by a rule template: subject variable, attribute, value and relationship flag. */
    private record Template(String subject, String attribute, Var value, boolean relationship) {
    }

    private String rule(Resource shape, Resource node) {
        String shapeId = id(shape);
        if (isDeactivated(node) || isDeactivated(shape)) {
            throw new SparqlTranslationException(shapeId, 0, 0, "deactivated (sh:deactivated true)",
                    SparqlCoverage.Status.DEACTIVATED);
        }
        List<String> targets = targetClasses(shape);
        Optional<String> construct = string(node, SHACL.CONSTRUCT);
        if (construct.isEmpty()) {
            throw new SparqlTranslationException(shapeId, 0, 0,
                    "only SPARQL rules (sh:construct) are supported; triple rules are not");
        }
        String query = construct.get();
        ParsedQuery parsed = parse(shapeId, query);
        if (!(parsed instanceof ParsedGraphQuery)) {
            throw new SparqlTranslationException(shapeId, 1, 1, "sh:construct must hold a CONSTRUCT query");
        }
        try {
            TupleExpr expr = parsed.getTupleExpr();
            if (expr instanceof QueryRoot root) {
                expr = root.getArg();
            }
            if (expr instanceof Reduced reduced) {
                expr = reduced.getArg();
            }
            if (!(expr instanceof MultiProjection projection) || !(projection.getArg() instanceof Extension ext)) {
                throw new UnsupportedSparqlException("unsupported CONSTRUCT form", "CONSTRUCT");
            }
            List<Template> templates = templates(projection, ext);
            TupleExpr where = ext.getArg();
            SelectBuilder b = translate(where, targets, where);
            List<String> branches = new ArrayList<>();
            for (Template t : templates) {
                SqlTerm subject = b.lookup(t.subject());
                if (subject == null) {
                    throw new UnsupportedSparqlException("the template subject ?" + t.subject()
                            + " is not bound by the WHERE clause", "CONSTRUCT");
                }
                SqlTerm value = t.value().hasValue() ? SparqlSqlTranslator.constant(t.value().getValue())
                        : b.lookup(t.value().getName());
                if (value == null) {
                    throw new UnsupportedSparqlException("the template value ?" + t.value().getName()
                            + " is not bound by the WHERE clause", "CONSTRUCT");
                }
                String entity = subject.asLexical().sql();
                String name = SqlLiterals.string(t.attribute());
                String nodeType = nodeType(t, value);
                String type = SqlLiterals.string(NgsiLdVocabulary.NAMESPACE + (t.relationship() ? "Relationship"
                        : "Property"));
                String select = b.render(List.of(
                        entity + " || " + SqlLiterals.string("\\" + t.attribute()) + " AS id",
                        "CAST(NULL AS STRING) AS parentId",
                        entity + " AS entityId",
                        name + " AS name",
                        nodeType + " AS nodeType",
                        "CAST(NULL AS STRING) AS valueType",
                        type + " AS `type`",
                        value.asLexical().sql() + " AS attributeValue",
                        "'@none' AS datasetId",
                        "CAST(NULL AS STRING) AS unitCode",
                        "CAST(NULL AS STRING) AS lang",
                        "FALSE AS deleted",
                        "FALSE AS synced"), true);
                // CONSTRUCT skips template triples with an unbound variable
                branches.add("SELECT * FROM (" + select + ") WHERE attributeValue IS NOT NULL AND entityId IS NOT NULL");
            }
            return String.join(" UNION ALL ", branches);
        } catch (UnsupportedSparqlException e) {
            throw located(shapeId, query, e);
        }
    }

    private String nodeType(Template t, SqlTerm value) {
        if (t.relationship()) {
            return "'@id'";
        }
        return switch (catalog.valueKind(t.attribute())) {
            case IRI -> "'@id'";
            case LITERAL -> "'@value'";
            case UNKNOWN -> switch (value.form()) {
                case IRI -> "'@id'";
                case TERM -> "CASE WHEN " + value.sql() + " LIKE '<%>' THEN '@id' ELSE '@value' END";
                case NODE -> value.nodeType();
                default -> "'@value'";
            };
        };
    }

    /** Pairs {@code ?s <attr> _:b . _:b ngsi-ld:hasValue|hasObject ?v} in the CONSTRUCT template. */
    private static List<Template> templates(MultiProjection projection, Extension ext) {
        Map<String, Value> constants = new TreeMap<>();
        Set<String> blankNodes = new LinkedHashSet<>();
        for (ExtensionElem elem : ext.getElements()) {
            if (elem.getExpr() instanceof ValueConstant c) {
                constants.put(elem.getName(), c.getValue());
            } else if (elem.getExpr() instanceof BNodeGenerator) {
                blankNodes.add(elem.getName());
            }
        }
        record Triple(String s, String p, String o) {
        }
        List<Triple> triples = new ArrayList<>();
        for (ProjectionElemList list : projection.getProjections()) {
            String s = null;
            String p = null;
            String o = null;
            for (ProjectionElem e : list.getElements()) {
                switch (e.getProjectionAlias().orElse(e.getName())) {
                    case "subject" -> s = e.getName();
                    case "predicate" -> p = e.getName();
                    case "object" -> o = e.getName();
                    default -> {
                        // context: CONSTRUCT templates have none
                    }
                }
            }
            triples.add(new Triple(s, p, o));
        }
        List<Template> templates = new ArrayList<>();
        Set<Triple> used = new LinkedHashSet<>();
        for (Triple outer : triples) {
            if (!blankNodes.contains(outer.o()) || blankNodes.contains(outer.s())
                    || !(constants.get(outer.p()) instanceof IRI attribute)) {
                continue;
            }
            for (Triple inner : triples) {
                if (!inner.s().equals(outer.o()) || !(constants.get(inner.p()) instanceof IRI predicate)) {
                    continue;
                }
                boolean relationship = predicate.stringValue().equals(NgsiLdVocabulary.HAS_OBJECT);
                if (!relationship && !predicate.stringValue().equals(NgsiLdVocabulary.HAS_VALUE)) {
                    continue;
                }
                Value constant = constants.get(inner.o());
                Var value = constant != null ? new Var(inner.o(), constant) : new Var(inner.o());
                if (constants.containsKey(outer.s())) {
                    throw new UnsupportedSparqlException("the template subject must be a variable such as $this",
                            "CONSTRUCT");
                }
                templates.add(new Template(outer.s(), attribute.stringValue(), value, relationship));
                used.add(outer);
                used.add(inner);
            }
        }
        if (used.size() != triples.size() || templates.isEmpty()) {
            throw new UnsupportedSparqlException("a rule can only construct NGSI-LD attributes of the form "
                    + "$this <attribute> [ ngsi-ld:hasValue ?value ] (or ngsi-ld:hasObject)", "CONSTRUCT");
        }
        return templates;
    }

    // ---------------------------------------------------------------------------------------------------------
    // shared

    /** The WHERE part of a SELECT and its projection (target name to source variable). */
    private record QueryFrame(TupleExpr where, Map<String, String> projection) {
    }

    private static QueryFrame frame(String shapeId, String query, TupleExpr expr) {
        TupleExpr current = expr instanceof QueryRoot root ? root.getArg() : expr;
        while (current instanceof Distinct || current instanceof Reduced || current instanceof Order
                || current instanceof Slice) {
            if (current instanceof Slice) {
                throw located(shapeId, query, new UnsupportedSparqlException("LIMIT/OFFSET are not supported",
                        "LIMIT"));
            }
            current = ((org.eclipse.rdf4j.query.algebra.UnaryTupleOperator) current).getArg();
        }
        if (!(current instanceof Projection projection)) {
            throw located(shapeId, query, new UnsupportedSparqlException("unsupported query form", "SELECT"));
        }
        Map<String, String> names = new TreeMap<>();
        for (ProjectionElem elem : projection.getProjectionElemList().getElements()) {
            names.put(elem.getProjectionAlias().orElse(elem.getName()), elem.getName());
        }
        return new QueryFrame(projection.getArg(), names);
    }

    private SelectBuilder translate(TupleExpr where, List<String> targets, TupleExpr whole) {
        SparqlSqlTranslator translator = new SparqlSqlTranslator(catalog, tables,
                SparqlSqlTranslator.historyVariables(whole));
        SelectBuilder b = new SelectBuilder(null);
        translator.bindFocusNode(b, targets);
        translator.pattern(where, b);
        boolean aggregated = b.bindings().values().stream().anyMatch(SqlTerm::aggregate);
        if (!b.grouped() && aggregated) {
            b.groupBy(List.of(b.lookup(SparqlSqlTranslator.THIS)));
        }
        return b;
    }

    private static ParsedQuery parse(String shapeId, String query) {
        try {
            return new SPARQLParser().parseQuery(query, null);
        } catch (MalformedQueryException e) {
            String detail = e.getMessage() == null ? "syntax error" : e.getMessage().strip();
            Matcher m = PARSE_POSITION.matcher(detail);
            int line = 0;
            int column = 0;
            if (m.find()) {
                line = Integer.parseInt(m.group(1));
                column = Integer.parseInt(m.group(2));
            }
            int newline = detail.indexOf('\n');
            throw new SparqlTranslationException(shapeId, line, column, "SPARQL syntax error: "
                    + (newline > 0 ? detail.substring(0, newline) : detail));
        }
    }

    private static SparqlTranslationException located(String shapeId, String query, UnsupportedSparqlException e) {
        QuerySourceLocator locator = new QuerySourceLocator(query);
        int[] position = locator.find(e.token());
        if (position[0] == 0 && e.token() != null && e.token().startsWith("<")) {
            // the IRI may be written with a prefix: look for its local name
            String iri = e.token().substring(1, e.token().length() - 1);
            position = locator.find(iri.substring(Math.max(iri.lastIndexOf('/'),
                    Math.max(iri.lastIndexOf('#'), iri.lastIndexOf(':'))) + 1));
        }
        return new SparqlTranslationException(shapeId, position[0], position[1], e.getMessage());
    }

    private List<String> targetClasses(Resource shape) {
        List<String> targets = new ArrayList<>();
        for (Value v : shapes.filter(shape, SHACL.TARGET_CLASS, null).objects()) {
            if (v instanceof IRI iri) {
                targets.add(iri.stringValue());
            }
        }
        if (targets.isEmpty()) {
            throw new SparqlTranslationException(id(shape), 0, 0,
                    "SPARQL constraints and rules need sh:targetClass (other targets are not supported)");
        }
        targets.sort(Comparator.naturalOrder());
        return targets;
    }

    /** The target classes and all their subclasses in the (closed) knowledge graph. */
    private Set<String> withSubclasses(List<String> targets) {
        Set<String> result = new LinkedHashSet<>(targets);
        Deque<String> todo = new ArrayDeque<>(targets);
        while (!todo.isEmpty()) {
            IRI current = org.eclipse.rdf4j.model.util.Values.iri(todo.pop());
            for (Resource sub : knowledge.filter(null, RDFS.SUBCLASSOF, current).subjects()) {
                if (sub instanceof IRI iri && result.add(iri.stringValue())) {
                    todo.add(iri.stringValue());
                }
            }
        }
        return result;
    }

    private boolean isDeactivated(Resource node) {
        return shapes.filter(node, SHACL.DEACTIVATED, null).objects().stream()
                .anyMatch(v -> v instanceof Literal l && "true".equals(l.getLabel()));
    }

    private Optional<String> string(Resource node, IRI predicate) {
        return shapes.filter(node, predicate, null).objects().stream().filter(Literal.class::isInstance)
                .map(Value::stringValue).sorted().findFirst();
    }

    /** The local name used in the alert event: IRI fragment or last path segment; blank nodes by their id. */
    static String shapeName(Resource shape) {
        if (shape instanceof IRI iri) {
            String s = iri.stringValue();
            int cut = Math.max(s.lastIndexOf('#'), s.lastIndexOf('/'));
            return cut >= 0 && cut < s.length() - 1 ? s.substring(cut + 1) : s;
        }
        return "_:" + ((BNode) shape).getID();
    }

    private static String id(Resource shape) {
        return shape instanceof IRI ? shape.stringValue() : "_:" + shape.stringValue();
    }

    private static List<Resource> sorted(Set<Resource> resources) {
        List<Resource> list = new ArrayList<>(resources);
        list.sort(Comparator.comparing(Value::stringValue));
        return list;
    }

    private List<Resource> sortedResources(Set<Value> values) {
        List<Resource> list = new ArrayList<>();
        for (Value v : values) {
            if (v instanceof Resource r) {
                list.add(r);
            }
        }
        // blank node ids are arbitrary: order by the query text so numbering is stable
        list.sort(Comparator.comparing(r -> string(r, SHACL.SELECT).or(() -> string(r, SHACL.CONSTRUCT))
                .orElse(r.stringValue())));
        return list;
    }
}
