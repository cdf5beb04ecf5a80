package io.flinkjobrunner.compiler;

import static io.flinkjobrunner.compiler.SqlIdentifiers.quote;
import static io.flinkjobrunner.compiler.SqlLiterals.string;

import io.flinkjobrunner.compiler.ConstraintExpr.Combination;
import io.flinkjobrunner.compiler.ConstraintExpr.Operation;
import io.flinkjobrunner.compiler.ConstraintExpr.Row;
import io.flinkjobrunner.compiler.ConstraintRow.ValueKind;
import io.flinkjobrunner.compiler.ShapeStatementTranslator.Translation;
import io.flinkjobrunner.compiler.ShapeStatementTranslator.TranslationContext;
import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import io.flinkjobrunner.settle.SettledSinkNames;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.vocabulary.RDFS;

/**
 * Compiles a knowledge graph and a shapes graph into one {@link DeploymentUnit}.
 *
 * <p>Property-shape constraints become rows of {@code constraint_table} (one per constraint, inherited target class
 * and target node) plus rows of {@code constraint_combination_table}; the SQL is the fixed generic set of
 * {@link CheckStatements}. Ids are numbered like the reference's, because the event {@code OR Constraint id N}
 * exposes them: relationship rows first, then the other rows, then combination targets.
 */
public final class ShaclCompiler {

    private final List<ShapeStatementTranslator> translators;

    /** A compiler with the translators found on the class path. */
    public ShaclCompiler() {
        this(ShapeCoverage.translators());
    }

    public ShaclCompiler(List<ShapeStatementTranslator> translators) {
        this.translators = List.copyOf(translators);
    }

    /**
     * True when {@code shapes} use something a translator handles ({@code sh:sparql}, {@code sh:rule}): only then do
     * the unit's statements depend on the knowledge; otherwise the knowledge is data ({@code rdf} rows, target
     * classes) and the SQL is a function of the shapes alone.
     */
    public boolean translatesAny(Model shapes) {
        return ShapeCoverage.delegated(translators).stream().anyMatch(p -> shapes.contains(null, p, null));
    }

    /**
     * The shapes read once, for both the coverage report and the unit: a build's coverage step reads them, its compile
     * step {@linkplain #assemble(ReadShapes, Model, Model, CompileOptions) assembles} the unit from what was read.
     */
    public static final class ReadShapes {

        private final Model knowledge;
        private final Model shapes;
        private final ShapeReader.Result read;
        private final List<ShapeStatementTranslator> translators;
        private CoverageReport coverage;

        private ReadShapes(Model knowledge, Model shapes, ShapeReader.Result read,
                List<ShapeStatementTranslator> translators) {
            this.knowledge = knowledge;
            this.shapes = shapes;
            this.read = read;
            this.translators = translators;
        }

        /**
         * What the compiler does with every shape and component, as {@link ShapeCoverage#analyze} reports it; made on
         * first use (a compile that only assembles the unit does not need it).
         */
        public synchronized CoverageReport coverage() {
            if (coverage == null) {
                coverage = ShapeCoverage.report(read, shapes, translators, ShapeCoverage.delegated(translators));
            }
            return coverage;
        }
    }

    /** Reads {@code shapes} (severity labels from {@code knowledge}) for a later {@code assemble}. */
    public ReadShapes read(Model knowledge, Model shapes) {
        Set<IRI> delegated = ShapeCoverage.delegated(translators);
        return new ReadShapes(knowledge, shapes, new ShapeReader(shapes, knowledge, delegated).read(), translators);
    }

    /**
     * The unit's statements alone, for Flink's planner to check while the unit's semantic data and coverage are
     * built: a unit with the statements {@link #assemble(ReadShapes, Model, Model, CompileOptions) assemble} gives
     * for the same arguments, and no semantic data or coverage. Empty when the shapes have translated statements
     * (SPARQL constraints and rules), which are made from the knowledge closure.
     */
    public Optional<DeploymentUnit> statementsOf(ReadShapes read, CompileOptions options) throws CompilationException {
        if (translatesAny(read.shapes)) {
            return Optional.empty();
        }
        return Optional.of(assemble(read.read, ShapeCoverage.delegated(translators), read.knowledge, read.shapes,
                options, false));
    }

    /** Builds the unit (Flink's planner checks it in the runtime module: {@code planner.PlannerCheck}). */
    public DeploymentUnit assemble(Model knowledge, Model shapes, CompileOptions options) throws CompilationException {
        Set<IRI> delegated = ShapeCoverage.delegated(translators);
        return assemble(new ShapeReader(shapes, knowledge, delegated).read(), delegated, knowledge, shapes, options,
                true);
    }

    /**
     * Builds the unit, without the planner check, from shapes {@link #read} before.
     *
     * @throws IllegalArgumentException if {@code read} is of other models than {@code knowledge} and {@code shapes}
     */
    public DeploymentUnit assemble(ReadShapes read, Model knowledge, Model shapes, CompileOptions options)
            throws CompilationException {
        if (read.knowledge != knowledge || read.shapes != shapes) {
            throw new IllegalArgumentException("the shapes were read from other models");
        }
        return assemble(read.read, ShapeCoverage.delegated(translators), knowledge, shapes, options, true);
    }

    /**
     * The unit; without {@code complete} only its statements (no translated statements, semantic data or coverage:
     * {@link #statementsOf}).
     */
    private DeploymentUnit assemble(ShapeReader.Result read, Set<IRI> delegated, Model knowledge, Model shapes,
            CompileOptions options, boolean complete) throws CompilationException {
        KnowledgeClosure closure = complete ? KnowledgeClosure.of(knowledge) : null;
        Numbering numbering = new Numbering();
        Map<Resource, Set<Resource>> subclasses = subclassEdges(knowledge, shapes);
        for (ShapeReader.NodeShapeDef def : read.nodeShapes()) {
            List<ShapeTarget> targets = new ArrayList<>();
            Set<Resource> classes = new LinkedHashSet<>();
            for (IRI tc : def.targetClasses()) {
                classes.addAll(inherited(tc, subclasses));
            }
            classes.forEach(c -> targets.add(new ShapeTarget(ShapeTarget.Kind.CLASS, c.stringValue())));
            new LinkedHashSet<>(def.targetNodes()).forEach(n -> targets.add(new ShapeTarget(ShapeTarget.Kind.NODE, n)));
            new LinkedHashSet<>(def.targetSubjectsOf())
                    .forEach(p -> targets.add(new ShapeTarget(ShapeTarget.Kind.SUBJECTS_OF, p)));
            new LinkedHashSet<>(def.targetObjectsOf())
                    .forEach(p -> targets.add(new ShapeTarget(ShapeTarget.Kind.OBJECTS_OF, p)));
            for (ConstraintExpr root : publishedRoots(def.roots())) {
                for (ShapeTarget target : targets) {
                    numbering.root(numbering.instantiate(root, target));
                }
            }
        }
        numbering.assignIds();

        CoverageReport.Builder coverage = new CoverageReport.Builder();
        List<UnitStatement> definitions = new ArrayList<>();
        List<UnitStatement> inserts = new ArrayList<>();
        if (complete) {
            coverage.addAll(read.coverage());
            TranslationContext context = new TranslationContext(shapes, knowledge, closure, options.tables());
            for (ShapeStatementTranslator translator : translators) {
                Translation translation = translator.translate(context);
                for (UnitStatement d : translation.definitions()) {
                    if (definitions.stream().noneMatch(x -> x.sql().equals(d.sql()))) {
                        definitions.add(d);
                    }
                }
                inserts.addAll(translation.inserts());
                coverage.addAll(translation.coverage());
            }
            coverage.addAll(ShapeCoverage.untranslated(shapes, delegated));
        }

        CheckStatements checks = new CheckStatements(options.tables());
        List<UnitStatement> statements = new ArrayList<>();
        statements.add(new UnitStatement(UnitStatement.Kind.SET,
                "SET 'table.exec.sink.upsert-materialize' = 'NONE'", null));
        // Sub-plans that several INSERTs share (the views, e.g. entities_view under the property checks and every
        // SPARQL statement) are optimized once as a block of their own instead of once per INSERT. PlannerCheck
        // registers the views as planned views, which share them by identity and form the same blocks; with this
        // option the deployed job (views as SQL text) plans exactly what the check planned (PlannerCheckTest).
        statements.add(new UnitStatement(UnitStatement.Kind.SET,
                "SET 'table.optimizer.reuse-optimize-block-with-digest-enabled' = 'true'", null));
        // an alert is as late as the slowest flush on its way; see CompileOptions.DEFAULT_BUFFER_TIMEOUT
        statements.add(new UnitStatement(UnitStatement.Kind.SET,
                "SET 'execution.buffer-timeout' = '" + options.bufferTimeout().toMillis() + " ms'", null));
        if (!options.settleWindow().isZero()) {
            // the sources report how far they have read this often; a settle window ends when they are past it
            statements.add(new UnitStatement(UnitStatement.Kind.SET, "SET '" + SettledSinkNames.PROGRESS_INTERVAL_KEY
                    + "' = '" + progressInterval(options.settleWindow()) + " ms'", null));
        }
        if (options.parallelism() > 0) {
            // the unit carries its parallelism, so a restart or a restore runs the job as it was deployed
            statements.add(new UnitStatement(UnitStatement.Kind.SET, "SET 'table.exec.resource.default-parallelism' = '"
                    + options.parallelism() + "'", null));
        }
        for (String ddl : tableDefinitions(options)) {
            statements.add(new UnitStatement(UnitStatement.Kind.CREATE_TABLE, ddl, null));
        }
        definitions.stream().filter(d -> d.kind() == UnitStatement.Kind.CREATE_FUNCTION).forEach(statements::add);
        for (String ddl : checks.functions()) {
            statements.add(new UnitStatement(UnitStatement.Kind.CREATE_FUNCTION, ddl, null));
        }
        SemanticTable constraintTable = numbering.constraintTable();
        for (String view : checks.views(numbering.features())) {
            statements.add(new UnitStatement(UnitStatement.Kind.CREATE_VIEW, view, null));
        }
        definitions.stream().filter(d -> d.kind() != UnitStatement.Kind.CREATE_FUNCTION).forEach(statements::add);
        statements.add(new UnitStatement(UnitStatement.Kind.INSERT, checks.publish(numbering.levels), null));
        statements.addAll(inserts);

        if (!complete) {
            return new DeploymentUnit(statements, List.of(), options.topics(), options.bootstrapServers(),
                    options.tables(), coverage.build());
        }
        List<SemanticTable> data = List.of(
                knowledgeRows(closure, numbering.propertyClasses(), definitions, inserts, options), constraintTable,
                numbering.combinationTable());
        return new DeploymentUnit(statements, data, options.topics(), options.bootstrapServers(), options.tables(),
                coverage.build());
    }

    /**
     * The {@code rdf} rows the unit reads: all of the closed knowledge when a translated statement (a SPARQL
     * constraint or rule) reads the table, which can join any triple, else only what the generic checks read for the
     * {@code sh:class} constraints ({@link KnowledgeRows#readByChecks}) of {@code classes}.
     */
    private static SemanticTable knowledgeRows(KnowledgeClosure closure, Set<String> classes,
            List<UnitStatement> definitions, List<UnitStatement> inserts, CompileOptions options) {
        String rdf = quote(options.tables().rdf());
        boolean translatedReads = definitions.stream().anyMatch(d -> d.sql().contains(rdf))
                || inserts.stream().anyMatch(i -> i.sql().contains(rdf));
        if (translatedReads) {
            return KnowledgeRows.all(closure);
        }
        return KnowledgeRows.readByChecks(closure, classes);
    }

    /** Top-level constraints published one by one: implicit conjunctions are split into their members. */
    private static List<ConstraintExpr> publishedRoots(List<ConstraintExpr> roots) {
        List<ConstraintExpr> result = new ArrayList<>();
        Deque<ConstraintExpr> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            ConstraintExpr e = todo.pollFirst();
            if (e instanceof Combination c && c.operation() == Operation.AND && !c.explicit()) {
                List<ConstraintExpr> members = new ArrayList<>(c.members());
                for (int i = members.size() - 1; i >= 0; i--) {
                    todo.addFirst(members.get(i));
                }
            } else {
                result.add(e);
            }
        }
        return result;
    }

    private static Map<Resource, Set<Resource>> subclassEdges(Model knowledge, Model shapes) {
        Map<Resource, Set<Resource>> edges = new HashMap<>();
        for (Model m : List.of(knowledge, shapes)) {
            for (Statement st : m.filter(null, RDFS.SUBCLASSOF, null)) {
                if (st.getObject() instanceof Resource sup) {
                    edges.computeIfAbsent(sup, k -> new LinkedHashSet<>()).add(st.getSubject());
                }
            }
        }
        return edges;
    }

    /** {@code ?inh rdfs:subClassOf* tc} over shapes and knowledge, {@code tc} first. */
    private static Set<Resource> inherited(Resource tc, Map<Resource, Set<Resource>> edges) {
        Set<Resource> result = new LinkedHashSet<>();
        Deque<Resource> queue = new ArrayDeque<>(List.of(tc));
        while (!queue.isEmpty()) {
            Resource c = queue.poll();
            if (result.add(c)) {
                queue.addAll(edges.getOrDefault(c, Set.of()));
            }
        }
        return result;
    }

    private static List<String> tableDefinitions(CompileOptions options) {
        TableNames t = options.tables();
        String servers = options.bootstrapServers();
        String attributeColumns = "`id` STRING, `parentId` STRING, `entityId` STRING, `name` STRING, `nodeType` STRING, "
                + "`valueType` STRING, `type` STRING, `attributeValue` STRING, `datasetId` STRING, `unitCode` STRING, "
                + "`lang` STRING, `deleted` BOOLEAN, `synced` BOOLEAN";
        List<String> ddl = new ArrayList<>();
        // with settled alerts, every source the checks read reports its read progress to the settle stage
        boolean settled = !options.settleWindow().isZero();
        String source = settled ? SettledSinkNames.PROGRESS_KAFKA : "kafka";
        String upsertSource = settled ? SettledSinkNames.PROGRESS_UPSERT_KAFKA : "upsert-kafka";
        ddl.add(kafka(source, t.entities(), "`id` STRING, `type` STRING, `deleted` BOOLEAN, "
                + "`ts` TIMESTAMP(3) METADATA FROM 'timestamp'", options.topics().entities(), servers));
        ddl.add(kafka(source, t.attributes(), attributeColumns + ", `ts` TIMESTAMP(3) METADATA FROM 'timestamp'",
                options.topics().attributes(), servers));
        ddl.add(upsertKafka("upsert-kafka", t.attributesInsert(), attributeColumns, "`id`, `datasetId`",
                options.topics().attributesInsert(), servers));
        String alerts = upsertKafka(settled ? SettledSinkNames.IDENTIFIER : "upsert-kafka", t.alertsBulk(),
                "`resource` STRING, `event` STRING, `environment` STRING, `service` ARRAY<STRING>, `severity` STRING, "
                + "`customer` STRING, `text` STRING", "`resource`, `event`", options.topics().alertsBulk(), servers);
        if (settled) {
            // every alert change waits for its own reversal before it reaches the topic (docs/architecture.md)
            alerts = alerts.replace("'topic' = ", "'" + SettledSinkNames.WINDOW_KEY + "' = '"
                    + options.settleWindow().toMillis() + " ms',\n  'topic' = ");
        }
        ddl.add(alerts);
        ddl.add(upsertKafka(upsertSource, t.rdf(), "`subject` STRING, `predicate` STRING, `object` STRING, "
                + "`index` INT", "`subject`, `predicate`, `index`", options.topics().rdf(), servers));
        ddl.add(upsertKafka(upsertSource, t.constraints(), ConstraintTable.columnDefinitions(),
                quote(ConstraintTable.Column.ID.columnName()), options.topics().constraints(), servers));
        ddl.add(upsertKafka(upsertSource, t.combinations(), "`member_constraint_id` INT, `operation` STRING, "
                + "`target_constraint_id` INT, `level` INT, `member_depth` INT",
                "`member_constraint_id`, `target_constraint_id`", options.topics().combinations(), servers));
        return ddl;
    }

    /** How often the sources report their progress: a tenth of the settle window, between 1 and 50 ms. */
    static long progressInterval(Duration settleWindow) {
        return Math.max(1, Math.min(50, settleWindow.toMillis() / 10));
    }

    /**
     * An append-only Kafka source. {@code earliest-offset}: validation state is rebuilt from the whole topic, so a
     * (re)started job sees every entity, not only those that change after the start.
     */
    private static String kafka(String connector, String table, String columns, String topic, String servers) {
        return "CREATE TABLE " + quote(table) + " (" + columns + ") WITH (\n  'connector' = " + string(connector)
                + ",\n  'topic' = "
                + string(topic) + ",\n  'properties.bootstrap.servers' = " + string(servers)
                + ",\n  'scan.startup.mode' = 'earliest-offset',\n  'properties.fetch.min.bytes' = '65536',\n"
                + "  'properties.fetch.max.wait.ms' = '10',\n  'format' = 'json',\n"
                + "  'json.fail-on-missing-field' = 'false',\n  'json.ignore-parse-errors' = 'true')";
    }

    /** A table in {@code upsert-kafka}'s options, with {@code connector} ({@code upsert-kafka} or one wrapping it). */
    private static String upsertKafka(String connector, String table, String columns, String key, String topic,
            String servers) {
        return "CREATE TABLE " + quote(table) + " (" + columns + ", PRIMARY KEY (" + key + ") NOT ENFORCED) WITH (\n"
                + "  'connector' = " + string(connector) + ",\n  'topic' = " + string(topic)
                + ",\n  'properties.bootstrap.servers' = " + string(servers)
                + ",\n  'key.format' = 'json',\n  'value.format' = 'json',\n"
                + "  'value.json.fail-on-missing-field' = 'false',\n  'value.json.ignore-parse-errors' = 'true')";
    }

    /** A constraint bound to a target, before and after id assignment. */
    private static final class Instance {
        final ConstraintExpr expr;
        final ShapeTarget target;
        final List<Instance> members = new ArrayList<>();
        int id = -1;
        int level;

        Instance(ConstraintExpr expr, ShapeTarget target) {
            this.expr = expr;
            this.target = target;
        }

        boolean relationship() {
            return expr instanceof Row r && NgsiLdVocabulary.RELATIONSHIP.equals(r.fields().attributeType());
        }
    }

    /**
     * Instantiates constraint trees and numbers them like the reference; writes the focus and value paths of nested
     * constraints as step rows (ids after every constraint and combination, so the reference's ids stay unchanged).
     */
    private static final class Numbering {
        final List<Instance> roots = new ArrayList<>();
        final List<Instance> rows = new ArrayList<>();
        final List<Instance> combinations = new ArrayList<>();
        /** Path id per (target, path from the target node), in order of first use. */
        final Map<Map.Entry<ShapeTarget, FocusPath>, String> paths = new LinkedHashMap<>();
        int levels;
        private int steps;
        private final Set<String> edges = new LinkedHashSet<>();

        Instance instantiate(ConstraintExpr expr, ShapeTarget target) {
            Instance instance = new Instance(expr, target);
            if (expr instanceof Combination c) {
                int level = 0;
                for (ConstraintExpr m : c.members()) {
                    Instance member = instantiate(m, target);
                    instance.members.add(member);
                    level = Math.max(level, member.level);
                }
                instance.level = level + 1;
                levels = Math.max(levels, instance.level);
                combinations.add(instance);
            } else {
                rows.add(instance);
            }
            return instance;
        }

        void root(Instance instance) {
            roots.add(instance);
        }

        void assignIds() {
            int next = 0;
            for (Instance i : rows) {
                if (i.relationship()) {
                    i.id = next++;
                }
            }
            for (Instance i : rows) {
                if (!i.relationship()) {
                    i.id = next++;
                }
            }
            // combinations are collected in post-order (members before their target)
            for (Instance i : combinations) {
                i.id = next++;
            }
        }

        /** What the generic SQL must contain for these rows. Valid after {@link #constraintTable()}. */
        CheckStatements.Features features() {
            Set<CheckStatements.Use> uses = new LinkedHashSet<>();
            boolean predicateTargets = false;
            for (Instance i : all()) {
                if (i.target.byPredicate()) {
                    predicateTargets = true;
                    edges.add(CheckStatements.edgeKind(i.target.value())
                            + (i.target.kind() == ShapeTarget.Kind.OBJECTS_OF ? ":F" : ":I"));
                }
                if (!i.expr.focus().isRoot()) {
                    uses.add(CheckStatements.Use.DERIVED_FOCUS);
                }
                if (i.expr instanceof Combination c) {
                    if (c.operation() == Operation.QUALIFIED) {
                        uses.add(CheckStatements.Use.QUALIFIED);
                    }
                    continue;
                }
                ConstraintRow f = i.expr.fields();
                ValueKind kind = f.valueKind();
                boolean path = kind == ValueKind.PATH;
                boolean counts = f.minCount() != null || f.maxCount() != null;
                if (counts) {
                    uses.add(path ? CheckStatements.Use.PATH_COUNTS : CheckStatements.Use.COUNTS);
                }
                if (f.hasValue() != null && (path || kind == ValueKind.ATTRIBUTE)) {
                    uses.add(CheckStatements.Use.NODE_HAS_VALUE);
                }
                if (path && !counts) {
                    uses.add(CheckStatements.Use.PATH_VALUES);
                }
                if (kind == ValueKind.FOCUS || kind == ValueKind.VALUE) {
                    uses.add(CheckStatements.Use.FOCUS_VALUES);
                }
                if (f.uniqueLang()) {
                    uses.add(CheckStatements.Use.UNIQUE_LANG);
                }
                if (f.pairKind() != null) {
                    uses.add(CheckStatements.Use.PAIRS);
                }
                if (f.closedPaths() != null) {
                    uses.add(CheckStatements.Use.CLOSED);
                }
            }
            return new CheckStatements.Features(levels, steps, edges, predicateTargets, uses);
        }

        /** The {@code sh:class} values the rows check. */
        Set<String> propertyClasses() {
            Set<String> classes = new HashSet<>();
            for (Instance i : all()) {
                if (i.expr.fields().propertyClass() != null) {
                    classes.add(i.expr.fields().propertyClass());
                }
            }
            return classes;
        }

        private List<Instance> all() {
            List<Instance> all = new ArrayList<>(rows);
            all.addAll(combinations);
            return all;
        }

        private String path(Instance i, FocusPath path) {
            return paths.computeIfAbsent(Map.entry(i.target, path), k -> String.valueOf(paths.size()));
        }

        SemanticTable constraintTable() {
            List<Instance> all = all();
            all.sort((a, b) -> Integer.compare(a.id, b.id));
            List<ConstraintTable.Entry> out = new ArrayList<>();
            for (Instance i : all) {
                ConstraintRow fields = i.expr.fields().toBuilder().severity(severity(i)).build();
                out.add(ConstraintTable.constraint(i.id, i.target, fields,
                        i.expr.focus().isRoot() ? null : path(i, i.expr.focus()),
                        i.expr.values() == null ? null : path(i, i.expr.values())));
            }
            int next = all.isEmpty() ? 0 : all.get(all.size() - 1).id + 1;
            for (Map.Entry<Map.Entry<ShapeTarget, FocusPath>, String> p : paths.entrySet()) {
                List<List<FocusPath.Step>> sequences = p.getKey().getValue().sequences();
                for (int seq = 0; seq < sequences.size(); seq++) {
                    List<FocusPath.Step> sequence = sequences.get(seq);
                    steps = Math.max(steps, sequence.size());
                    for (FocusPath.Step step : sequence) {
                        if (step.predicate() != null) {
                            edges.add(CheckStatements.edgeKind(step.predicate()) + ":" + step.direction().code);
                        }
                    }
                    out.add(ConstraintTable.step(next++, p.getKey().getKey(), p.getValue(), seq,
                            FocusPath.encode(sequence)));
                }
            }
            return ConstraintTable.of(out);
        }

        /** The reference: a combination takes its first member's severity; the default is {@code warning}. */
        private static String severity(Instance i) {
            Instance at = i;
            while (true) {
                String severity = at.expr.fields().severity();
                if (severity != null) {
                    return severity;
                }
                if (at.members.isEmpty()) {
                    return SeverityLabel.DEFAULT;
                }
                at = at.members.get(0);
            }
        }

        /**
         * PUBLISH rows for the roots, one row per member of each combination. {@code member_depth} is 1 when the
         * member is evaluated at the value nodes of the combination's focus node (a qualified value shape, a shape
         * nested in a value shape), else 0.
         */
        SemanticTable combinationTable() {
            List<List<Object>> out = new ArrayList<>();
            for (Instance root : roots) {
                out.add(List.of(root.id, "PUBLISH", -1, 0, 0));
            }
            for (Instance c : combinations) {
                Operation op = ((Combination) c.expr).operation();
                for (Instance m : c.members) {
                    int depth = m.expr.focus().depth() - c.expr.focus().depth();
                    if (depth != 0 && depth != 1) {
                        throw new IllegalStateException("compiler defect: member " + m.id + " of " + c.id
                                + " is " + depth + " levels from its combination");
                    }
                    out.add(List.of(m.id, op.name(), c.id, c.level, depth));
                }
            }
            return new SemanticTable("constraint_combination_table", List.of(
                    new SemanticTable.Column("member_constraint_id", "INT"),
                    new SemanticTable.Column("operation", "STRING"),
                    new SemanticTable.Column("target_constraint_id", "INT"), new SemanticTable.Column("level", "INT"),
                    new SemanticTable.Column("member_depth", "INT")),
                    List.of("member_constraint_id", "target_constraint_id"), out);
        }
    }
}
