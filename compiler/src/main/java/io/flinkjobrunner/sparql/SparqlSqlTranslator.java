package io.flinkjobrunner.sparql;

import io.flinkjobrunner.compiler.SqlLiterals;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.ngsild.NgsiLdVocabulary;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.eclipse.rdf4j.query.algebra.AggregateOperator;
import org.eclipse.rdf4j.query.algebra.And;
import org.eclipse.rdf4j.query.algebra.ArbitraryLengthPath;
import org.eclipse.rdf4j.query.algebra.Avg;
import org.eclipse.rdf4j.query.algebra.BindingSetAssignment;
import org.eclipse.rdf4j.query.algebra.Bound;
import org.eclipse.rdf4j.query.algebra.Coalesce;
import org.eclipse.rdf4j.query.algebra.Compare;
import org.eclipse.rdf4j.query.algebra.Count;
import org.eclipse.rdf4j.query.algebra.Difference;
import org.eclipse.rdf4j.query.algebra.Distinct;
import org.eclipse.rdf4j.query.algebra.Exists;
import org.eclipse.rdf4j.query.algebra.Extension;
import org.eclipse.rdf4j.query.algebra.ExtensionElem;
import org.eclipse.rdf4j.query.algebra.Filter;
import org.eclipse.rdf4j.query.algebra.FunctionCall;
import org.eclipse.rdf4j.query.algebra.Group;
import org.eclipse.rdf4j.query.algebra.GroupConcat;
import org.eclipse.rdf4j.query.algebra.GroupElem;
import org.eclipse.rdf4j.query.algebra.If;
import org.eclipse.rdf4j.query.algebra.IsLiteral;
import org.eclipse.rdf4j.query.algebra.IsURI;
import org.eclipse.rdf4j.query.algebra.Join;
import org.eclipse.rdf4j.query.algebra.LeftJoin;
import org.eclipse.rdf4j.query.algebra.ListMemberOperator;
import org.eclipse.rdf4j.query.algebra.MathExpr;
import org.eclipse.rdf4j.query.algebra.Max;
import org.eclipse.rdf4j.query.algebra.Min;
import org.eclipse.rdf4j.query.algebra.Not;
import org.eclipse.rdf4j.query.algebra.Or;
import org.eclipse.rdf4j.query.algebra.Order;
import org.eclipse.rdf4j.query.algebra.Projection;
import org.eclipse.rdf4j.query.algebra.Regex;
import org.eclipse.rdf4j.query.algebra.Sample;
import org.eclipse.rdf4j.query.algebra.SameTerm;
import org.eclipse.rdf4j.query.algebra.Service;
import org.eclipse.rdf4j.query.algebra.SingletonSet;
import org.eclipse.rdf4j.query.algebra.Slice;
import org.eclipse.rdf4j.query.algebra.StatementPattern;
import org.eclipse.rdf4j.query.algebra.Str;
import org.eclipse.rdf4j.query.algebra.Sum;
import org.eclipse.rdf4j.query.algebra.TupleExpr;
import org.eclipse.rdf4j.query.algebra.Union;
import org.eclipse.rdf4j.query.algebra.ValueConstant;
import org.eclipse.rdf4j.query.algebra.ValueExpr;
import org.eclipse.rdf4j.query.algebra.Var;
import org.eclipse.rdf4j.query.algebra.helpers.AbstractSimpleQueryModelVisitor;

/**
 * Translates the WHERE part of a SPARQL query (RDF4J algebra) into one Flink SQL SELECT over the NGSI-LD tables
 * ({@code entities_view}, {@code attributes_view}, the history table {@code attributes}) and the knowledge table
 * {@code rdf}, with the semantics of the reference's sparql_to_sql (shacl2flink's {@code lib/sparql_to_sql.py}; docs/semantics.md).
 *
 * <p>NGSI-LD attributes are recognised structurally: {@code ?s <attr> [ngsi-ld:hasValue ?v]} (or hasObject,
 * observedAt, datasetId, hasValueList, hasJSON) becomes one attribute table joined to the subject entity; any other
 * triple reads the knowledge table. Variables keep track of how their value is encoded ({@link TermForm}) so that
 * attribute values, entity ids and knowledge terms compare correctly. Unsupported constructs raise
 * {@link UnsupportedSparqlException} naming the keyword to locate in the query.
 */
final class SparqlSqlTranslator {

    static final String FUNCTIONS_NS = "https://industry-fusion.com/functions/v0.9/";
    static final String AGGREGATORS_NS = "https://industry-fusion.com/aggregators/v0.9/";
    static final String THIS = "this";

    private static final String XSD = "http://www.w3.org/2001/XMLSchema#";
    private static final String FN = "http://www.w3.org/2005/xpath-functions#";
    private static final String PROPERTY = NgsiLdVocabulary.NAMESPACE + "Property";
    private static final String RELATIONSHIP = NgsiLdVocabulary.NAMESPACE + "Relationship";
    private static final String LIST_PROPERTY = NgsiLdVocabulary.NAMESPACE + "ListProperty";
    private static final String JSON_PROPERTY = NgsiLdVocabulary.NAMESPACE + "JsonProperty";
    private static final Set<String> NODE_PREDICATES = Set.of(NgsiLdVocabulary.HAS_VALUE,
            NgsiLdVocabulary.HAS_OBJECT, NgsiLdVocabulary.OBSERVED_AT, NgsiLdVocabulary.DATASET_ID,
            NgsiLdVocabulary.HAS_VALUE_LIST, NgsiLdVocabulary.HAS_JSON);

    private final AttributeCatalog catalog;
    private final TableNames tables;
    private final Set<String> historyVariables;
    private int aliasCounter;

    /**
     * @param catalog          the declared NGSI-LD attributes
     * @param tables           the unit's table names
     * @param historyVariables variables used inside aggregates: their attributes are read from the history table
     */
    SparqlSqlTranslator(AttributeCatalog catalog, TableNames tables, Set<String> historyVariables) {
        this.catalog = catalog;
        this.tables = tables;
        this.historyVariables = Set.copyOf(historyVariables);
    }

    /** The variables an aggregate reads, directly or through BIND: their attributes come from the history. */
    static Set<String> historyVariables(TupleExpr where) {
        Map<String, Set<String>> bindDependencies = new HashMap<>();
        Set<String> direct = new HashSet<>();
        where.visit(new AbstractSimpleQueryModelVisitor<RuntimeException>(false) {
            @Override
            public void meet(ExtensionElem node) {
                bindDependencies.computeIfAbsent(node.getName(), k -> new HashSet<>()).addAll(varsOf(node.getExpr()));
                super.meet(node);
            }

            @Override
            public void meet(FunctionCall node) {
                if (node.getURI().startsWith(AGGREGATORS_NS)) {
                    direct.addAll(varsOf(node));
                }
                super.meet(node);
            }
        });
        where.visit(new AbstractSimpleQueryModelVisitor<RuntimeException>(false) {
            @Override
            public void meet(Count node) {
                direct.addAll(varsOf(node));
            }

            @Override
            public void meet(Sum node) {
                direct.addAll(varsOf(node));
            }

            @Override
            public void meet(Avg node) {
                direct.addAll(varsOf(node));
            }

            @Override
            public void meet(Min node) {
                direct.addAll(varsOf(node));
            }

            @Override
            public void meet(Max node) {
                direct.addAll(varsOf(node));
            }

            @Override
            public void meet(Sample node) {
                direct.addAll(varsOf(node));
            }

            @Override
            public void meet(GroupConcat node) {
                direct.addAll(varsOf(node));
            }
        });
        Set<String> result = new HashSet<>();
        List<String> todo = new ArrayList<>(direct);
        while (!todo.isEmpty()) {
            String var = todo.remove(todo.size() - 1);
            if (result.add(var)) {
                todo.addAll(bindDependencies.getOrDefault(var, Set.of()));
            }
        }
        return result;
    }

    private static Set<String> varsOf(ValueExpr expr) {
        Set<String> vars = new HashSet<>();
        expr.visit(new AbstractSimpleQueryModelVisitor<RuntimeException>(false) {
            @Override
            public void meet(Var node) {
                if (!node.hasValue()) {
                    vars.add(node.getName());
                }
            }
        });
        return vars;
    }

    /**
     * Binds {@code $this} the way the reference does: an entity whose type is rdfs:subClassOf (after the knowledge
     * closure) one of the target classes.
     */
    void bindFocusNode(SelectBuilder b, List<String> targetClasses) {
        String entity = entityTable(b, THIS);
        String k = alias("K");
        b.addTable(k, quoted(tables.rdf()));
        b.structural(eq(SqlTerm.column(entity, "type", TermForm.IRI).asTerm(),
                SqlTerm.column(k, "subject", TermForm.TERM)));
        b.structural(condition(k + ".predicate = " + SqlLiterals.string("<" + RDFS.SUBCLASSOF + ">"), k));
        List<String> encoded = new ArrayList<>();
        for (String tc : targetClasses) {
            encoded.add(SqlLiterals.string("<" + tc + ">"));
        }
        b.structural(condition(k + ".object" + (encoded.size() == 1 ? " = " + encoded.get(0)
                : " IN (" + String.join(", ", encoded) + ")"), k));
    }

    /**
     * Translates a graph pattern into {@code b}. The first pattern a builder gets is its whole group graph pattern:
     * its attribute instances are planned from it first ({@link #planInstances}).
     */
    void pattern(TupleExpr expr, SelectBuilder b) {
        if (!b.planned()) {
            b.plan(planInstances(expr));
        }
        if (expr instanceof StatementPattern || expr instanceof ArbitraryLengthPath
                || expr instanceof Join join && isBasic(join)) {
            List<StatementPattern> triples = new ArrayList<>();
            collectTriples(expr, triples);
            basicGraphPattern(triples, b);
        } else if (expr instanceof Join join) {
            pattern(join.getLeftArg(), b);
            pattern(join.getRightArg(), b);
        } else if (expr instanceof Filter filter) {
            pattern(filter.getArg(), b);
            b.filter(expression(filter.getCondition(), b).asBoolean());
        } else if (expr instanceof Extension extension) {
            pattern(extension.getArg(), b);
            for (ExtensionElem elem : extension.getElements()) {
                bindVariable(b, elem.getName(), expression(elem.getExpr(), b));
            }
        } else if (expr instanceof LeftJoin leftJoin) {
            optional(leftJoin, b);
        } else if (expr instanceof Group group) {
            group(group, b);
        } else if (expr instanceof Order order) {
            pattern(order.getArg(), b);
        } else if (expr instanceof SingletonSet) {
            return;
        } else if (expr instanceof Union) {
            throw new UnsupportedSparqlException("UNION is not supported", "UNION");
        } else if (expr instanceof Difference) {
            throw new UnsupportedSparqlException("MINUS is not supported (use FILTER NOT EXISTS)", "MINUS");
        } else if (expr instanceof Service) {
            throw new UnsupportedSparqlException("SERVICE is not supported", "SERVICE");
        } else if (expr instanceof BindingSetAssignment) {
            throw new UnsupportedSparqlException("VALUES is not supported", "VALUES");
        } else if (expr instanceof Slice) {
            throw new UnsupportedSparqlException("LIMIT/OFFSET are not supported", "LIMIT");
        } else if (expr instanceof Projection || expr instanceof Distinct) {
            throw new UnsupportedSparqlException("sub-queries are not supported", "SELECT");
        } else {
            throw new UnsupportedSparqlException(expr.getSignature() + " is not supported", null);
        }
    }

    private static boolean isBasic(TupleExpr expr) {
        if (expr instanceof StatementPattern || expr instanceof ArbitraryLengthPath) {
            return true;
        }
        return expr instanceof Join join && isBasic(join.getLeftArg()) && isBasic(join.getRightArg());
    }

    private static void collectTriples(TupleExpr expr, List<StatementPattern> triples) {
        if (expr instanceof StatementPattern sp) {
            if (sp.getContextVar() != null) {
                throw new UnsupportedSparqlException("GRAPH patterns are not supported", "GRAPH");
            }
            triples.add(sp);
        } else if (expr instanceof ArbitraryLengthPath path) {
            // p* and p+ read the closed knowledge (reflexive/transitive subClassOf, owl:TransitiveProperty)
            if (!(path.getPathExpression() instanceof StatementPattern inner)) {
                throw new UnsupportedSparqlException("only single-predicate paths may be repeated with * or +",
                        "*");
            }
            triples.add(new StatementPattern(path.getSubjectVar().clone(), inner.getPredicateVar().clone(),
                    path.getObjectVar().clone()));
        } else if (expr instanceof Join join) {
            collectTriples(join.getLeftArg(), triples);
            collectTriples(join.getRightArg(), triples);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // basic graph patterns

    /** The node triples ({@code ?node ngsi-ld:hasValue …}, observedAt, …) grouped by their node variable. */
    private static Map<String, List<StatementPattern>> nodeTriples(List<StatementPattern> triples) {
        Map<String, List<StatementPattern>> nodeTriples = new LinkedHashMap<>();
        for (StatementPattern sp : triples) {
            String p = constantIri(sp.getPredicateVar());
            if (p != null && NODE_PREDICATES.contains(p) && !sp.getSubjectVar().hasValue()) {
                nodeTriples.computeIfAbsent(sp.getSubjectVar().getName(), k -> new ArrayList<>()).add(sp);
            }
        }
        return nodeTriples;
    }

    /**
     * Whether {@code sp} is {@code ?s <attr> ?node} of an NGSI-LD attribute: its node has node triples, or it is a
     * blank node of a declared attribute; {@code planned} says whether its group planned the node as an instance.
     */
    private boolean isAttributeTriple(StatementPattern sp, Map<String, List<StatementPattern>> nodeTriples,
            boolean planned) {
        String p = constantIri(sp.getPredicateVar());
        Var o = sp.getObjectVar();
        if (p == null || o.hasValue() || NODE_PREDICATES.contains(p) || RDF.TYPE.stringValue().equals(p)) {
            return false;
        }
        boolean declared = catalog.isProperty(p) || catalog.isRelationship(p);
        return nodeTriples.containsKey(o.getName()) || declared && o.isAnonymous() || planned;
    }

    private void basicGraphPattern(List<StatementPattern> triples, SelectBuilder b) {
        Map<String, List<StatementPattern>> nodeTriples = nodeTriples(triples);
        Set<StatementPattern> consumed = new HashSet<>();
        Set<String> entityVars = new HashSet<>();
        List<StatementPattern> attributeTriples = new ArrayList<>();
        for (StatementPattern sp : triples) {
            Var o = sp.getObjectVar();
            if (isAttributeTriple(sp, nodeTriples, !o.hasValue() && b.instance(o.getName()) != null)) {
                attributeTriples.add(sp);
                if (!sp.getSubjectVar().hasValue()) {
                    entityVars.add(sp.getSubjectVar().getName());
                }
                for (StatementPattern node : nodeTriples.getOrDefault(o.getName(), List.of())) {
                    if (NgsiLdVocabulary.HAS_OBJECT.equals(constantIri(node.getPredicateVar()))
                            && !node.getObjectVar().hasValue()) {
                        entityVars.add(node.getObjectVar().getName());
                    }
                }
            }
        }
        for (StatementPattern sp : attributeTriples) {
            List<StatementPattern> nodes = nodeTriples.getOrDefault(sp.getObjectVar().getName(), List.of());
            attribute(sp, nodes, b);
            consumed.add(sp);
            consumed.addAll(nodes);
        }
        // a BIND between an attribute's triple and its node's triples splits them into two basic graph patterns:
        // node triples whose attribute triple is elsewhere in the group still read the node's instance
        for (Map.Entry<String, List<StatementPattern>> node : nodeTriples.entrySet()) {
            SelectBuilder.AttributeInstance instance = b.instance(node.getKey());
            if (instance != null && node.getValue().stream().noneMatch(consumed::contains)) {
                attribute(instance.pattern(), node.getValue(), b);
                consumed.addAll(node.getValue());
            }
        }
        for (StatementPattern sp : triples) {
            if (consumed.contains(sp)) {
                continue;
            }
            String p = constantIri(sp.getPredicateVar());
            Var s = sp.getSubjectVar();
            boolean entitySubject = !s.hasValue() && (entityVars.contains(s.getName()) || isEntity(b, s.getName()));
            if (RDF.TYPE.stringValue().equals(p) && entitySubject) {
                entityType(sp, b);
            } else {
                knowledge(sp, b);
            }
        }
    }

    private static boolean isEntity(SelectBuilder b, String var) {
        for (SelectBuilder s = b; s != null; s = s.outer()) {
            if (s.entityAlias(var) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code ?s <attr> ?node . ?node ngsi-ld:hasValue ?v ...}: the attribute table of the node's instance, created by
     * the instance's first pattern; later patterns of the same instance bind to the same table (one row).
     */
    private void attribute(StatementPattern sp, List<StatementPattern> nodes, SelectBuilder b) {
        String name = constantIri(sp.getPredicateVar());
        String attributeType = null;
        for (StatementPattern node : nodes) {
            String type = attributeType(constantIri(node.getPredicateVar()));
            if (type != null) {
                if (attributeType != null && !attributeType.equals(type)) {
                    throw new UnsupportedSparqlException("attribute <" + name + "> is used both as " + attributeType
                            + " and as " + type, "<" + constantIri(node.getPredicateVar()) + ">");
                }
                attributeType = type;
            }
        }
        SelectBuilder.AttributeInstance instance = b.instance(sp.getObjectVar().getName());
        if (instance == null) {
            // a node the plan did not see (cannot happen for patterns of this scope): an instance of its own
            instance = new SelectBuilder.AttributeInstance("node " + sp.getObjectVar().getName(), nodes.stream()
                    .anyMatch(n -> !n.getObjectVar().hasValue()
                            && historyVariables.contains(n.getObjectVar().getName())), sp);
        }
        boolean[] created = new boolean[1];
        SelectBuilder.InstanceTable table = b.instanceTable(instance.id(), id -> {
            created[0] = true;
            return new SelectBuilder.InstanceTable(alias("A"));
        });
        String a = table.alias;
        if (created[0]) {
            b.addTable(a, quoted(instance.history() ? tables.attributes() : tables.attributesView()));
            b.structural(condition(a + ".name = " + SqlLiterals.string(name) + " AND " + a
                    + ".parentId IS NULL AND COALESCE(" + a + ".deleted, FALSE) = FALSE", a));
            SqlTerm entityId = SqlTerm.column(a, "entityId", TermForm.IRI);
            Var s = sp.getSubjectVar();
            if (s.hasValue()) {
                b.structural(eq(entityId, constant(s.getValue())));
            } else {
                b.structural(eq(entityId, entityReference(b, s.getName())));
            }
        }
        if (attributeType != null) {
            if (table.type != null && !table.type.equals(attributeType)) {
                throw new UnsupportedSparqlException("attribute <" + name + "> is used both as " + table.type
                        + " and as " + attributeType, "<" + name + ">");
            }
            if (table.type == null) {
                table.type = attributeType;
                b.structural(condition(a + ".type = " + SqlLiterals.string(attributeType), a));
            }
        }
        SqlTerm value = attributeValue(a, name);
        for (StatementPattern node : nodes) {
            Var o = node.getObjectVar();
            String p = constantIri(node.getPredicateVar());
            SqlTerm term = switch (p) {
                case NgsiLdVocabulary.HAS_OBJECT -> SqlTerm.column(a, "attributeValue", TermForm.IRI);
                case NgsiLdVocabulary.OBSERVED_AT -> new SqlTerm(SqlTerm.epochMillisOfTimestamp(a + ".ts"),
                        TermForm.EPOCH_MS, null, null, Set.of(a), false);
                case NgsiLdVocabulary.DATASET_ID -> SqlTerm.column(a, "datasetId", TermForm.IRI);
                case NgsiLdVocabulary.HAS_VALUE_LIST, NgsiLdVocabulary.HAS_JSON ->
                        SqlTerm.column(a, "attributeValue", TermForm.LITERAL);
                default -> value;
            };
            if (o.hasValue()) {
                b.structural(eq(term, constant(o.getValue())));
            } else if (NgsiLdVocabulary.HAS_OBJECT.equals(p)) {
                // the related entity must exist, as in the reference (entities_view join)
                b.structural(eq(term, entityReference(b, o.getName())));
            } else {
                bindVariable(b, o.getName(), term);
            }
        }
    }

    private static String attributeType(String nodePredicate) {
        return switch (nodePredicate) {
            case NgsiLdVocabulary.HAS_VALUE -> PROPERTY;
            case NgsiLdVocabulary.HAS_OBJECT -> RELATIONSHIP;
            case NgsiLdVocabulary.HAS_VALUE_LIST -> LIST_PROPERTY;
            case NgsiLdVocabulary.HAS_JSON -> JSON_PROPERTY;
            default -> null;
        };
    }

    /**
     * Plans the attribute instances of one group graph pattern (its triples, BINDs and FILTERs, and the left side of
     * its OPTIONALs; not the OPTIONAL and EXISTS bodies, which are groups of their own).
     *
     * <p>As in the reference, the blank-node patterns {@code ?s <attr> [ … ]} with the same subject and attribute are
     * one attribute instance (one row: {@code [ngsi-ld:hasValue ?v]} and {@code [ngsi-ld:observedAt ?t]} are the
     * value and the time of the same instance, also in the history). Patterns that name different
     * {@code ngsi-ld:datasetId} variables or constants are different instances; a pattern without a datasetId next
     * to them is ambiguous and rejected. A named node variable ({@code ?s <attr> ?n}) is an instance of its own.
     */
    private Map<String, SelectBuilder.AttributeInstance> planInstances(TupleExpr group) {
        List<StatementPattern> triples = new ArrayList<>();
        collectGroupTriples(group, triples);
        Map<String, List<StatementPattern>> nodeTriples = nodeTriples(triples);
        // (subject, attribute) -> blank node -> datasetId key (null: none named)
        Map<String, Map<String, String>> blankNodes = new LinkedHashMap<>();
        Map<String, String> attributeOf = new HashMap<>();
        Map<String, SelectBuilder.AttributeInstance> result = new LinkedHashMap<>();
        for (StatementPattern sp : triples) {
            if (!isAttributeTriple(sp, nodeTriples, false)) {
                continue;
            }
            String p = constantIri(sp.getPredicateVar());
            Var o = sp.getObjectVar();
            List<StatementPattern> nodes = nodeTriples.getOrDefault(o.getName(), List.of());
            boolean history = nodes.stream().anyMatch(n -> !n.getObjectVar().hasValue()
                    && historyVariables.contains(n.getObjectVar().getName()));
            if (!o.isAnonymous()) {
                SelectBuilder.AttributeInstance own = new SelectBuilder.AttributeInstance("node ?" + o.getName(),
                        history || result.containsKey(o.getName()) && result.get(o.getName()).history(), sp);
                result.put(o.getName(), own);
                continue;
            }
            Var s = sp.getSubjectVar();
            String key = (s.hasValue() ? "<" + s.getValue().stringValue() + ">" : "?" + s.getName()) + " <" + p + ">";
            String datasetId = null;
            for (StatementPattern node : nodes) {
                if (NgsiLdVocabulary.DATASET_ID.equals(constantIri(node.getPredicateVar()))) {
                    Var d = node.getObjectVar();
                    datasetId = d.hasValue() ? "<" + d.getValue().stringValue() + ">" : "?" + d.getName();
                }
            }
            blankNodes.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(o.getName(), datasetId);
            attributeOf.put(key, p);
            result.put(o.getName(), new SelectBuilder.AttributeInstance(key, history, sp));
        }
        for (Map.Entry<String, Map<String, String>> e : blankNodes.entrySet()) {
            Set<String> named = new java.util.TreeSet<>();
            e.getValue().values().stream().filter(java.util.Objects::nonNull).forEach(named::add);
            if (named.size() > 1) {
                if (e.getValue().containsValue(null)) {
                    throw new UnsupportedSparqlException("<" + attributeOf.get(e.getKey()) + "> of " + e.getKey()
                            .substring(0, e.getKey().indexOf(' ')) + " has instances with the datasetIds " + named
                            + " and a pattern without ngsi-ld:datasetId; say which instance it belongs to",
                            "<" + attributeOf.get(e.getKey()) + ">");
                }
                e.getValue().forEach((node, datasetId) -> result.put(node, new SelectBuilder.AttributeInstance(
                        e.getKey() + " " + datasetId, result.get(node).history(), result.get(node).pattern())));
            }
        }
        // an instance reads the history when any of its patterns does: one table for all of them
        Map<String, Boolean> history = new HashMap<>();
        result.values().forEach(i -> history.merge(i.id(), i.history(), Boolean::logicalOr));
        result.replaceAll((node, i) -> new SelectBuilder.AttributeInstance(i.id(), history.get(i.id()), i.pattern()));
        return result;
    }

    /** The triple patterns of one group graph pattern, without the bodies of OPTIONAL and EXISTS. */
    private static void collectGroupTriples(TupleExpr expr, List<StatementPattern> triples) {
        if (expr instanceof StatementPattern || expr instanceof ArbitraryLengthPath) {
            try {
                collectTriples(expr, triples);
            } catch (UnsupportedSparqlException e) {
                // reported where the pattern is translated
            }
        } else if (expr instanceof Join join) {
            collectGroupTriples(join.getLeftArg(), triples);
            collectGroupTriples(join.getRightArg(), triples);
        } else if (expr instanceof LeftJoin leftJoin) {
            collectGroupTriples(leftJoin.getLeftArg(), triples);
        } else if (expr instanceof org.eclipse.rdf4j.query.algebra.UnaryTupleOperator unary
                && (expr instanceof Filter || expr instanceof Extension || expr instanceof Group
                        || expr instanceof Order)) {
            collectGroupTriples(unary.getArg(), triples);
        }
    }

    private SqlTerm attributeValue(String a, String attribute) {
        return switch (catalog.valueKind(attribute)) {
            case IRI -> SqlTerm.column(a, "attributeValue", TermForm.IRI);
            case LITERAL -> SqlTerm.column(a, "attributeValue", TermForm.LITERAL);
            case UNKNOWN -> new SqlTerm(a + ".attributeValue", TermForm.NODE, a + ".nodeType", null, Set.of(a),
                    false);
        };
    }

    /** {@code ?e rdf:type <C>} / {@code ?e rdf:type ?t} on an entity: its NGSI-LD type (exact, no subclasses). */
    private void entityType(StatementPattern sp, SelectBuilder b) {
        String entity = entityTable(b, sp.getSubjectVar().getName());
        SqlTerm type = SqlTerm.column(entity, "type", TermForm.IRI);
        Var o = sp.getObjectVar();
        if (o.hasValue()) {
            b.structural(eq(type, constant(o.getValue())));
        } else {
            bindVariable(b, o.getName(), type);
        }
    }

    /** Any other triple reads the knowledge table. */
    private void knowledge(StatementPattern sp, SelectBuilder b) {
        String k = alias("K");
        b.addTable(k, quoted(tables.rdf()));
        position(b, sp.getSubjectVar(), SqlTerm.column(k, "subject", TermForm.TERM));
        position(b, sp.getPredicateVar(), SqlTerm.column(k, "predicate", TermForm.TERM));
        position(b, sp.getObjectVar(), SqlTerm.column(k, "object", TermForm.TERM));
    }

    private void position(SelectBuilder b, Var var, SqlTerm column) {
        if (var.hasValue()) {
            b.structural(eq(column, constant(var.getValue())));
        } else {
            bindVariable(b, var.getName(), column);
        }
    }

    /** The entity id of {@code var}: its existing binding when it is an IRI, else a new entities_view table. */
    private SqlTerm entityReference(SelectBuilder b, String var) {
        String local = b.entityAlias(var);
        if (local != null) {
            return SqlTerm.column(local, "id", TermForm.IRI);
        }
        SqlTerm bound = b.lookup(var);
        if (bound != null && bound.form() == TermForm.IRI && !bound.aggregate()) {
            return bound;
        }
        return SqlTerm.column(entityTable(b, var), "id", TermForm.IRI);
    }

    /** The entities_view alias of {@code var} in this builder, created (and unified) on first use. */
    private String entityTable(SelectBuilder b, String var) {
        String existing = b.entityAlias(var);
        if (existing != null) {
            return existing;
        }
        String e = alias("E");
        b.addTable(e, quoted(tables.entitiesView()));
        b.entityAlias(var, e);
        bindVariable(b, var, SqlTerm.column(e, "id", TermForm.IRI));
        return e;
    }

    /** Binds a variable; a second binding (here or in an enclosing query) becomes an equality condition. */
    private void bindVariable(SelectBuilder b, String var, SqlTerm term) {
        SqlTerm local = b.lookupLocal(var);
        if (local != null) {
            if (local.sql().equals(term.sql())) {
                return;
            }
            SqlTerm same = eq(local, term);
            if (same.aggregate()) {
                b.filter(same);
            } else {
                b.structural(same);
            }
            return;
        }
        SqlTerm outer = b.outer() == null ? null : b.outer().lookup(var);
        b.put(var, term);
        if (outer != null) {
            b.structural(eq(term, outer));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // OPTIONAL, GROUP BY

    private void optional(LeftJoin leftJoin, SelectBuilder b) {
        pattern(leftJoin.getLeftArg(), b);
        SelectBuilder right = new SelectBuilder(b.outer());
        pattern(leftJoin.getRightArg(), right);
        String o = alias("O");
        List<String> columns = new ArrayList<>();
        List<String> on = new ArrayList<>();
        Map<String, SqlTerm> added = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, SqlTerm> binding : right.bindings().entrySet()) {
            SqlTerm term = binding.getValue().form() == TermForm.NODE ? binding.getValue().asTerm()
                    : binding.getValue();
            String column = "v" + (n++);
            columns.add(term.sql() + " AS " + column);
            SqlTerm exported = SqlTerm.column(o, column, term.form());
            SqlTerm existing = b.lookup(binding.getKey());
            if (existing != null) {
                on.add(eq(existing, exported).sql());
            } else {
                added.put(binding.getKey(), exported);
            }
        }
        if (on.isEmpty()) {
            throw new UnsupportedSparqlException("an OPTIONAL group must share a variable with the patterns before it",
                    "OPTIONAL");
        }
        if (leftJoin.hasCondition()) {
            SelectBuilder scope = new SelectBuilder(b);
            added.forEach(scope::put);
            on.add(expression(leftJoin.getCondition(), scope).asBoolean().sql());
        }
        b.addLeftJoin(o, "(" + right.render(columns, true) + ")", on);
        added.forEach(b::put);
    }

    private void group(Group group, SelectBuilder b) {
        pattern(group.getArg(), b);
        List<SqlTerm> keys = new ArrayList<>();
        SqlTerm focus = b.lookup(THIS);
        if (focus != null) {
            keys.add(focus);
        }
        for (String name : group.getGroupBindingNames()) {
            SqlTerm key = b.lookup(name);
            if (key == null) {
                throw new UnsupportedSparqlException("GROUP BY variable ?" + name + " is not bound", "GROUP");
            }
            keys.add(key);
        }
        b.groupBy(keys);
        for (GroupElem elem : group.getGroupElements()) {
            b.put(elem.getName(), aggregate(elem.getOperator(), b));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // expressions

    /** Translates a value expression in the scope of {@code b}. */
    SqlTerm expression(ValueExpr expr, SelectBuilder b) {
        if (expr instanceof Var var) {
            if (var.hasValue()) {
                return constant(var.getValue());
            }
            SqlTerm bound = b.lookup(var.getName());
            return bound == null ? SqlTerm.unbound() : bound;
        }
        if (expr instanceof ValueConstant c) {
            return constant(c.getValue());
        }
        if (expr instanceof Compare compare) {
            return compare(compare.getOperator(), expression(compare.getLeftArg(), b),
                    expression(compare.getRightArg(), b));
        }
        if (expr instanceof SameTerm same) {
            return compare(Compare.CompareOp.EQ, expression(same.getLeftArg(), b), expression(same.getRightArg(), b));
        }
        if (expr instanceof And and) {
            return logical("AND", expression(and.getLeftArg(), b), expression(and.getRightArg(), b));
        }
        if (expr instanceof Or or) {
            return logical("OR", expression(or.getLeftArg(), b), expression(or.getRightArg(), b));
        }
        if (expr instanceof Not not) {
            SqlTerm arg = expression(not.getArg(), b).asBoolean();
            return SqlTerm.of("(NOT " + arg.sql() + ")", TermForm.BOOLEAN, List.of(arg));
        }
        if (expr instanceof Bound bound) {
            SqlTerm arg = expression(bound.getArg(), b);
            return SqlTerm.of("(" + arg.sql() + " IS NOT NULL)", TermForm.BOOLEAN, List.of(arg));
        }
        if (expr instanceof If cond) {
            SqlTerm c = expression(cond.getCondition(), b).asBoolean();
            List<SqlTerm> branches = unify(List.of(expression(cond.getResult(), b),
                    expression(cond.getAlternative(), b)));
            return SqlTerm.of("CASE WHEN " + c.sql() + " THEN " + branches.get(0).sql() + " ELSE "
                    + branches.get(1).sql() + " END", branches.get(0).form(), List.of(c, branches.get(0),
                    branches.get(1)));
        }
        if (expr instanceof Coalesce coalesce) {
            List<SqlTerm> args = new ArrayList<>();
            for (ValueExpr arg : coalesce.getArguments()) {
                args.add(expression(arg, b));
            }
            List<SqlTerm> unified = unify(args);
            List<String> sql = new ArrayList<>();
            unified.forEach(t -> sql.add(t.sql()));
            return SqlTerm.of("COALESCE(" + String.join(", ", sql) + ")", unified.get(0).form(), unified);
        }
        if (expr instanceof MathExpr math) {
            return arithmetic(math.getOperator(), expression(math.getLeftArg(), b), expression(math.getRightArg(), b));
        }
        if (expr instanceof Str str) {
            return expression(str.getArg(), b).asLexical();
        }
        if (expr instanceof IsURI isIri) {
            return isIri(expression(isIri.getArg(), b), true);
        }
        if (expr instanceof IsLiteral isLiteral) {
            return isIri(expression(isLiteral.getArg(), b), false);
        }
        if (expr instanceof Regex regex) {
            return regex(regex, b);
        }
        if (expr instanceof ListMemberOperator in) {
            List<ValueExpr> args = in.getArguments();
            SqlTerm left = expression(args.get(0), b);
            List<SqlTerm> alternatives = new ArrayList<>();
            List<String> sql = new ArrayList<>();
            for (ValueExpr arg : args.subList(1, args.size())) {
                SqlTerm eq = compare(Compare.CompareOp.EQ, left, expression(arg, b));
                alternatives.add(eq);
                sql.add(eq.sql());
            }
            return SqlTerm.of("(" + String.join(" OR ", sql) + ")", TermForm.BOOLEAN, alternatives);
        }
        if (expr instanceof Exists exists) {
            SelectBuilder sub = new SelectBuilder(b);
            pattern(exists.getSubQuery(), sub);
            return SqlTerm.constant("EXISTS (" + sub.render(List.of("1"), false) + ")", TermForm.BOOLEAN, null);
        }
        if (expr instanceof FunctionCall call) {
            return function(call, b);
        }
        if (expr instanceof AggregateOperator aggregate) {
            return aggregate(aggregate, b);
        }
        throw new UnsupportedSparqlException(expr.getSignature() + " is not supported", keywordOf(expr));
    }

    /** The SPARQL keyword of an unsupported built-in, to point the error at it. */
    private static String keywordOf(ValueExpr expr) {
        String name = expr.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
        return switch (name) {
            case "IRIFUNCTION" -> "IRI";
            case "LANG", "DATATYPE", "LANGMATCHES", "ISBNODE", "ISNUMERIC" -> name;
            default -> null;
        };
    }

    private SqlTerm compare(Compare.CompareOp op, SqlTerm a, SqlTerm b) {
        String sqlOp = switch (op) {
            case EQ -> "=";
            case NE -> "<>";
            case LT -> "<";
            case LE -> "<=";
            case GT -> ">";
            case GE -> ">=";
        };
        boolean equality = op == Compare.CompareOp.EQ || op == Compare.CompareOp.NE;
        SqlTerm x;
        SqlTerm y;
        if (a.form() == TermForm.EPOCH_MS || b.form() == TermForm.EPOCH_MS) {
            x = a.asEpochMillis();
            y = b.asEpochMillis();
        } else if (a.form().isNumeric() || b.form().isNumeric()) {
            x = a.asNumber();
            y = b.asNumber();
        } else if (a.form() == TermForm.BOOLEAN || b.form() == TermForm.BOOLEAN) {
            x = a.asBoolean();
            y = b.asBoolean();
        } else if (equality) {
            boolean term = a.form() == TermForm.TERM || b.form() == TermForm.TERM;
            x = term ? a.asTerm() : a.asLexical();
            y = term ? b.asTerm() : b.asLexical();
        } else {
            // two plain values: numerically when both read as numbers (typed literals in SPARQL), else as strings
            x = a.asLexical();
            y = b.asLexical();
            String nx = "TRY_CAST(" + x.sql() + " AS DOUBLE)";
            String ny = "TRY_CAST(" + y.sql() + " AS DOUBLE)";
            return SqlTerm.of("(CASE WHEN " + nx + " IS NOT NULL AND " + ny + " IS NOT NULL THEN " + nx + " " + sqlOp
                    + " " + ny + " ELSE " + x.sql() + " " + sqlOp + " " + y.sql() + " END)", TermForm.BOOLEAN,
                    List.of(x, y));
        }
        return SqlTerm.of("(" + x.sql() + " " + sqlOp + " " + y.sql() + ")", TermForm.BOOLEAN, List.of(x, y));
    }

    private SqlTerm eq(SqlTerm a, SqlTerm b) {
        return compare(Compare.CompareOp.EQ, a, b);
    }

    private static SqlTerm condition(String sql, String alias) {
        return new SqlTerm(sql, TermForm.BOOLEAN, null, null, Set.of(alias), false);
    }

    private static SqlTerm logical(String op, SqlTerm a, SqlTerm b) {
        SqlTerm x = a.asBoolean();
        SqlTerm y = b.asBoolean();
        return SqlTerm.of("(" + x.sql() + " " + op + " " + y.sql() + ")", TermForm.BOOLEAN, List.of(x, y));
    }

    private static SqlTerm arithmetic(MathExpr.MathOp op, SqlTerm a, SqlTerm b) {
        SqlTerm x = a.asNumber();
        SqlTerm y = b.asNumber();
        boolean integral = x.form() != TermForm.DOUBLE && y.form() != TermForm.DOUBLE;
        return switch (op) {
            case PLUS -> SqlTerm.of("(" + x.sql() + " + " + y.sql() + ")", integral ? TermForm.INTEGER
                    : TermForm.DOUBLE, List.of(x, y));
            case MINUS -> SqlTerm.of("(" + x.sql() + " - " + y.sql() + ")", integral ? TermForm.INTEGER
                    : TermForm.DOUBLE, List.of(x, y));
            case MULTIPLY -> SqlTerm.of("(" + x.sql() + " * " + y.sql() + ")", integral ? TermForm.INTEGER
                    : TermForm.DOUBLE, List.of(x, y));
            case DIVIDE -> SqlTerm.of("(CAST(" + x.sql() + " AS DOUBLE) / " + y.sql() + ")", TermForm.DOUBLE,
                    List.of(x, y));
        };
    }

    /** Brings the branches of IF / COALESCE to one form; unbound (NULL) branches take the others' form. */
    private static List<SqlTerm> unify(List<SqlTerm> terms) {
        Set<TermForm> forms = new HashSet<>();
        for (SqlTerm t : terms) {
            if (!isNull(t)) {
                forms.add(t.form());
            }
        }
        TermForm target;
        if (forms.isEmpty()) {
            return terms;
        } else if (forms.size() == 1 && !forms.contains(TermForm.NODE)) {
            target = forms.iterator().next();
        } else if (forms.stream().allMatch(TermForm::isNumeric)) {
            target = forms.contains(TermForm.DOUBLE) ? TermForm.DOUBLE : TermForm.INTEGER;
        } else if (forms.stream().allMatch(TermForm::isString)
                && (forms.contains(TermForm.TERM) || forms.contains(TermForm.NODE) || forms.contains(TermForm.IRI))) {
            target = TermForm.TERM;
        } else {
            target = TermForm.LITERAL;
        }
        List<SqlTerm> result = new ArrayList<>();
        for (SqlTerm t : terms) {
            if (isNull(t)) {
                result.add(SqlTerm.constant("CAST(NULL AS " + sqlType(target) + ")", target, null));
                continue;
            }
            result.add(switch (target) {
                case TERM -> t.asTerm();
                case LITERAL -> t.asLexical();
                case DOUBLE -> t.asDouble();
                case INTEGER -> t.asInteger();
                default -> t;
            });
        }
        return result;
    }

    private static boolean isNull(SqlTerm t) {
        return t.aliases().isEmpty() && t.sql().startsWith("CAST(NULL AS");
    }

    private static String sqlType(TermForm form) {
        return switch (form) {
            case INTEGER, EPOCH_MS -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            default -> "STRING";
        };
    }

    private static SqlTerm isIri(SqlTerm t, boolean iri) {
        String test = switch (t.form()) {
            case IRI -> "TRUE";
            case NODE -> t.nodeType() + " = '@id'";
            case TERM -> t.sql() + " LIKE '<%>'";
            default -> "FALSE";
        };
        String sql = "(" + t.sql() + " IS NOT NULL AND " + (iri ? test : "NOT (" + test + ")") + ")";
        return SqlTerm.of(sql, TermForm.BOOLEAN, List.of(t));
    }

    private SqlTerm regex(Regex regex, SelectBuilder b) {
        SqlTerm text = expression(regex.getArg(), b).asLexical();
        String flags = "";
        if (regex.getFlagsArg() != null) {
            if (!(regex.getFlagsArg() instanceof ValueConstant f)) {
                throw new UnsupportedSparqlException("REGEX flags must be a constant", "REGEX");
            }
            for (char c : f.getValue().stringValue().toCharArray()) {
                if ("imsx".indexOf(c) < 0) {
                    throw new UnsupportedSparqlException("REGEX flag '" + c + "' is not supported", "REGEX");
                }
            }
            flags = f.getValue().stringValue().isEmpty() ? "" : "(?" + f.getValue().stringValue() + ")";
        }
        SqlTerm pattern;
        if (regex.getPatternArg() instanceof ValueConstant p) {
            pattern = SqlTerm.constant(SqlLiterals.string(flags + p.getValue().stringValue()), TermForm.LITERAL, null);
        } else {
            SqlTerm p = expression(regex.getPatternArg(), b).asLexical();
            pattern = SqlTerm.of(SqlLiterals.string(flags) + " || " + p.sql(), TermForm.LITERAL, List.of(p));
        }
        return SqlTerm.of("REGEXP(" + text.sql() + ", " + pattern.sql() + ")", TermForm.BOOLEAN,
                List.of(text, pattern));
    }

    private SqlTerm function(FunctionCall call, SelectBuilder b) {
        String uri = call.getURI();
        List<SqlTerm> args = new ArrayList<>();
        for (ValueExpr arg : call.getArgs()) {
            args.add(expression(arg, b));
        }
        if (uri.startsWith(XSD)) {
            requireArity(call, args, 1);
            SqlTerm x = args.get(0);
            return switch (uri.substring(XSD.length())) {
                case "integer", "int", "long", "short", "byte" -> x.asInteger();
                case "decimal", "double", "float" -> x.asDouble();
                case "string" -> x.asLexical();
                case "dateTime" -> x.asEpochMillis();
                case "boolean" -> {
                    SqlTerm lexical = x.form() == TermForm.BOOLEAN ? x : x.asLexical();
                    yield x.form() == TermForm.BOOLEAN ? x : SqlTerm.of("CASE WHEN LOWER(" + lexical.sql()
                            + ") IN ('true', '1') THEN TRUE WHEN LOWER(" + lexical.sql()
                            + ") IN ('false', '0') THEN FALSE END", TermForm.BOOLEAN, List.of(lexical));
                }
                default -> throw new UnsupportedSparqlException("cast to xsd:" + uri.substring(XSD.length())
                        + " is not supported", uri.substring(XSD.length()));
            };
        }
        if (uri.equals("NOW")) {
            return SqlTerm.constant(SqlTerm.epochMillisOfTimestamp("CURRENT_TIMESTAMP"), TermForm.EPOCH_MS, null);
        }
        if (uri.equals(FUNCTIONS_NS + "hash")) {
            requireArity(call, args, 1);
            SqlTerm x = args.get(0);
            SqlTerm arg = x.form() == TermForm.INTEGER || x.form() == TermForm.DOUBLE
                    || x.form() == TermForm.BOOLEAN || x.form() == TermForm.EPOCH_MS ? x : x.asLexical();
            return SqlTerm.of("`hash`(" + arg.sql() + ")", TermForm.INTEGER, List.of(arg));
        }
        if (uri.equals(AGGREGATORS_NS + "statetime")) {
            requireArity(call, args, 2);
            SqlTerm state = args.get(0).asInteger();
            SqlTerm time = args.get(1).asEpochMillis();
            return SqlTerm.of("`statetime`(CAST(" + state.sql() + " AS INT), " + time.sql() + ")", TermForm.INTEGER,
                    List.of(state, time)).withAggregate();
        }
        if (uri.startsWith(FN)) {
            return xpathFunction(call, uri.substring(FN.length()), args);
        }
        throw new UnsupportedSparqlException("function <" + uri + "> is not supported (available: "
                + FUNCTIONS_NS + "hash, " + AGGREGATORS_NS + "statetime, casts, NOW and the string and numeric "
                + "functions listed in docs/semantics.md)", "<" + uri + ">");
    }

    private SqlTerm xpathFunction(FunctionCall call, String name, List<SqlTerm> args) {
        switch (name) {
            case "string-length" -> {
                requireArity(call, args, 1);
                SqlTerm x = args.get(0).asLexical();
                return SqlTerm.of("CAST(CHAR_LENGTH(" + x.sql() + ") AS BIGINT)", TermForm.INTEGER, List.of(x));
            }
            case "upper-case", "lower-case" -> {
                requireArity(call, args, 1);
                SqlTerm x = args.get(0).asLexical();
                return SqlTerm.of((name.startsWith("upper") ? "UPPER(" : "LOWER(") + x.sql() + ")",
                        TermForm.LITERAL, List.of(x));
            }
            case "contains", "starts-with", "ends-with" -> {
                requireArity(call, args, 2);
                SqlTerm x = args.get(0).asLexical();
                SqlTerm y = args.get(1).asLexical();
                String sql = switch (name) {
                    case "contains" -> "(POSITION(" + y.sql() + " IN " + x.sql() + ") > 0)";
                    case "starts-with" -> "(SUBSTRING(" + x.sql() + " FROM 1 FOR CHAR_LENGTH(" + y.sql() + ")) = "
                            + y.sql() + ")";
                    default -> "(CHAR_LENGTH(" + x.sql() + ") >= CHAR_LENGTH(" + y.sql() + ") AND SUBSTRING("
                            + x.sql() + " FROM CHAR_LENGTH(" + x.sql() + ") - CHAR_LENGTH(" + y.sql()
                            + ") + 1) = " + y.sql() + ")";
                };
                return SqlTerm.of(sql, TermForm.BOOLEAN, List.of(x, y));
            }
            case "concat" -> {
                List<SqlTerm> parts = new ArrayList<>();
                List<String> sql = new ArrayList<>();
                for (SqlTerm arg : args) {
                    SqlTerm lexical = arg.asLexical();
                    parts.add(lexical);
                    sql.add(lexical.sql());
                }
                return SqlTerm.of("(" + (sql.isEmpty() ? "''" : String.join(" || ", sql)) + ")", TermForm.LITERAL,
                        parts);
            }
            case "numeric-abs", "numeric-ceil", "numeric-floor", "numeric-round" -> {
                requireArity(call, args, 1);
                SqlTerm x = args.get(0).asNumber();
                String fn = switch (name) {
                    case "numeric-abs" -> "ABS";
                    case "numeric-ceil" -> "CEIL";
                    case "numeric-floor" -> "FLOOR";
                    default -> "ROUND";
                };
                return SqlTerm.of(fn + "(" + x.sql() + ")", x.form() == TermForm.DOUBLE ? TermForm.DOUBLE
                        : TermForm.INTEGER, List.of(x));
            }
            default -> throw new UnsupportedSparqlException("function fn:" + name + " is not supported",
                    functionKeyword(name));
        }
    }

    private static String functionKeyword(String xpathName) {
        return switch (xpathName) {
            case "substring" -> "SUBSTR";
            case "replace" -> "REPLACE";
            case "encode-for-uri" -> "ENCODE_FOR_URI";
            case "year-from-dateTime" -> "YEAR";
            case "month-from-dateTime" -> "MONTH";
            case "day-from-dateTime" -> "DAY";
            case "hours-from-dateTime" -> "HOURS";
            case "minutes-from-dateTime" -> "MINUTES";
            case "seconds-from-dateTime" -> "SECONDS";
            default -> null;
        };
    }

    private static void requireArity(FunctionCall call, List<SqlTerm> args, int arity) {
        if (args.size() != arity) {
            throw new UnsupportedSparqlException("function <" + call.getURI() + "> takes " + arity
                    + " argument(s), got " + args.size(), null);
        }
    }

    private SqlTerm aggregate(AggregateOperator operator, SelectBuilder b) {
        String distinct = operator.isDistinct() ? "DISTINCT " : "";
        ValueExpr argExpr = operator instanceof org.eclipse.rdf4j.query.algebra.AbstractAggregateOperator abstractOp
                ? abstractOp.getArg() : null;
        if (operator instanceof Count) {
            if (argExpr == null) {
                return SqlTerm.of("COUNT(*)", TermForm.INTEGER, List.of()).withAggregate();
            }
            SqlTerm x = expression(argExpr, b).asLexical();
            return SqlTerm.of("COUNT(" + distinct + x.sql() + ")", TermForm.INTEGER, List.of(x)).withAggregate();
        }
        SqlTerm arg = expression(argExpr, b);
        if (operator instanceof Sum) {
            SqlTerm x = arg.asNumber();
            return SqlTerm.of("SUM(" + distinct + x.sql() + ")", x.form() == TermForm.DOUBLE ? TermForm.DOUBLE
                    : TermForm.INTEGER, List.of(x)).withAggregate();
        }
        if (operator instanceof Avg) {
            SqlTerm x = arg.asDouble();
            return SqlTerm.of("AVG(" + distinct + x.sql() + ")", TermForm.DOUBLE, List.of(x)).withAggregate();
        }
        if (operator instanceof Min || operator instanceof Max || operator instanceof Sample) {
            String fn = operator instanceof Max ? "MAX" : "MIN";
            SqlTerm x = arg.form().isNumeric() || arg.form() == TermForm.TERM || arg.form() == TermForm.IRI
                    || arg.form() == TermForm.LITERAL ? arg : arg.asTerm();
            return SqlTerm.of(fn + "(" + x.sql() + ")", x.form(), List.of(x)).withAggregate();
        }
        if (operator instanceof GroupConcat concat) {
            String separator = " ";
            if (concat.getSeparator() != null) {
                if (!(concat.getSeparator() instanceof ValueConstant sep)) {
                    throw new UnsupportedSparqlException("GROUP_CONCAT separator must be a constant", "GROUP_CONCAT");
                }
                separator = sep.getValue().stringValue();
            }
            SqlTerm x = arg.asLexical();
            return SqlTerm.of("LISTAGG(" + distinct + x.sql() + ", " + SqlLiterals.string(separator) + ")",
                    TermForm.LITERAL, List.of(x)).withAggregate();
        }
        throw new UnsupportedSparqlException(operator.getSignature() + " is not supported", null);
    }

    // ---------------------------------------------------------------------------------------------------------
    // constants

    /** A constant IRI or literal. */
    static SqlTerm constant(Value value) {
        if (value instanceof IRI iri) {
            return SqlTerm.constant(SqlLiterals.string(iri.stringValue()), TermForm.IRI,
                    SqlLiterals.string("<" + iri.stringValue() + ">"));
        }
        if (!(value instanceof Literal literal)) {
            throw new UnsupportedSparqlException("blank nodes cannot be used as constants", "_:");
        }
        String datatype = literal.getDatatype().stringValue();
        String label = literal.getLabel();
        if (SqlTerm.isNumericDatatype(datatype)) {
            String local = datatype.substring(XSD.length());
            boolean decimal = local.equals("decimal") || local.equals("double") || local.equals("float");
            try {
                if (!decimal) {
                    BigInteger integer = new BigInteger(label.trim());
                    if (integer.bitLength() < 64) {
                        return SqlTerm.constant("CAST(" + integer + " AS BIGINT)", TermForm.INTEGER,
                                SqlLiterals.string(integer.toString()));
                    }
                }
                double d = Double.parseDouble(label.trim());
                String encoded = local.equals("decimal") ? label.trim() : Double.toString(d);
                return SqlTerm.constant("CAST(" + SqlLiterals.string(Double.toString(d)) + " AS DOUBLE)",
                        TermForm.DOUBLE, SqlLiterals.string(encoded));
            } catch (NumberFormatException e) {
                // an ill-typed numeric literal stays a plain literal, as SPARQL keeps it
            }
        }
        if (datatype.equals(XSD + "boolean")) {
            boolean b = label.trim().equals("true") || label.trim().equals("1");
            return SqlTerm.constant(b ? "TRUE" : "FALSE", TermForm.BOOLEAN,
                    SqlLiterals.string("\"" + label + "\""));
        }
        if (datatype.equals(XSD + "dateTime")) {
            Long millis = epochMillis(label.trim());
            if (millis != null) {
                return SqlTerm.constant("CAST(" + millis + " AS BIGINT)", TermForm.EPOCH_MS,
                        SqlLiterals.string("\"" + label + "\""));
            }
        }
        return SqlTerm.constant(SqlLiterals.string(label), TermForm.LITERAL, SqlLiterals.string("\"" + label + "\""));
    }

    private static Long epochMillis(String lexical) {
        try {
            return OffsetDateTime.parse(lexical).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(lexical).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String constantIri(Var var) {
        return var.hasValue() && var.getValue() instanceof IRI iri ? iri.stringValue() : null;
    }

    /** Table names are validated by {@link TableNames} ({@code [A-Za-z0-9_]*} prefix + fixed base name). */
    static String quoted(String table) {
        return "`" + table + "`";
    }

    private String alias(String prefix) {
        return prefix + (++aliasCounter);
    }
}
