package io.flinkjobrunner.compiler;

import static io.flinkjobrunner.compiler.SqlIdentifiers.quote;

import io.flinkjobrunner.compiler.ConstraintRow.ValueKind;
import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import io.flinkjobrunner.udf.UdfClassNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fixed, generic Flink SQL of the data-driven checks: views joining the entities that exist ×
 * {@code constraint_table × attributes_view [× rdf]}, the combination levels, and the PUBLISH insert into
 * {@code alerts_bulk}.
 *
 * <p>Only the checks that read values join the latest-row view {@code attributes_view}; what reads only whether an
 * entity or an attribute instance exists reads {@code present_entities} / {@code present_attributes}, grouped over
 * the history tables with {@code latest_value}, which a re-sent row or a value update does not change.
 *
 * <p>No shape content appears in this SQL; it depends only on the table names, on the number of combination levels
 * (the nesting depth of {@code sh:or}/{@code sh:and}/{@code sh:not}/{@code sh:xone}/{@code sh:node}), on the number
 * of path steps (the longest unrolled focus or value path, see {@link FocusPath}) and on which kinds of NGSI-LD edges
 * the paths walk ({@link Features}). Every check view row is {@code (resource, event, constraint_id, severity,
 * message, detail, val, datasetId, path, focus, parent)}.
 *
 * <p>Nodes of the NGSI-LD graph are identified by a key: an IRI (entity or IRI value) is itself, an attribute node is
 * its row id, a literal is {@code "lexical"^^datatype} (or {@code @lang}). A focus node is identified by the chain of
 * nested focus nodes from the target node ({@code focus}, keys joined by {@code |}), so a nested shape's results are
 * combined per focus node and lifted to the enclosing one ({@code parent}).
 */
final class CheckStatements {

    private static final String XSD = "http://www.w3.org/2001/XMLSchema#";
    private static final String RDF_TYPE_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    private static final String RDF_TYPE = "<" + RDF_TYPE_IRI + ">";
    private static final String SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>";
    private static final String DOUBLE_LEXICAL = "^[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$|^(?:INF|-INF|NaN)$";
    private static final String INTEGER_LEXICAL = "^[+-]?[0-9]+$";
    private static final String BOOLEAN_LEXICAL = "^(?i:true|false)$";
    private static final String ABSOLUTE_IRI = "^[A-Za-z][A-Za-z0-9+.-]*:";
    /** The SQL name of {@link UdfClassNames#LATEST_VALUE}: the value of the latest row of a key. */
    private static final String LATEST_VALUE = "latest_value";
    /** Whether the latest row of the group is not a deletion, for a {@code HAVING} over the history tables. */
    private static final String NOT_DELETED = LATEST_VALUE + "(CASE WHEN `deleted` THEN 'deleted' END, `ts`) IS NULL";

    /** Node descriptor columns, in order: key, value, node type, datatype, language, attribute type, datasetId, idx, entity, attribute name. */
    private static final List<String> NODE = List.of("n_key", "n_val", "n_nodeType", "n_valueType", "n_lang",
            "n_attr_typ", "n_datasetId", "n_idx", "n_entity", "n_name");
    /** The focus chain columns: resources of the focus and its parent, chains, event prefix parts. */
    private static final List<String> CHAIN = List.of("this", "parentThis", "focus", "parent", "parentPrefix", "here");
    /** The value row's columns the per-value checks' detail texts read besides {@code val} and {@code propertyPath}. */
    private static final List<String> DETAIL_COLUMNS = List.of("propertyNodetype", "propertyClass", "datatypes",
            "minExclusive", "minInclusive", "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "ins",
            "hasValue", "lang");

    private final TableNames t;
    private final Map<String, String> names = new LinkedHashMap<>();

    /**
     * What the generic SQL must contain for a set of constraint rows: the SQL depends on these, never on the number of
     * shapes.
     *
     * @param levels combination levels (0 = none)
     * @param pathSteps steps of the longest unrolled path (0 = no nested focus nodes and no path values)
     * @param edges the NGSI-LD edge kinds the paths and target predicates walk, as {@code kind:direction}
     *     ({@link #edgeKind}, direction {@code F} or {@code I})
     * @param predicateTargets some shape uses {@code sh:targetSubjectsOf} / {@code sh:targetObjectsOf}
     * @param uses the kinds of rows present ({@link Use}): check statements no row needs are left out
     */
    record Features(int levels, int pathSteps, Set<String> edges, boolean predicateTargets, Set<Use> uses) {

        Features {
            edges = Set.copyOf(edges);
            uses = uses.isEmpty() ? Set.of() : Set.copyOf(java.util.EnumSet.copyOf(uses));
        }
    }

    /** Kinds of constraint rows that need check statements of their own. */
    enum Use {
        /** attribute counts (sh:minCount / sh:maxCount of an attribute) */
        COUNTS,
        /** counts of the nodes a path reaches */
        PATH_COUNTS,
        /** sh:hasValue on attribute nodes or path values (SHACL's "some value node") */
        NODE_HAS_VALUE,
        UNIQUE_LANG,
        /** sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals */
        PAIRS,
        CLOSED,
        /** value checks on the focus node itself or on the value of a focus attribute node */
        FOCUS_VALUES,
        /** rows evaluated at nested focus nodes */
        DERIVED_FOCUS,
        /** qualified value shapes: counts of conforming value nodes */
        QUALIFIED,
        /** value checks on the nodes a path reaches */
        PATH_VALUES
    }

    CheckStatements(TableNames tables) {
        this.t = tables;
        names.put("entities_view", quote(tables.entitiesView()));
        names.put("attributes_view", quote(tables.attributesView()));
        names.put("entities", quote(tables.entities()));
        names.put("attributes", quote(tables.attributes()));
        names.put("rdf", quote(tables.rdf()));
        names.put("constraints", quote(tables.constraints()));
        names.put("combinations", quote(tables.combinations()));
        for (String v : List.of("focus", "values", "present_entities", "present_attributes", "instances",
                "instance_of", "checks", "needed", "edges", "edge_nodes", "reached", "children")) {
            names.put(v, quote(tables.internal(v)));
        }
    }

    /**
     * The edge kind a path step or target predicate walks: {@code hop} (an attribute and its value in one step, see
     * {@link FocusPath.Step}), {@code value} (ngsi-ld:hasValue, hasObject, hasValueList, hasJSON), {@code type}
     * (rdf:type), {@code unitCode}, {@code datasetId}, else {@code attribute} (an attribute or sub-attribute name).
     */
    static String edgeKind(String predicate) {
        if (predicate.contains(" ")) {
            return "hop";
        }
        return switch (predicate) {
            case NgsiLdVocabulary.HAS_VALUE, NgsiLdVocabulary.HAS_OBJECT, NgsiLdVocabulary.HAS_VALUE_LIST, NgsiLdVocabulary.HAS_JSON -> "value";
            case RDF_TYPE_IRI -> "type";
            case NgsiLdVocabulary.UNIT_CODE -> "unitCode";
            case NgsiLdVocabulary.DATASET_ID -> "datasetId";
            default -> "attribute";
        };
    }

    /** {@code CREATE FUNCTION} statements the views need, placed before them. */
    List<String> functions() {
        return List.of("CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS " + quote(LATEST_VALUE) + " AS '"
                + UdfClassNames.LATEST_VALUE + "'");
    }

    /** Whether some view counts the attribute instances that exist: the count checks and the combination levels. */
    private static boolean countsInstances(Features features) {
        return features.uses().contains(Use.COUNTS) || features.levels() > 0;
    }

    /** Name of the trigger view of combination level {@code level} (0 = plain checks). */
    String triggers(int level) {
        return quote(t.internal("triggers_" + level));
    }

    private String reach(int level) {
        return quote(t.internal("reach_" + level));
    }

    /** {@code CREATE VIEW} statements, in dependency order. */
    List<String> views(Features features) {
        List<String> views = new ArrayList<>();
        views.add(sql("""
                CREATE VIEW ${entities_view} AS
                SELECT `id`, `type`, `deleted`, `ts` FROM (
                  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `ts` DESC) AS `rownum` FROM ${entities})
                WHERE `rownum` = 1"""));
        // the entities that exist, with their type: the targets, the rdf:type edges and the sh:class lookups read
        // nothing else of an entity, and the platform re-sends the entity row with every update of its attributes.
        // Grouped over the append-only history, a re-sent row changes nothing here and goes no further; through the
        // latest-row view it retracted and re-added the entity's focus rows of every constraint (issue 20).
        views.add(sql("""
                CREATE VIEW ${present_entities} AS
                SELECT `id`, %s(`type`, `ts`) AS `type` FROM ${entities} GROUP BY `id`
                HAVING %s""".formatted(LATEST_VALUE, NOT_DELETED)));
        views.add(sql("""
                CREATE VIEW ${attributes_view} AS
                SELECT `id`, `parentId`, `entityId`, `name`, `nodeType`, `valueType`, `type`, `attributeValue`,
                  `datasetId`, `unitCode`, `lang`, `deleted`, `synced`, `ts` FROM (
                  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id`, `datasetId` ORDER BY `ts` DESC) AS `rownum`
                  FROM ${attributes})
                WHERE `rownum` = 1"""));
        if (!features.edges().isEmpty()) {
            views.add(edges(features.edges()));
        }
        if (features.predicateTargets()) {
            views.add(sql("""
                    CREATE VIEW ${edge_nodes} AS
                    SELECT `pred`, `dir`, `n_key`, %s
                    FROM ${edges} GROUP BY `pred`, `dir`, `n_key`""".formatted(NODE.stream().skip(1)
                    .map(c -> "MIN(" + quote(c) + ") AS " + quote(c)).collect(Collectors.joining(", ")))));
        }
        for (int step = 0; step <= features.pathSteps() && features.pathSteps() > 0; step++) {
            views.add(step == 0 ? reachStart(features) : reachStep(step));
        }
        if (features.pathSteps() > 0) {
            views.add(sql("CREATE VIEW ${reached} AS\nSELECT DISTINCT `pathId`, " + columns("", CHAIN) + ", "
                    + columns("", NODE) + " FROM " + reach(features.pathSteps()) + " WHERE `done`"));
        }
        if (features.uses().contains(Use.QUALIFIED)) {
            views.add(sql("""
                    CREATE VIEW ${children} AS
                    SELECT `pathId`, `parent`, COUNT(DISTINCT `focus`) AS `children` FROM ${reached}
                    GROUP BY `pathId`, `parent`"""));
        }
        views.add(focus(features));
        views.add(values(features));
        if (countsInstances(features)) {
            // the attribute instances that exist, without their values: grouped over the append-only history, so a
            // value update changes nothing here and goes no further (Flink's group aggregation emits nothing for an
            // unchanged result). The latest-row view turns every value update into a retraction and an insertion,
            // which made the counts drop to 0 and come back on every valid update (docs/benchmarks.md, issue 20).
            views.add(sql("""
                    CREATE VIEW ${present_attributes} AS
                    SELECT `id`, COALESCE(`parentId`, `entityId`) AS `owner`, `name` FROM ${attributes}
                    GROUP BY `id`, `datasetId`, COALESCE(`parentId`, `entityId`), `name`
                    HAVING %s""".formatted(NOT_DELETED)));
        }
        if (features.levels() > 0) {
            views.add(sql("""
                    CREATE VIEW ${instances} AS
                    SELECT `owner`, `name`, COUNT(*) AS `instances` FROM ${present_attributes}
                    GROUP BY `owner`, `name`"""));
        }
        views.add(sql("""
                CREATE VIEW ${instance_of} AS
                SELECT DISTINCT `instance`, `cls` FROM (
                  SELECT T.`subject` AS `instance`, S.`object` AS `cls`
                  FROM ${rdf} T JOIN ${rdf} S ON S.`subject` = T.`object`
                  WHERE T.`predicate` = '%s' AND S.`predicate` = '%s'
                  UNION ALL
                  SELECT `subject` AS `instance`, `object` AS `cls` FROM ${rdf} WHERE `predicate` = '%1$s')"""
                .formatted(RDF_TYPE, SUBCLASS_OF)));
        views.add(sql("CREATE VIEW ${checks} AS\n" + String.join("\nUNION ALL\n", checks(features))));
        views.add(sql("""
                CREATE VIEW %s AS
                SELECT `resource`, `event`, `constraint_id`, `severity`, %s AS `text`, `datasetId`, `focus`, `parent`
                FROM ${checks}""".formatted(triggers(0), text("`message`", "`resource`", "`val`", "`path`", "`detail`"))));
        views.add(sql("""
                CREATE VIEW ${needed} AS
                SELECT `target_constraint_id` AS `target`, `operation`, `level`, COUNT(*) AS `needed`
                FROM ${combinations} WHERE `operation` <> 'PUBLISH'
                GROUP BY `target_constraint_id`, `operation`, `level`"""));
        for (int level = 1; level <= features.levels(); level++) {
            views.add(level(level, features.uses().contains(Use.QUALIFIED)));
        }
        return views;
    }

    /** The PUBLISH statement: published constraint ids become alerts, one per (resource, event). */
    String publish(int levels) {
        return sql("""
                INSERT INTO %s
                SELECT T.`resource`, T.`event`, 'Development', ARRAY['SHACL Validator'], MAX(T.`severity`), 'customer',
                  MAX(T.`text`)
                FROM %s T JOIN ${combinations} M ON M.`member_constraint_id` = T.`constraint_id`
                WHERE M.`operation` = 'PUBLISH'
                GROUP BY T.`resource`, T.`event`""".formatted(quote(t.alertsBulk()), triggers(levels)));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // focus nodes

    /**
     * Focus rows: every (focus node, constraint row) pair. Target nodes by class, id or predicate, then the nested
     * focus nodes the step rows reach ({@code focusPath}). Adds {@code prefix}, the event text of the path from the
     * target node to the focus node ({@code ''} at the target node), and {@code display}, the focus node in events.
     */
    private String focus(Features features) {
        String constraintColumns = "C.`id` AS `constraint_id`, " + ConstraintTable.stringColumns().stream()
                .map(c -> "C." + quote(c)).collect(Collectors.joining(", "));
        List<String> branches = new ArrayList<>(targets(features, constraintColumns,
                "C.`focusPath` IS NULL AND C.`stepPath` IS NULL", true));
        if (features.uses().contains(Use.DERIVED_FOCUS)) {
            branches.add(sql("""
                    SELECT %s, %s, CAST(NULL AS STRING) AS `typ`, %s
                    FROM ${reached} R JOIN ${constraints} C ON C.`focusPath` = R.`pathId`"""
                    .formatted(columns("R.", CHAIN), columns("R.", NODE), constraintColumns)));
        }
        return sql("""
                CREATE VIEW ${focus} AS
                SELECT U.*, CASE WHEN U.`here` IS NULL THEN U.`parentPrefix` ELSE U.`parentPrefix` || U.`here` || ' ==> ' END
                    AS `prefix`, COALESCE(U.`parentPrefix` || U.`here`, '$this') AS `display`
                FROM (
                """ + String.join("\nUNION ALL\n", branches) + ") U");
    }

    /**
     * The target nodes joined with the rows of {@code constraint_table} (alias {@code C}) that target them: by class
     * and id (entities), and by predicate (the nodes of the NGSI-LD graph with an edge of that predicate). Columns:
     * the chain, the node descriptor, {@code typ} (the entity type) when {@code withType}, then {@code right}.
     */
    private List<String> targets(Features features, String right, String where, boolean withType) {
        String entity = nodeOf("E.`id`", "E.`id`", "'@id'", "CAST(NULL AS STRING)", "CAST(NULL AS STRING)",
                "CAST(NULL AS STRING)", "CAST(NULL AS STRING)", "CAST(NULL AS STRING)", "E.`id`", "CAST(NULL AS STRING)");
        String entityChain = "E.`id` AS `this`, CAST(NULL AS STRING) AS `parentThis`, E.`id` AS `focus`, "
                + "CAST(NULL AS STRING) AS `parent`, CAST('' AS STRING) AS `parentPrefix`, CAST(NULL AS STRING) AS `here`";
        List<String> branches = new ArrayList<>();
        for (String key : List.of("E.`type` = C.`targetClass`", "E.`id` = C.`targetNode`")) {
            branches.add(sql("""
                    SELECT %s, %s, %s%s
                    FROM ${present_entities} E JOIN ${constraints} C ON %s
                    WHERE %s""".formatted(entityChain, entity,
                    withType ? "E.`type` AS `typ`, " : "", right, key, where)));
        }
        if (features.predicateTargets()) {
            String chain = "X.`n_entity` AS `this`, CAST(NULL AS STRING) AS `parentThis`, X.`n_key` AS `focus`, "
                    + "CAST(NULL AS STRING) AS `parent`, CAST('' AS STRING) AS `parentPrefix`, CASE WHEN X.`n_nodeType` = "
                    + "'@id' THEN CAST(NULL AS STRING) ELSE X.`n_name` || COALESCE('[' || X.`n_idx` || ']', '') END AS `here`";
            for (String[] target : new String[][] {{"targetSubjectsOf", "I"}, {"targetObjectsOf", "F"}}) {
                branches.add(sql("""
                        SELECT %s, %s, %s%s
                        FROM ${edge_nodes} X JOIN ${constraints} C ON X.`pred` = C.`%s` AND X.`dir` = '%s'
                        WHERE %s""".formatted(chain, columns("X.", NODE),
                        withType ? "CAST(NULL AS STRING) AS `typ`, " : "", right, target[0], target[1], where)));
            }
        }
        return branches;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // paths

    /** The edges of the NGSI-LD graph, forward ({@code F}) and inverse ({@code I}), with the node they lead to. */
    private String edges(Set<String> kinds) {
        String attrNode = nodeOf("B.`id`", "CAST(NULL AS STRING)", "'@bnode'", "CAST(NULL AS STRING)",
                "CAST(NULL AS STRING)", "B.`type`", "B.`datasetId`", idx("B"), "B.`entityId`", "B.`name`");
        String literalKey = "'\"' || COALESCE(B.`attributeValue`, '') || '\"' || COALESCE('@' || B.`lang`, '^^' || "
                + "B.`valueType`, '')";
        String valueKey = "CASE WHEN B.`nodeType` = '@id' THEN B.`attributeValue` WHEN B.`nodeType` = '@list' THEN "
                + "'_:' || B.`id` ELSE " + literalKey + " END";
        String valuePredicate = "CASE WHEN B.`nodeType` = '@list' THEN '" + NgsiLdVocabulary.HAS_VALUE_LIST + "' WHEN "
                + "B.`nodeType` = '@json' THEN '" + NgsiLdVocabulary.HAS_JSON + "' WHEN B.`type` = '" + NgsiLdVocabulary.RELATIONSHIP
                + "' THEN '" + NgsiLdVocabulary.HAS_OBJECT + "' ELSE '" + NgsiLdVocabulary.HAS_VALUE + "' END";
        String valueNode = nodeOf(valueKey, "B.`attributeValue`", "B.`nodeType`", "B.`valueType`", "B.`lang`", "B.`type`",
                "B.`datasetId`", idx("B"), "CASE WHEN B.`nodeType` = '@id' THEN B.`attributeValue` ELSE B.`entityId` END",
                "B.`name`");
        String owner = nodeOf("COALESCE(B.`parentId`, B.`entityId`)",
                "CASE WHEN B.`parentId` IS NULL THEN B.`entityId` END",
                "CASE WHEN B.`parentId` IS NULL THEN '@id' ELSE '@bnode' END", "CAST(NULL AS STRING)",
                "CAST(NULL AS STRING)", "P.`type`", "P.`datasetId`", "CASE WHEN P.`id` IS NULL THEN CAST(NULL AS STRING) "
                        + "ELSE " + idx("P") + " END", "B.`entityId`", "P.`name`");
        String attributes = "FROM ${attributes_view} B WHERE B.`deleted` IS NOT TRUE";
        String withOwner = "FROM ${attributes_view} B LEFT JOIN ${attributes_view} P "
                + "ON P.`id` = B.`parentId` AND P.`deleted` IS NOT TRUE WHERE B.`deleted` IS NOT TRUE";
        List<String> branches = new ArrayList<>();
        if (kinds.contains("attribute:F")) {
            branches.add(edge("COALESCE(B.`parentId`, B.`entityId`)", "B.`name`", "F", attrNode, attributes));
        }
        if (kinds.contains("attribute:I")) {
            branches.add(edge("B.`id`", "B.`name`", "I", owner, withOwner));
        }
        if (kinds.contains("hop:F")) {
            branches.add(edge("COALESCE(B.`parentId`, B.`entityId`)", "B.`name` || ' ' || " + valuePredicate, "F",
                    valueNode, attributes));
        }
        if (kinds.contains("hop:I")) {
            branches.add(edge(valueKey, "B.`name` || ' ' || " + valuePredicate, "I", owner, withOwner));
        }
        if (kinds.contains("value:F")) {
            branches.add(edge("B.`id`", valuePredicate, "F", valueNode, attributes));
        }
        if (kinds.contains("value:I")) {
            branches.add(edge(valueKey, valuePredicate, "I", attrNode, attributes));
        }
        String typeOfAttribute = iriNode("B.`type`");
        String typeOfEntity = iriNode("E.`type`");
        String entity = nodeOf("E.`id`", "E.`id`", "'@id'", "CAST(NULL AS STRING)", "CAST(NULL AS STRING)",
                "CAST(NULL AS STRING)", "CAST(NULL AS STRING)", "CAST(NULL AS STRING)", "E.`id`", "CAST(NULL AS STRING)");
        String entities = "FROM ${present_entities} E";
        if (kinds.contains("type:F")) {
            branches.add(edge("B.`id`", "'" + RDF_TYPE_IRI + "'", "F", typeOfAttribute, attributes));
            branches.add(edge("E.`id`", "'" + RDF_TYPE_IRI + "'", "F", typeOfEntity, entities));
        }
        if (kinds.contains("type:I")) {
            branches.add(edge("B.`type`", "'" + RDF_TYPE_IRI + "'", "I", attrNode, attributes));
            branches.add(edge("E.`type`", "'" + RDF_TYPE_IRI + "'", "I", entity, entities));
        }
        String unitKey = "'\"' || B.`unitCode` || '\"^^" + XSD + "string'";
        String unitNode = nodeOf(unitKey, "B.`unitCode`", "'@value'", "'" + XSD + "string'", "CAST(NULL AS STRING)",
                "B.`type`", "B.`datasetId`", idx("B"), "B.`entityId`", "B.`name`");
        String withUnit = attributes + " AND B.`unitCode` IS NOT NULL";
        if (kinds.contains("unitCode:F")) {
            branches.add(edge("B.`id`", "'" + NgsiLdVocabulary.UNIT_CODE + "'", "F", unitNode, withUnit));
        }
        if (kinds.contains("unitCode:I")) {
            branches.add(edge(unitKey, "'" + NgsiLdVocabulary.UNIT_CODE + "'", "I", attrNode, withUnit));
        }
        String isIri = "REGEXP(B.`datasetId`, '" + ABSOLUTE_IRI + "')";
        String datasetKey = "CASE WHEN " + isIri + " THEN B.`datasetId` ELSE '\"' || B.`datasetId` || '\"^^" + XSD
                + "string' END";
        String datasetNode = nodeOf(datasetKey, "B.`datasetId`", "CASE WHEN " + isIri + " THEN '@id' ELSE '@value' END",
                "CASE WHEN " + isIri + " THEN CAST(NULL AS STRING) ELSE '" + XSD + "string' END", "CAST(NULL AS STRING)",
                "B.`type`", "B.`datasetId`", idx("B"), "CASE WHEN " + isIri + " THEN B.`datasetId` ELSE B.`entityId` END",
                "B.`name`");
        String withDataset = attributes + " AND B.`datasetId` <> '@none'";
        if (kinds.contains("datasetId:F")) {
            branches.add(edge("B.`id`", "'" + NgsiLdVocabulary.DATASET_ID + "'", "F", datasetNode, withDataset));
        }
        if (kinds.contains("datasetId:I")) {
            branches.add(edge(datasetKey, "'" + NgsiLdVocabulary.DATASET_ID + "'", "I", attrNode, withDataset));
        }
        return sql("CREATE VIEW ${edges} AS\n" + String.join("\nUNION ALL\n", branches));
    }

    private String edge(String source, String predicate, String direction, String node, String from) {
        return sql("SELECT " + source + " AS `src`, " + predicate + " AS `pred`, '" + direction + "' AS `dir`, " + node
                + "\n" + from);
    }

    private static String iriNode(String iri) {
        return nodeOf(iri, iri, "'@id'", "CAST(NULL AS STRING)", "CAST(NULL AS STRING)", "CAST(NULL AS STRING)",
                "CAST(NULL AS STRING)", "CAST(NULL AS STRING)", iri, "CAST(NULL AS STRING)");
    }

    private static String nodeOf(String... expressions) {
        return columns("", List.of(expressions), NODE);
    }

    private static String idx(String alias) {
        return "CASE WHEN " + alias + ".`datasetId` = '@none' THEN '0' ELSE " + alias + ".`datasetId` END";
    }

    /** Position 0 of every step sequence: the target nodes of the path's target. */
    private String reachStart(Features features) {
        List<String> branches = targets(features, "C.`stepPath` AS `pathId`, C.`stepSeq` AS `seq`, C.`stepList` AS "
                + "`steps`, FALSE AS `done`", "C.`stepPath` IS NOT NULL", false);
        return "CREATE VIEW " + reach(0) + " AS\n" + String.join("\nUNION ALL\n", branches);
    }

    /**
     * One step of every sequence: the rows at position {@code step - 1} follow the edge of their sequence's step there
     * (or stay, for a zero-length path); rows whose sequence is complete pass through unchanged, so every level reads
     * the level below once and the plan grows linearly with the number of steps. A step that ends at a nested focus
     * node (a mark) appends the node to the chain.
     */
    private String reachStep(int step) {
        int pos = step - 1;
        String stays = "(R.`stepDir` IS NULL OR R.`stepDir` = 'S')";
        List<String> node = new ArrayList<>();
        for (String c : NODE) {
            node.add("CASE WHEN " + stays + " THEN R." + quote(c) + " ELSE X." + quote(c) + " END AS " + quote(c));
        }
        String next = "CASE WHEN " + stays + " THEN R.`%1$s` ELSE X.`%1$s` END";
        return sql("CREATE VIEW " + reach(step) + " AS\n"
                + "SELECT R.`pathId`, R.`seq`, R.`steps`, " + movedColumns("R.`stepMark` IS NOT NULL", next) + ", "
                + String.join(", ", node) + ", R.`done` OR R.`lastStep` AS `done`\n"
                + "FROM (\n"
                + "  SELECT Q.*, SUBSTR(Q.`st`, 1, 1) AS `stepDir`, SPLIT_INDEX(SUBSTR(Q.`st`, 2), '}', 0) AS `stepPred`,\n"
                + "    SPLIT_INDEX(SUBSTR(Q.`st`, 2), '}', 1) AS `stepMark`,\n"
                + "    SPLIT_INDEX(Q.`steps`, '{', " + (pos + 1) + ") IS NULL AS `lastStep`\n"
                + "  FROM (SELECT *, SPLIT_INDEX(`steps`, '{', " + pos + ") AS `st` FROM " + reach(step - 1) + ") Q) R\n"
                + "LEFT JOIN ${edges} X ON X.`src` = R.`n_key` AND X.`pred` = R.`stepPred` AND X.`dir` = R.`stepDir`\n"
                + "WHERE R.`done` OR R.`stepDir` = 'S' OR X.`src` IS NOT NULL");
    }

    /** The chain columns after a step; {@code next} formats a column of the node the step leads to. */
    private static String movedColumns(String marked, String next) {
        String prefix = "CASE WHEN R.`here` IS NULL THEN R.`parentPrefix` ELSE R.`parentPrefix` || R.`here` || ' ==> ' END";
        return String.join(", ",
                "CASE WHEN " + marked + " THEN " + next.formatted("n_entity") + " ELSE R.`this` END AS `this`",
                "CASE WHEN " + marked + " THEN R.`this` ELSE R.`parentThis` END AS `parentThis`",
                "CASE WHEN " + marked + " THEN R.`focus` || '|' || " + next.formatted("n_key") + " ELSE R.`focus` END AS `focus`",
                "CASE WHEN " + marked + " THEN R.`focus` ELSE R.`parent` END AS `parent`",
                "CASE WHEN " + marked + " THEN " + prefix + " ELSE R.`parentPrefix` END AS `parentPrefix`",
                "CASE WHEN " + marked + " THEN R.`stepMark` || COALESCE('[' || " + next.formatted("n_idx") + " || ']', '') "
                        + "ELSE R.`here` END AS `here`");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // value nodes and checks

    /**
     * Value rows: the focus row plus one value node. The values of the attributes named {@code propertyPath} of the
     * focus node (the reference's reading), those attribute nodes themselves, or the value of the focus node when it
     * is an attribute node (one join: each attribute row is offered under its owner and name, and under its own id);
     * the focus node itself, or the nodes a value path reaches (one more join). {@code vpath} is the event's path
     * text, {@code idx} its index (NULL: none). Each branch reads {@code focus} once: every reference is planned anew.
     */
    private String values(Features features) {
        String attribute = "F.`valueKind` = '" + ValueKind.ATTRIBUTE.columnValue() + "'";
        String value = "F.`valueKind` = '" + ValueKind.VALUE.columnValue() + "'";
        boolean valueOfFocus = features.uses().contains(Use.FOCUS_VALUES);
        String slots = "SELECT COALESCE(`parentId`, `entityId`) AS `owner`, `name` AS `slot`, * FROM ${attributes_view}"
                + " WHERE `deleted` IS NOT TRUE"
                + (valueOfFocus ? "\n    UNION ALL\n    SELECT `id` AS `owner`, CAST('' AS STRING) AS `slot`, * FROM ${attributes_view}"
                        + " WHERE `deleted` IS NOT TRUE" : "");
        List<String> branches = new ArrayList<>();
        branches.add(sql("""
                SELECT F.*, B.`id` AS `attr_id`,
                  CASE WHEN %1$s THEN CAST(NULL AS STRING) ELSE B.`attributeValue` END AS `val`,
                  CASE WHEN %1$s THEN CAST(NULL AS STRING) ELSE B.`valueType` END AS `valueType`,
                  CASE WHEN %1$s THEN '@bnode' ELSE B.`nodeType` END AS `nodeType`, B.`type` AS `attr_typ`,
                  B.`datasetId` AS `datasetId`, CASE WHEN %1$s THEN CAST(NULL AS STRING) ELSE B.`lang` END AS `lang`,
                  CASE WHEN %4$s THEN CAST(NULL AS STRING) ELSE %2$s END AS `idx`,
                  CASE WHEN %4$s THEN F.`display` ELSE F.`prefix` || F.`propertyPath` END AS `vpath`
                FROM ${focus} F JOIN (
                    %3$s) B
                  ON B.`owner` = F.`n_key` AND B.`slot` = CASE WHEN %4$s THEN '' ELSE F.`propertyPath` END
                WHERE F.`valuePath` IS NULL AND (F.`valueKind` IS NULL OR %1$s OR %4$s)"""
                .formatted(attribute, idx("B"), slots, value)));
        boolean pathValues = features.uses().contains(Use.PATH_VALUES);
        if (valueOfFocus || pathValues) {
            // the focus node itself, or the nodes a value path reaches
            String isPath = "F.`valueKind` = '" + ValueKind.PATH.columnValue() + "'";
            List<String> columns = new ArrayList<>();
            for (String[] c : new String[][] {{"n_val", "val"}, {"n_valueType", "valueType"}, {"n_nodeType", "nodeType"},
                {"n_attr_typ", "attr_typ"}, {"n_datasetId", "datasetId"}, {"n_lang", "lang"}}) {
                columns.add((pathValues ? "CASE WHEN " + isPath + " THEN R.`" + c[0] + "` ELSE F.`" + c[0] + "` END"
                        : "F.`" + c[0] + "`") + " AS `" + c[1] + "`");
            }
            columns.add((pathValues ? "CASE WHEN " + isPath + " THEN R.`n_idx` END" : "CAST(NULL AS STRING)") + " AS `idx`");
            columns.add("CASE WHEN " + isPath + " THEN F.`prefix` || F.`propertyPath` ELSE F.`display` END AS `vpath`");
            String where = (valueOfFocus ? "F.`valueKind` = '" + ValueKind.FOCUS.columnValue() + "'" : "FALSE")
                    + (pathValues ? " OR (" + isPath + " AND R.`pathId` IS NOT NULL)" : "");
            branches.add(sql("SELECT F.*, CAST(NULL AS STRING) AS `attr_id`, " + String.join(", ", columns)
                    + "\nFROM ${focus} F"
                    + (pathValues ? "\nLEFT JOIN ${reached} R ON R.`pathId` = F.`valuePath` AND R.`focus` = F.`focus`" : "")
                    + "\nWHERE " + where));
        }
        return sql("CREATE VIEW ${values} AS\n" + String.join("\nUNION ALL\n", branches));
    }

    /** A per-value check: one element of the check array unnested over {@code values}. */
    private record ValueCheck(String component, boolean withIndex, String condition, String detail) {
    }

    private static List<ValueCheck> valueChecks() {
        List<ValueCheck> v = new ArrayList<>();
        String value = "'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath`";
        // sh:nodeKind (property and relationship); only when the shape declares one (or the value path implies one).
        // Outside the reference's value shapes (no attributeType), a JSON literal is a literal and a list a blank node.
        String kind = "CASE WHEN `attributeType` IS NULL AND `nodeType` = '@json' THEN '@value' WHEN `attributeType` IS NULL"
                + " AND `nodeType` = '@list' THEN '@bnode' ELSE COALESCE(`nodeType`, '') END";
        v.add(new ValueCheck("NodeKindConstraintComponent", true,
                "`propertyNodetype` IS NOT NULL AND (LOCATE(',' || " + kind + " || ',', ',' || "
                        + "`propertyNodetype` || ',') = 0 OR (`attributeType` IS NOT NULL AND `attr_typ` IS DISTINCT FROM `attributeType`))",
                value + " || ' is not of node kind ' || COALESCE(`propertyNodetype`, '')"));
        // relationship sh:class: the target entity exists and its type is rdfs:subClassOf* the class
        v.add(new ValueCheck("ClassConstraintComponent", true,
                "`attributeType` = '" + NgsiLdVocabulary.RELATIONSHIP + "' AND `propertyClass` IS NOT NULL AND "
                        + "(`nodeType` IS DISTINCT FROM '@id' OR `target_id` IS NULL "
                        + "OR (`target_type` <> `propertyClass` AND `target_subclass` IS NULL))",
                value + " || ' is not an entity of class ' || COALESCE(`propertyClass`, '')"));
        // property sh:class: <value> rdf:type/rdfs:subClassOf* class in the knowledge; the event keeps the
        // reference's name (DatatypeConstraintComponent) so existing alert keys stay stable
        v.add(new ValueCheck("DatatypeConstraintComponent", true,
                "`attributeType` <> '" + NgsiLdVocabulary.RELATIONSHIP + "' AND `propertyClass` IS NOT NULL AND "
                        + "(`nodeType` IS DISTINCT FROM '@id' OR `value_instance` IS NULL)",
                value + " || ' is not an instance of ' || COALESCE(`propertyClass`, '')"));
        // sh:class on any other node: an entity by its type, an IRI by the knowledge, an attribute node by its
        // NGSI-LD type (each rdfs:subClassOf* the class); a literal never
        v.add(new ValueCheck("ClassConstraintComponent", true,
                "`attributeType` IS NULL AND `propertyClass` IS NOT NULL AND ("
                        + "(`nodeType` = '@id' AND ((`target_id` IS NOT NULL AND "
                        + "(`target_type` = `propertyClass` OR `target_subclass` IS NOT NULL)) OR `value_instance` IS NOT NULL))"
                        + " OR (`nodeType` = '@bnode' AND (`attr_typ` = `propertyClass` OR `target_subclass` IS NOT NULL))"
                        + ") IS NOT TRUE",
                value + " || ' is not an instance of ' || COALESCE(`propertyClass`, '')"));
        v.add(new ValueCheck("DatatypeConstraintComponent", true, datatypeViolation(),
                value + " || ' does not match ' || COALESCE(`datatypes`, `propertyNodetype`, '')"));
        for (String[] bound : new String[][] {{"minExclusive", ">"}, {"minInclusive", ">="}, {"maxExclusive", "<"},
            {"maxInclusive", "<="}}) {
            String b = "`" + bound[0] + "`";
            String component = Character.toUpperCase(bound[0].charAt(0)) + bound[0].substring(1) + "ConstraintComponent";
            v.add(new ValueCheck(component, true, b + " IS NOT NULL AND NOT " + compare("`val`", bound[1], b),
                    value + " || ' is not " + bound[1] + " ' || COALESCE(" + b + ", '')"));
        }
        v.add(new ValueCheck("MinLengthConstraintComponent", true,
                "`minLength` IS NOT NULL AND (`val` IS NULL OR CHAR_LENGTH(`val`) < TRY_CAST(`minLength` AS INT))",
                value + " || ' is shorter than ' || COALESCE(`minLength`, '')"));
        v.add(new ValueCheck("MaxLengthConstraintComponent", true,
                "`maxLength` IS NOT NULL AND (`val` IS NULL OR CHAR_LENGTH(`val`) > TRY_CAST(`maxLength` AS INT))",
                value + " || ' is longer than ' || COALESCE(`maxLength`, '')"));
        v.add(new ValueCheck("PatternConstraintComponent", true,
                "`pattern` IS NOT NULL AND (`val` IS NULL OR NOT REGEXP(`val`, `pattern`))",
                value + " || ' does not match ' || COALESCE(`pattern`, '')"));
        v.add(new ValueCheck("InConstraintComponent", true,
                "`ins` IS NOT NULL AND (`val` IS NULL OR LOCATE(',\"' || REPLACE(REPLACE(`val`, '\\', '\\\\'), '\"', "
                        + "'\\\"') || '\",', ',' || `ins` || ',') = 0)",
                value + " || ' is not in ' || COALESCE(`ins`, '')"));
        // the reference's per-value reading; attribute nodes and path values use SHACL's (HasValueConstraintComponent
        // branch of checks(): some value node equals the value)
        v.add(new ValueCheck("HasValueConstraintComponent", false,
                "`hasValue` IS NOT NULL AND (`valueKind` IS NULL OR `valueKind` IN ('" + ValueKind.FOCUS.columnValue()
                        + "', '" + ValueKind.VALUE.columnValue() + "')) AND (`val` IS NULL OR " + equalsHasValue("`val`", "`valueType`", "`hasValue`") + " IS NOT TRUE)",
                value + " || ' is not ' || COALESCE(`hasValue`, '')"));
        v.add(new ValueCheck("LanguageInConstraintComponent", true,
                "`languagePattern` IS NOT NULL AND (`lang` IS NULL OR NOT REGEXP(`lang`, `languagePattern`))",
                value + " || ' has language ' || COALESCE(`lang`, 'none')"));
        return v;
    }

    /** Whether a value equals {@code sh:hasValue}: numerically for numbers, case-insensitively for booleans. */
    private static String equalsHasValue(String value, String valueType, String hasValue) {
        return "(CASE WHEN " + valueType + " IN ('" + XSD + "double', '" + XSD + "float', '" + XSD + "decimal') "
                + "THEN TRY_CAST(" + value + " AS DOUBLE) = TRY_CAST(" + hasValue + " AS DOUBLE) "
                + "WHEN " + valueType + " = '" + XSD + "integer' THEN TRY_CAST(" + value + " AS BIGINT) = TRY_CAST("
                + hasValue + " AS BIGINT) "
                + "WHEN " + valueType + " = '" + XSD + "boolean' THEN LOWER(" + value + ") = LOWER(" + hasValue + ") "
                + "ELSE " + value + " = " + hasValue + " END)";
    }

    private static String event(String component, boolean withIndex) {
        return "'" + component + "(' || `vpath` || " + (withIndex ? "COALESCE('[' || `idx` || ']', '') || " : "") + "')'";
    }

    private List<String> checks(Features features) {
        List<String> checks = new ArrayList<>();
        Set<Use> uses = features.uses();
        // the lookups of the sh:class checks (the entity a value names, its class's superclasses, the knowledge's
        // instances), the only ones that read them, only for the value rows of an sh:class constraint: the others
        // (most value rows, e.g. every numeric update) skip the three LEFT JOINs and the state they keep. The price:
        // Flink pushes the branch filter below the values join, so that join (and the focus under it) is planned
        // twice, each copy holding its half of the focus rows and every attribute row; measured, the job still gains
        // a third (docs/benchmarks.md, issue 20).
        // every per-value check in one pass over the value rows: one array element per check (its event, or NULL
        // when the value passes, and the check's number), unnested. The detail text is built after the unnest from
        // that number, so only for the rows that fail: built inside the array it was concatenated for every check of
        // every value row, the largest part of the job's CPU per update (docs/benchmarks.md, issue 20).
        List<ValueCheck> valueChecks = valueChecks();
        List<String> elements = new ArrayList<>();
        StringBuilder details = new StringBuilder("CASE C.`checkIndex`");
        for (int i = 0; i < valueChecks.size(); i++) {
            ValueCheck c = valueChecks.get(i);
            elements.add("ROW(CASE WHEN " + c.condition() + " THEN " + event(c.component(), c.withIndex()) + " END, " + i + ")");
            details.append("\n    WHEN ").append(i).append(" THEN ").append(c.detail());
        }
        details.append(" END");
        checks.add(sql("""
                SELECT V.`this` AS `resource`, C.`event`, V.`constraint_id`, V.`severity`, V.`message`, %s AS `detail`,
                  V.`val`, V.`datasetId`, V.`propertyPath` AS `path`, V.`focus`, V.`parent`
                FROM (
                  SELECT `this`, `focus`, `parent`, `constraint_id`, `severity`, `message`, `val`, `datasetId`,
                    `propertyPath`, %s, ARRAY[
                    %s] AS `results`
                  FROM (
                    SELECT V.*, O.`id` AS `target_id`, O.`type` AS `target_type`,
                      R.`subject` AS `target_subclass`, I.`instance` AS `value_instance`
                    FROM (SELECT * FROM ${values} WHERE `propertyClass` IS NOT NULL) V
                    LEFT JOIN ${present_entities} O ON O.`id` = V.`val`
                      AND (V.`attributeType` = '%s' OR (V.`attributeType` IS NULL AND V.`nodeType` = '@id'))
                    LEFT JOIN ${rdf} R ON R.`subject` = '<' || COALESCE(O.`type`,
                        CASE WHEN V.`nodeType` = '@bnode' THEN V.`attr_typ` END) || '>' AND R.`predicate` = '%s'
                      AND R.`object` = '<' || V.`propertyClass` || '>'
                    LEFT JOIN ${instance_of} I ON I.`instance` = '<' || V.`val` || '>'
                      AND I.`cls` = '<' || V.`propertyClass` || '>'
                    UNION ALL
                    SELECT *, CAST(NULL AS STRING) AS `target_id`, CAST(NULL AS STRING) AS `target_type`,
                      CAST(NULL AS STRING) AS `target_subclass`, CAST(NULL AS STRING) AS `value_instance`
                    FROM ${values} WHERE `propertyClass` IS NULL)) V
                CROSS JOIN UNNEST(V.`results`) AS C(`event`, `checkIndex`)
                WHERE C.`event` IS NOT NULL""".formatted(details, DETAIL_COLUMNS.stream().map(SqlIdentifiers::quote)
                .collect(Collectors.joining(", ")), String.join(",\n    ", elements), NgsiLdVocabulary.RELATIONSHIP,
                SUBCLASS_OF)));
        if (uses.contains(Use.COUNTS) || uses.contains(Use.PATH_COUNTS)) {
            // sh:minCount / sh:maxCount: attribute instances (distinct datasetIds) of the focus node, or the distinct
            // nodes a path reaches. The instances come from present_attributes, which a value update does not change.
            String attributes = uses.contains(Use.COUNTS) ? """

                      LEFT JOIN ${present_attributes} B ON B.`owner` = F.`n_key` AND B.`name` = F.`propertyPath`
                        AND F.`valuePath` IS NULL""" : "";
            String reached = uses.contains(Use.PATH_COUNTS) ? """

                      LEFT JOIN ${reached} R ON R.`pathId` = F.`valuePath` AND R.`focus` = F.`focus`""" : "";
            String counted = uses.contains(Use.COUNTS) && uses.contains(Use.PATH_COUNTS) ? "COALESCE(B.`id`, R.`n_key`)"
                    : uses.contains(Use.COUNTS) ? "B.`id`" : "R.`n_key`";
            checks.add(sql("""
                    SELECT `this` AS `resource`, 'CountConstraintComponent(' || `prefix` || `propertyPath` || ')' AS `event`,
                      `constraint_id`, `severity`, `message`,
                      CASE WHEN `valueKind` = '%1$s' THEN 'Path ' || `propertyPath` || ' of ' || `this` || ' reaches '
                        || CAST(`c` AS STRING) || ' nodes' ELSE 'Attribute ' || `propertyPath` || ' of ' || `this`
                        || ' has ' || CAST(`c` AS STRING) || ' instances' END AS `detail`,
                      CAST(`c` AS STRING) AS `val`, CAST(NULL AS STRING) AS `datasetId`, `propertyPath` AS `path`, `focus`, `parent`
                    FROM (
                      SELECT F.`this`, F.`focus`, F.`parent`, F.`prefix`, F.`constraint_id`, F.`severity`, F.`message`,
                        F.`propertyPath`, F.`valueKind`, F.`minCount`, F.`maxCount`, COUNT(DISTINCT %2$s) AS `c`
                      FROM ${focus} F%3$s%4$s
                      WHERE F.`propertyPath` IS NOT NULL AND (F.`minCount` IS NOT NULL OR F.`maxCount` IS NOT NULL)
                        AND (F.`valueKind` IS NULL OR F.`valueKind` IN ('%5$s', '%1$s'))
                      GROUP BY F.`this`, F.`focus`, F.`parent`, F.`prefix`, F.`constraint_id`, F.`severity`, F.`message`,
                        F.`propertyPath`, F.`valueKind`, F.`minCount`, F.`maxCount`)
                    WHERE `c` < TRY_CAST(`minCount` AS INT) OR `c` > TRY_CAST(`maxCount` AS INT)""".formatted(
                    ValueKind.PATH.columnValue(), counted, attributes, reached,
                    ValueKind.ATTRIBUTE.columnValue())));
        }
        if (uses.contains(Use.NODE_HAS_VALUE)) {
            // sh:hasValue of attribute nodes and paths (SHACL: some value node is the value; also when there is none)
            checks.add(sql("""
                    SELECT F.`this` AS `resource`, 'HasValueConstraintComponent(' || F.`prefix` || F.`propertyPath` || ')' AS `event`,
                      F.`constraint_id`, F.`severity`, F.`message`,
                      'No value of ' || F.`propertyPath` || ' of ' || F.`this` || ' is ' || F.`hasValue` AS `detail`,
                      CAST(NULL AS STRING) AS `val`, CAST(NULL AS STRING) AS `datasetId`, F.`propertyPath` AS `path`, F.`focus`, F.`parent`
                    FROM ${focus} F
                    LEFT JOIN ${values} V ON V.`constraint_id` = F.`constraint_id` AND V.`focus` = F.`focus`
                      AND %s IS TRUE
                    WHERE F.`hasValue` IS NOT NULL AND F.`valueKind` IN ('%s', '%s')
                    GROUP BY F.`this`, F.`focus`, F.`parent`, F.`prefix`, F.`constraint_id`, F.`severity`, F.`message`,
                      F.`propertyPath`, F.`hasValue`
                    HAVING COUNT(V.`constraint_id`) = 0""".formatted(equalsHasValue("V.`val`", "V.`valueType`",
                    "F.`hasValue`"), ValueKind.ATTRIBUTE.columnValue(), ValueKind.PATH.columnValue())));
        }
        if (uses.contains(Use.UNIQUE_LANG)) {
            checks.add(sql("""
                    SELECT `this` AS `resource`, 'UniqueLangConstraintComponent(' || `prefix` || `propertyPath` || ')' AS `event`,
                      `constraint_id`, `severity`, `message`,
                      'Attribute ' || `propertyPath` || ' of ' || `this` || ' has several values in language ' || `lang` AS `detail`,
                      `lang` AS `val`, CAST(NULL AS STRING) AS `datasetId`, `propertyPath` AS `path`, `focus`, `parent`
                    FROM ${values} WHERE `uniqueLang` = 'true' AND `lang` IS NOT NULL
                    GROUP BY `this`, `focus`, `parent`, `prefix`, `constraint_id`, `severity`, `message`, `propertyPath`,
                      LOWER(`lang`), `lang`
                    HAVING COUNT(DISTINCT COALESCE(`attr_id`, '') || '|' || COALESCE(`val`, '')) > 1"""));
        }
        if (uses.contains(Use.PAIRS)) {
            checks.addAll(pairChecks());
        }
        if (uses.contains(Use.CLOSED)) {
            checks.add(sql("""
                    SELECT F.`this` AS `resource`, 'ClosedConstraintComponent(' || F.`prefix` || B.`name` || '['
                        || CASE WHEN B.`datasetId` = '@none' THEN '0' ELSE B.`datasetId` END || '])' AS `event`,
                      F.`constraint_id`, F.`severity`, F.`message`,
                      'Attribute ' || B.`name` || ' of ' || F.`this` || ' is not allowed by the closed shape' AS `detail`,
                      B.`attributeValue` AS `val`, B.`datasetId`, B.`name` AS `path`, F.`focus`, F.`parent`
                    FROM ${focus} F JOIN ${attributes_view} B ON COALESCE(B.`parentId`, B.`entityId`) = F.`n_key`
                    WHERE F.`closedPaths` IS NOT NULL AND B.`deleted` IS NOT TRUE
                      AND LOCATE('<' || B.`name` || '>', F.`closedPaths`) = 0"""));
        }
        return checks;
    }

    private List<String> pairChecks() {
        List<String> checks = new ArrayList<>();
        // sh:disjoint, sh:lessThan, sh:lessThanOrEquals: every pair of values of the two attributes
        checks.add(sql("""
                SELECT V.`this` AS `resource`, CASE V.`pairKind` WHEN 'disjoint' THEN 'DisjointConstraintComponent('
                    WHEN 'lessThan' THEN 'LessThanConstraintComponent(' ELSE 'LessThanOrEqualsConstraintComponent(' END
                    || V.`vpath` || '[' || V.`idx` || '])' AS `event`,
                  V.`constraint_id`, V.`severity`, V.`message`,
                  'Value ' || COALESCE(V.`val`, 'NULL') || ' of ' || V.`propertyPath` || ' violates ' || V.`pairKind`
                    || ' with value ' || COALESCE(O.`attributeValue`, 'NULL') || ' of ' || V.`pairPath` AS `detail`,
                  V.`val`, V.`datasetId`, V.`propertyPath` AS `path`, V.`focus`, V.`parent`
                FROM ${values} V
                JOIN ${attributes_view} O ON COALESCE(O.`parentId`, O.`entityId`) = V.`n_key` AND O.`name` = V.`pairPath`
                WHERE O.`deleted` IS NOT TRUE AND (
                  (V.`pairKind` = 'disjoint' AND V.`val` = O.`attributeValue`)
                  OR (V.`pairKind` = 'lessThan' AND NOT %s)
                  OR (V.`pairKind` = 'lessThanOrEquals' AND NOT %s))""".formatted(
                compare("V.`val`", "<", "O.`attributeValue`"), compare("V.`val`", "<=", "O.`attributeValue`"))));
        // sh:equals: every value of the attribute is a value of the other one, and the other way round
        checks.add(sql("""
                SELECT V.`this` AS `resource`, 'EqualsConstraintComponent(' || V.`vpath` || ')' AS `event`,
                  V.`constraint_id`, V.`severity`, V.`message`,
                  'Value ' || COALESCE(V.`val`, 'NULL') || ' of ' || V.`propertyPath` || ' is not a value of ' || V.`pairPath` AS `detail`,
                  V.`val`, V.`datasetId`, V.`propertyPath` AS `path`, V.`focus`, V.`parent`
                FROM ${values} V
                LEFT JOIN ${attributes_view} O ON COALESCE(O.`parentId`, O.`entityId`) = V.`n_key` AND O.`name` = V.`pairPath`
                  AND O.`attributeValue` = V.`val` AND O.`deleted` IS NOT TRUE
                WHERE V.`pairKind` = 'equals' AND O.`id` IS NULL"""));
        checks.add(sql("""
                SELECT F.`this` AS `resource`, 'EqualsConstraintComponent(' || F.`prefix` || F.`propertyPath` || ')' AS `event`,
                  F.`constraint_id`, F.`severity`, F.`message`,
                  'Value ' || COALESCE(O.`attributeValue`, 'NULL') || ' of ' || F.`pairPath` || ' is not a value of '
                    || F.`propertyPath` AS `detail`,
                  O.`attributeValue` AS `val`, O.`datasetId`, F.`propertyPath` AS `path`, F.`focus`, F.`parent`
                FROM ${focus} F
                JOIN ${attributes_view} O ON COALESCE(O.`parentId`, O.`entityId`) = F.`n_key` AND O.`name` = F.`pairPath`
                LEFT JOIN ${attributes_view} B ON COALESCE(B.`parentId`, B.`entityId`) = F.`n_key`
                  AND B.`name` = F.`propertyPath` AND B.`attributeValue` = O.`attributeValue` AND B.`deleted` IS NOT TRUE
                WHERE F.`pairKind` = 'equals' AND O.`deleted` IS NOT TRUE AND B.`id` IS NULL"""));
        return checks;
    }

    /**
     * One combination level: OR/AND/NOT/XONE/NODE and qualified counts over the triggers of the level below, in one
     * aggregation so the level below is read once. A member trigger counts for the combination's focus node when it
     * was raised at that focus node ({@code member_depth} 0) or at one of its value nodes ({@code member_depth} 1).
     */
    private String level(int level, boolean qualified) {
        String below = triggers(level - 1);
        String conforming = "(COALESCE(`children`, 0) - `failed`)";
        String children = qualified
                ? "\n  LEFT JOIN ${children} CH ON CH.`pathId` = F.`valuePath` AND CH.`parent` = F.`focus`" : "";
        String childrenColumn = qualified ? "CH.`children`" : "CAST(0 AS BIGINT) AS `children`";
        String groupChildren = qualified ? ", CH.`children`" : "";
        String combinations = sql("""
                SELECT CASE WHEN `resultAt` = '%6$s' THEN `parentThis` ELSE `this` END AS `resource`,
                  CASE WHEN `operation` = 'NODE' THEN 'NodeConstraintComponent(' || `display` || ')'
                    WHEN `operation` <> 'QUALIFIED' THEN `operation` || ' Constraint id ' || CAST(`constraint_id` AS STRING)
                    WHEN %1$s < TRY_CAST(`qualifiedMinCount` AS INT) THEN 'QualifiedMinCountConstraintComponent(' || `prefix` || `propertyPath` || ')'
                    ELSE 'QualifiedMaxCountConstraintComponent(' || `prefix` || `propertyPath` || ')' END AS `event`,
                  `constraint_id`, `severity`, %2$s AS `text`, CAST(NULL AS STRING) AS `datasetId`, `focus`, `parent`
                FROM (
                  SELECT F.`this`, F.`parentThis`, F.`resultAt`, F.`focus`, F.`parent`, F.`prefix`, F.`display`,
                    F.`constraint_id`, F.`severity`, F.`message`, F.`propertyPath`, F.`qualifiedMinCount`,
                    F.`qualifiedMaxCount`, N.`operation`, N.`needed`, I.`instances`, %7$s,
                    COUNT(DISTINCT T.`member`) AS `fired`, COUNT(DISTINCT T.`mfocus`) AS `failed`,
                    LISTAGG(T.`text`, ' AND ') AS `texts`
                  FROM ${focus} F
                  JOIN ${needed} N ON N.`target` = F.`constraint_id`
                  LEFT JOIN ${instances} I ON I.`owner` = F.`n_key` AND I.`name` = F.`propertyPath`%5$s
                  LEFT JOIN (
                    SELECT X.`text`, X.`focus` AS `mfocus`, CASE WHEN M.`member_depth` = 1 THEN X.`parent` ELSE X.`focus` END
                      AS `link`, M.`member_constraint_id` AS `member`, M.`target_constraint_id` AS `target`
                    FROM %3$s X JOIN ${combinations} M ON M.`member_constraint_id` = X.`constraint_id`
                    WHERE M.`operation` <> 'PUBLISH') T
                    ON T.`target` = F.`constraint_id` AND T.`link` = F.`focus`
                  WHERE N.`level` = %4$d
                    AND (F.`propertyPath` IS NULL OR N.`operation` IN ('OR', 'AND', 'QUALIFIED', 'NODE') OR I.`instances` IS NOT NULL)
                  GROUP BY F.`this`, F.`parentThis`, F.`resultAt`, F.`focus`, F.`parent`, F.`prefix`, F.`display`,
                    F.`constraint_id`, F.`severity`, F.`message`, F.`propertyPath`, F.`qualifiedMinCount`,
                    F.`qualifiedMaxCount`, N.`operation`, N.`needed`, I.`instances`%8$s)
                WHERE (`operation` = 'OR' AND `fired` = `needed`) OR (`operation` IN ('AND', 'NODE') AND `fired` > 0)
                  OR (`operation` = 'NOT' AND `fired` = 0) OR (`operation` = 'XONE' AND `fired` <> `needed` - 1)
                  OR (`operation` = 'QUALIFIED' AND (%1$s < TRY_CAST(`qualifiedMinCount` AS INT)
                    OR %1$s > TRY_CAST(`qualifiedMaxCount` AS INT)))"""
                .formatted(conforming, text("`message`", "`this`", "CAST(NULL AS STRING)", "`propertyPath`",
                        "CASE WHEN `operation` = 'OR' THEN 'All alternatives failed: ' || `texts` "
                                + "WHEN `operation` = 'AND' THEN 'A conjunct failed: ' || `texts` "
                                + "WHEN `operation` = 'NODE' THEN 'Value ' || `display` || ' does not conform to the "
                                + "referenced node shape: ' || `texts` "
                                + "WHEN `operation` = 'NOT' THEN 'The value conforms to a negated shape' "
                                + "WHEN `operation` = 'XONE' THEN CAST(`needed` - `fired` AS STRING) "
                                + "|| ' alternatives conform instead of one' "
                                + "ELSE 'Path ' || `propertyPath` || ' of ' || `this` || ' has ' || CAST(" + conforming
                                + " AS STRING) || ' value nodes conforming to the qualified value shape' END"),
                        below, level, children, ConstraintTable.RESULT_AT_PARENT, childrenColumn, groupChildren));
        return "CREATE VIEW " + triggers(level) + " AS\n"
                + "SELECT `resource`, `event`, `constraint_id`, `severity`, `text`, `datasetId`, `focus`, `parent` FROM "
                + below + "\nUNION ALL\n" + combinations;
    }

    /** SHACL value comparison: numeric when the bound is a number, else lexical; incomparable values violate. */
    private static String compare(String value, String op, String bound) {
        return "(CASE WHEN TRY_CAST(" + bound + " AS DOUBLE) IS NOT NULL THEN TRY_CAST(" + value + " AS DOUBLE) " + op
                + " TRY_CAST(" + bound + " AS DOUBLE) ELSE " + value + " " + op + " " + bound + " END) IS TRUE";
    }

    private static String datatypeViolation() {
        String listed = "LOCATE(',%s,', ',' || `datatypes` || ',') > 0";
        String common = "(" + List.of("string", "integer", "double", "boolean").stream()
                .map(x -> listed.formatted(XSD + x)).collect(Collectors.joining(" OR ")) + ")";
        String literal = "COALESCE(`nodeType`, '@value') = '@value'";
        String matches = "(" + String.join(" OR ",
                "(" + listed.formatted(XSD + "string") + " AND COALESCE(`valueType`, '" + XSD + "string') = '" + XSD
                        + "string')",
                "(" + listed.formatted(XSD + "integer") + " AND COALESCE(`valueType`, '" + XSD + "integer') = '" + XSD
                        + "integer' AND REGEXP(`val`, '" + INTEGER_LEXICAL + "'))",
                "(" + listed.formatted(XSD + "double") + " AND COALESCE(`valueType`, '" + XSD + "double') = '" + XSD
                        + "double' AND REGEXP(`val`, '" + DOUBLE_LEXICAL.replace("'", "''") + "'))",
                "(" + listed.formatted(XSD + "boolean") + " AND COALESCE(`valueType`, '" + XSD + "boolean') = '" + XSD
                        + "boolean' AND REGEXP(`val`, '" + BOOLEAN_LEXICAL + "'))",
                "(`valueType` IS NOT NULL AND LOCATE(',' || `valueType` || ',', ',' || `datatypes` || ',') > 0)")
                + ")";
        return "(`propertyNodetype` = '@json' AND (`val` IS JSON OBJECT) IS NOT TRUE)"
                + "\n  OR (`propertyNodetype` = '@list' AND (`val` IS JSON ARRAY) IS NOT TRUE)"
                + "\n  OR (`datatypes` IS NOT NULL AND COALESCE(`propertyNodetype`, '') NOT IN ('@json', '@list') AND "
                + common + "\n    AND (`val` IS NULL OR NOT " + literal + " OR (" + matches + ") IS NOT TRUE))";
    }

    /** sh:message with {$this}/{?this}, {$value}/{?value}, {$path}/{?path} substituted, else the default text. */
    private static String text(String message, String focus, String value, String path, String detail) {
        String m = message;
        for (String[] p : new String[][] {{"this", focus}, {"value", value}, {"path", path}}) {
            for (String sigil : List.of("$", "?")) {
                m = "REPLACE(" + m + ", '{" + sigil + p[0] + "}', COALESCE(" + p[1] + ", 'NULL'))";
            }
        }
        return "CASE WHEN " + message + " IS NULL THEN " + detail + " ELSE " + m + " END";
    }

    /** {@code alias.`c1`, alias.`c2`, ...}. */
    private static String columns(String alias, List<String> columns) {
        return columns.stream().map(c -> alias + quote(c)).collect(Collectors.joining(", "));
    }

    /** {@code e1 AS `c1`, e2 AS `c2`, ...}. */
    private static String columns(String ignored, List<String> expressions, List<String> names) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(expressions.get(i) + " AS " + quote(names.get(i)));
        }
        return String.join(", ", out);
    }

    private String sql(String template) {
        String out = template;
        for (Map.Entry<String, String> e : names.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue());
        }
        return out;
    }
}
