package io.flinkjobrunner.shacl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.vocabulary.OWL;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.eclipse.rdf4j.model.vocabulary.SHACL;

import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.rdf.SourcePosition;
import io.flinkjobrunner.rdf.TurtleReader;

/**
 * Checks that a shapes graph is well-formed SHACL before anything validates or compiles with it.
 *
 * <p>Two halves, because RDF4J's ShaclSail cannot evaluate everything the W3C "SHACL for SHACL" graph (SHACL Appendix
 * C) uses:
 * <ul>
 *   <li>ShaclSail validates the shapes graph against {@code shacl-shacl.ttl}, a rule-per-shape rewrite of Appendix C
 *       (datatypes, node kinds and counts of every parameter, node-shape vs property-shape scope);</li>
 *   <li>Java checks what needs recursion or is not expressible in SHACL: SHACL lists ({@code sh:in}, {@code sh:or},
 *       ...), property paths (SHACL 2.3.1), {@code sh:pattern}/{@code sh:flags} as regular expressions (syntax rule
 *       pattern-regex, which Appendix C leaves unimplemented), recursive shapes (SHACL 3.4.3), unknown terms in the
 *       {@code sh:} namespace (typos SHACL processors silently ignore) and shapes that can never apply.</li>
 * </ul>
 * The Java side also materialises the helper triples {@code shacl-shacl.ttl} uses in place of Appendix C's
 * {@code rdf:rest*} paths and target declarations (see that file's header).
 */
public final class ShapesGraphChecker {

    static final String NS = "https://flinkjobrunner.io/ns/shacl-shacl#";

    private static final ValueFactory VALUES = SimpleValueFactory.getInstance();
    private static final IRI SHAPE = VALUES.createIRI(NS, "shape");
    private static final IRI LANGUAGE_IN_MEMBER = VALUES.createIRI(NS, "languageInMember");
    private static final IRI IGNORED_PROPERTIES_MEMBER = VALUES.createIRI(NS, "ignoredPropertiesMember");
    private static final IRI UNTYPED_NODE_SHAPE = VALUES.createIRI(NS, "untypedNodeShape");

    /** Helper predicates shown to users as the SHACL parameter they stand for. */
    private static final Map<IRI, IRI> HELPER_PARAMETERS = Map.of(LANGUAGE_IN_MEMBER, SHACL.LANGUAGE_IN,
            IGNORED_PROPERTIES_MEMBER, SHACL.IGNORED_PROPERTIES);

    /** Rules whose focus node is the value of a parameter, not the shape. */
    private static final Map<String, IRI> OBJECT_RULES = Map.of("shapesGraph-nodeKind", SHACL.SHAPES_GRAPH,
            "entailment-nodeKind", VALUES.createIRI(SHACL.NAMESPACE, "entailment"));

    private static final String XPATH_FLAGS = "smixq";

    private static final Model SHACL_FOR_SHACL = load();

    private ShapesGraphChecker() {
    }

    private static Model load() {
        String resource = "shacl-shacl.ttl";
        try (InputStream in = ShapesGraphChecker.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return TurtleReader.read(in, resource, io.flinkjobrunner.rdf.TurtleLimits.DEFAULT).model();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks a shapes graph without source positions (problems are located at "shapes"). */
    public static List<ShapesGraphProblem> check(Model shapes) {
        return check(new RdfDocument("shapes", shapes, Map.of()));
    }

    /** Checks a parsed shapes document; problems carry {@code file:line:column} of the shape concerned. */
    public static List<ShapesGraphProblem> check(RdfDocument shapes) {
        return new Run(new ShapeGraph(shapes)).problems();
    }

    /** True if none of {@code problems} is a {@link Severity#VIOLATION}, i.e. the shapes graph is usable. */
    public static boolean wellFormed(List<ShapesGraphProblem> problems) {
        return problems.stream().noneMatch(p -> p.severity() == Severity.VIOLATION);
    }

    /**
     * Why a shapes graph with {@code problems} cannot be used, naming {@code file}, the count of violations and the
     * first; empty when it is {@link #wellFormed}. The one wording of the service's check-shapes step and the CLI.
     */
    public static Optional<String> refusal(List<ShapesGraphProblem> problems, String file) {
        List<ShapesGraphProblem> violations = problems.stream().filter(p -> p.severity() == Severity.VIOLATION)
                .toList();
        if (violations.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(file + " is not a well-formed SHACL shapes graph (" + violations.size()
                + (violations.size() == 1 ? " problem" : " problems") + "); first: " + violations.get(0));
    }

    /** One check of one shapes graph. */
    private static final class Run {

        private final ShapeGraph graph;
        private final Model model;
        private final Model helpers = new LinkedHashModel();
        private final Map<ShapesGraphProblem, SourcePosition> found = new LinkedHashMap<>();

        Run(ShapeGraph graph) {
            this.graph = graph;
            this.model = graph.model();
        }

        List<ShapesGraphProblem> problems() {
            checkLists();
            checkPaths();
            checkPatterns();
            markShapes();
            checkRecursion();
            checkUnknownTerms();
            checkShapesWithoutTarget();
            runShaclForShacl();
            Comparator<Map.Entry<ShapesGraphProblem, SourcePosition>> order = Comparator
                    .comparing((Map.Entry<ShapesGraphProblem, SourcePosition> e) -> e.getValue())
                    .thenComparing(e -> e.getKey().severity())
                    .thenComparing(e -> e.getKey().rule())
                    .thenComparing(e -> e.getKey().message());
            return found.entrySet().stream().sorted(order).map(Map.Entry::getKey).toList();
        }

        private void report(Value node, IRI predicate, String rule, Severity severity, String message) {
            Value anchor = node;
            ShapesGraphProblem problem = new ShapesGraphProblem(graph.label(anchor), graph.name(predicate), message,
                    severity, rule, graph.locate(anchor));
            found.putIfAbsent(problem, sortPosition(problem.location()));
        }

        private static SourcePosition sortPosition(String location) {
            String[] parts = location.split(":");
            try {
                if (parts.length >= 3) {
                    return new SourcePosition(Long.parseLong(parts[parts.length - 2]),
                            Long.parseLong(parts[parts.length - 1]));
                }
            } catch (NumberFormatException e) {
                // a file name with colons and no position: sorted last
            }
            return new SourcePosition(Long.MAX_VALUE, 1);
        }

        /** SHACL lists: and-node, or-node, xone-node, in-node, languageIn-node, ignoredProperties-node. */
        private void checkLists() {
            Map<IRI, String> lists = new LinkedHashMap<>();
            lists.put(SHACL.AND, "4.6.2");
            lists.put(SHACL.OR, "4.6.3");
            lists.put(SHACL.XONE, "4.6.4");
            lists.put(SHACL.IN, "4.8.3");
            lists.put(SHACL.LANGUAGE_IN, "4.4.4");
            lists.put(SHACL.IGNORED_PROPERTIES, "4.8.1");
            lists.forEach((parameter, section) -> {
                for (Statement statement : model.filter(null, parameter, null)) {
                    Resource shape = statement.getSubject();
                    String name = graph.name(parameter);
                    List<Value> members;
                    try {
                        members = RdfLists.members(model, statement.getObject());
                    } catch (MalformedRdfException e) {
                        report(shape, parameter, parameter.getLocalName() + "-node", Severity.VIOLATION,
                                "the value of " + name + " must be a well-formed RDF list (SHACL " + section + "): "
                                        + e.getMessage());
                        continue;
                    }
                    for (Value member : members) {
                        materialise(shape, parameter, member, section);
                    }
                }
            });
        }

        private void materialise(Resource shape, IRI parameter, Value member, String section) {
            if (ShaclTerms.SHAPE_LISTS.contains(parameter)) {
                if (!(member instanceof Resource)) {
                    report(shape, parameter, parameter.getLocalName() + "-members-node", Severity.VIOLATION,
                            "members of " + graph.name(parameter) + " must be shapes (IRIs or blank nodes), found "
                                    + graph.display(member) + " (SHACL " + section + ")");
                }
            } else if (SHACL.LANGUAGE_IN.equals(parameter)) {
                helpers.add(shape, LANGUAGE_IN_MEMBER, member);
            } else if (SHACL.IGNORED_PROPERTIES.equals(parameter)) {
                helpers.add(shape, IGNORED_PROPERTIES_MEMBER, member);
            }
        }

        /** path-node, path-non-recursive (SHACL 2.3.1). */
        private void checkPaths() {
            for (Statement statement : model.filter(null, SHACL.PATH, null)) {
                try {
                    ShaclPath.fromRdf(model, statement.getObject());
                } catch (MalformedRdfException e) {
                    report(statement.getSubject(), SHACL.PATH, "path-node", Severity.VIOLATION,
                            "sh:path is not a well-formed SHACL property path: " + e.getMessage());
                }
            }
        }

        /** pattern-regex and the sh:flags alphabet (SHACL 4.4.3 defers both to SPARQL REGEX / XPath fn:matches). */
        private void checkPatterns() {
            for (Statement statement : model.filter(null, SHACL.PATTERN, null)) {
                if (!(statement.getObject() instanceof Literal pattern)) {
                    continue; // pattern-datatype reports it
                }
                Resource shape = statement.getSubject();
                int flags = 0;
                for (Value value : model.filter(shape, SHACL.FLAGS, null).objects()) {
                    if (!(value instanceof Literal literal)) {
                        continue; // flags-datatype reports it
                    }
                    for (char flag : literal.getLabel().toCharArray()) {
                        if (XPATH_FLAGS.indexOf(flag) < 0) {
                            report(shape, SHACL.FLAGS, "flags-valid", Severity.VIOLATION, "sh:flags may only contain"
                                    + " the regular-expression flags s, m, i, x and q (SHACL 4.4.3, XPath"
                                    + " fn:matches), found '" + flag + "'");
                        }
                    }
                    flags |= javaFlags(literal.getLabel());
                }
                try {
                    Pattern.compile(pattern.getLabel(), flags);
                } catch (PatternSyntaxException e) {
                    report(shape, SHACL.PATTERN, "pattern-regex", Severity.VIOLATION, "sh:pattern "
                            + graph.display(pattern) + " is not a valid regular expression: " + e.getDescription()
                            + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "") + " (SHACL 4.4.3)");
                }
            }
        }

        private static int javaFlags(String flags) {
            int result = 0;
            for (char flag : flags.toCharArray()) {
                result |= switch (flag) {
                    case 's' -> Pattern.DOTALL;
                    case 'm' -> Pattern.MULTILINE;
                    case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                    case 'x' -> Pattern.COMMENTS;
                    case 'q' -> Pattern.LITERAL;
                    default -> 0;
                };
            }
            return result;
        }

        /**
         * Marks every shape (SHACL 2.1) for fjrsh:ShapeShape, and the shapes without sh:path that nothing types as
         * node shapes (SHACL 2.2; replaces Appendix C's sh:xone of node shape and property shape).
         */
        private void markShapes() {
            Set<Value> propertyValues = model.filter(null, SHACL.PROPERTY, null).objects();
            for (Resource shape : graph.shapes()) {
                helpers.add(shape, SHAPE, VALUES.createLiteral(true));
                boolean typed = model.contains(shape, RDF.TYPE, SHACL.NODE_SHAPE)
                        || model.contains(shape, RDF.TYPE, SHACL.PROPERTY_SHAPE);
                if (!typed && !model.contains(shape, SHACL.PATH, null) && !propertyValues.contains(shape)) {
                    helpers.add(shape, UNTYPED_NODE_SHAPE, VALUES.createLiteral(true));
                }
            }
        }

        /** Recursive shapes (SHACL 3.4.3: validation with them is undefined; RDF4J and the compiler reject them). */
        private void checkRecursion() {
            Map<Resource, List<ShapeGraph.Edge>> out = new HashMap<>();
            for (ShapeGraph.Edge edge : graph.edges()) {
                out.computeIfAbsent(edge.parent(), k -> new ArrayList<>()).add(edge);
            }
            Set<Resource> reported = new HashSet<>();
            for (Resource start : graph.shapes()) {
                if (reported.contains(start)) {
                    continue;
                }
                List<ShapeGraph.Edge> cycle = cycleThrough(start, out);
                if (!cycle.isEmpty()) {
                    cycle.forEach(edge -> reported.add(edge.parent()));
                    StringBuilder text = new StringBuilder(graph.label(start));
                    for (ShapeGraph.Edge edge : cycle) {
                        text.append(" -").append(graph.name(edge.predicate())).append("-> ")
                                .append(graph.label(edge.child()));
                    }
                    report(start, cycle.get(0).predicate(), "shape-recursion", Severity.VIOLATION,
                            "the shape refers back to itself (" + text + "); SHACL 3.4.3 leaves validation with"
                                    + " recursive shapes undefined and neither RDF4J nor the stream compiler supports it");
                }
            }
        }

        /** The shortest cycle from {@code start} back to itself, by breadth-first search; empty if none. */
        private static List<ShapeGraph.Edge> cycleThrough(Resource start, Map<Resource, List<ShapeGraph.Edge>> out) {
            Map<Resource, ShapeGraph.Edge> reachedBy = new HashMap<>();
            Deque<Resource> queue = new ArrayDeque<>();
            queue.add(start);
            while (!queue.isEmpty()) {
                Resource node = queue.poll();
                for (ShapeGraph.Edge edge : out.getOrDefault(node, List.of())) {
                    if (edge.child().equals(start)) {
                        List<ShapeGraph.Edge> cycle = new ArrayList<>();
                        cycle.add(edge);
                        for (Resource back = node; !back.equals(start); back = reachedBy.get(back).parent()) {
                            cycle.add(0, reachedBy.get(back));
                        }
                        return cycle;
                    }
                    if (!reachedBy.containsKey(edge.child())) {
                        reachedBy.put(edge.child(), edge);
                        queue.add(edge.child());
                    }
                }
            }
            return List.of();
        }

        /** Terms in the sh: namespace that SHACL does not define: SHACL processors ignore them silently. */
        private void checkUnknownTerms() {
            Set<String> seen = new HashSet<>();
            for (Statement statement : model) {
                for (Value value : List.of(statement.getPredicate(), statement.getObject())) {
                    if (value instanceof IRI iri && iri.getNamespace().equals(SHACL.NAMESPACE)
                            && !ShaclTerms.KNOWN_LOCAL_NAMES.contains(iri.getLocalName())
                            && seen.add(statement.getSubject() + " " + iri)) {
                        String suggestion = closestKnown(iri.getLocalName())
                                .map(known -> " (did you mean sh:" + known + "?)").orElse("");
                        report(statement.getSubject(), statement.getPredicate(), "unknown-term", Severity.WARNING,
                                graph.name(iri) + " is not a SHACL term, so it is ignored" + suggestion);
                    }
                }
            }
        }

        private static Optional<String> closestKnown(String local) {
            String best = null;
            int bestDistance = 3;
            for (String known : ShaclTerms.KNOWN_LOCAL_NAMES) {
                int distance = known.equalsIgnoreCase(local) ? 0 : editDistance(known, local);
                if (distance < bestDistance || (distance == bestDistance && best != null && known.compareTo(best) < 0)) {
                    best = known;
                    bestDistance = distance;
                }
            }
            return Optional.ofNullable(best);
        }

        private static int editDistance(String a, String b) {
            int[] previous = new int[b.length() + 1];
            int[] current = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                previous[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                    current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
                }
                int[] swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.length()];
        }

        /** A top-level shape with no target and no referrer validates nothing: usually a misspelt target. */
        private void checkShapesWithoutTarget() {
            for (Resource shape : graph.shapes()) {
                boolean targeted = ShaclTerms.TARGETS.stream().anyMatch(t -> model.contains(shape, t, null))
                        || model.contains(shape, RDF.TYPE, RDFS.CLASS) || model.contains(shape, RDF.TYPE, OWL.CLASS);
                boolean deactivated = model.contains(shape, SHACL.DEACTIVATED, VALUES.createLiteral(true));
                if (!targeted && !deactivated && graph.parentsOf(shape).isEmpty()) {
                    report(shape, RDF.TYPE, "shape-without-target", Severity.INFO, "the shape has no target"
                            + " (sh:targetClass, sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf) and no"
                            + " other shape refers to it, so it never validates anything (SHACL 2.1.3)");
                }
            }
        }

        private void runShaclForShacl() {
            Optional<ShaclSailRun.Report> report = ShaclSailRun.validate(SHACL_FOR_SHACL, List.of(model, helpers),
                    ValidationLimits.UNLIMITED, false);
            if (report.isEmpty()) {
                return;
            }
            for (ReportReader.Entry entry : ReportReader.entries(report.get().model())) {
                String rule = entry.sourceShape() instanceof IRI shape && shape.getNamespace().equals(NS)
                        ? shape.getLocalName() : "shacl-shacl";
                String message = ReportReader.preferredMessage(entry.messages())
                        .orElse("violates " + graph.name(entry.sourceConstraintComponent()));
                if (entry.value().isPresent() && !entry.value().get().equals(entry.focusNode())) {
                    message += " (found " + graph.display(entry.value().get()) + ")";
                }
                IRI objectRule = OBJECT_RULES.get(rule);
                if (objectRule != null) {
                    for (Resource owner : model.filter(null, objectRule, entry.focusNode()).subjects()) {
                        report(owner, objectRule, rule, Severity.VIOLATION, message);
                    }
                    continue;
                }
                IRI predicate = entry.resultPathNode().filter(IRI.class::isInstance).map(IRI.class::cast)
                        .map(p -> HELPER_PARAMETERS.getOrDefault(p, p)).orElse(RDF.TYPE);
                report(entry.focusNode(), predicate, rule, Severity.ofIri(entry.resultSeverity().stringValue()),
                        message);
            }
        }
    }
}
