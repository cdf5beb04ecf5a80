package io.flinkjobrunner.compiler;

import static io.flinkjobrunner.compiler.SqlIdentifiers.quote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fixed, generic Flink SQL of the data-driven checks: views joining {@code entities_view × constraint_table ×
 * attributes_view [× rdf]}, the combination levels, and the PUBLISH insert into {@code alerts_bulk}.
 *
 * <p>No shape content appears in this SQL; it depends only on the table names and on the number of combination levels
 * (the nesting depth of {@code sh:or}/{@code sh:and}/{@code sh:not}/{@code sh:xone}). Every check view row is
 * {@code (resource, event, constraint_id, severity, message, detail, val, datasetId, path)}.
 */
final class CheckStatements {

    private static final String XSD = "http://www.w3.org/2001/XMLSchema#";
    private static final String RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
    private static final String SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>";
    private static final String DOUBLE_LEXICAL = "^[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$|^(?:INF|-INF|NaN)$";
    private static final String INTEGER_LEXICAL = "^[+-]?[0-9]+$";
    private static final String BOOLEAN_LEXICAL = "^(?i:true|false)$";

    private final TableNames t;
    private final Map<String, String> names = new LinkedHashMap<>();

    CheckStatements(TableNames tables) {
        this.t = tables;
        names.put("entities_view", quote(tables.entitiesView()));
        names.put("attributes_view", quote(tables.attributesView()));
        names.put("entities", quote(tables.entities()));
        names.put("attributes", quote(tables.attributes()));
        names.put("rdf", quote(tables.rdf()));
        names.put("constraints", quote(tables.constraints()));
        names.put("combinations", quote(tables.combinations()));
        for (String v : List.of("focus", "values", "instances", "instance_of", "checks", "needed")) {
            names.put(v, quote(tables.internal(v)));
        }
    }

    /** Name of the trigger view of combination level {@code level} (0 = plain checks). */
    String triggers(int level) {
        return quote(t.internal("triggers_" + level));
    }

    /** {@code CREATE VIEW} statements, in dependency order, for {@code levels} combination levels (0 = none). */
    List<String> views(int levels) {
        List<String> views = new ArrayList<>();
        views.add(sql("""
                CREATE VIEW ${entities_view} AS
                SELECT `id`, `type`, `deleted`, `ts` FROM (
                  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `ts` DESC) AS `rownum` FROM ${entities})
                WHERE `rownum` = 1"""));
        views.add(sql("""
                CREATE VIEW ${attributes_view} AS
                SELECT `id`, `parentId`, `entityId`, `name`, `nodeType`, `valueType`, `type`, `attributeValue`,
                  `datasetId`, `unitCode`, `lang`, `deleted`, `synced`, `ts` FROM (
                  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id`, `datasetId` ORDER BY `ts` DESC) AS `rownum`
                  FROM ${attributes})
                WHERE `rownum` = 1"""));
        String constraintColumns = ConstraintColumns.STRING_COLUMNS.stream().map(c -> "C." + quote(c))
                .collect(Collectors.joining(", "));
        views.add(sql("""
                CREATE VIEW ${focus} AS
                SELECT E.`id` AS `this`, E.`type` AS `typ`, C.`id` AS `constraint_id`, %1$s
                FROM ${entities_view} E JOIN ${constraints} C ON E.`type` = C.`targetClass`
                WHERE E.`deleted` IS NOT TRUE
                UNION ALL
                SELECT E.`id` AS `this`, E.`type` AS `typ`, C.`id` AS `constraint_id`, %1$s
                FROM ${entities_view} E JOIN ${constraints} C ON E.`id` = C.`targetNode`
                WHERE E.`deleted` IS NOT TRUE""".formatted(constraintColumns)));
        views.add(sql("""
                CREATE VIEW ${values} AS
                SELECT F.*, B.`id` AS `attr_id`, B.`attributeValue` AS `val`, B.`valueType` AS `valueType`,
                  B.`nodeType` AS `nodeType`, B.`type` AS `attr_typ`, B.`datasetId` AS `datasetId`, B.`lang` AS `lang`,
                  CASE WHEN B.`datasetId` = '@none' THEN '0' ELSE B.`datasetId` END AS `idx`
                FROM ${focus} F JOIN ${attributes_view} B ON B.`entityId` = F.`this` AND B.`name` = F.`propertyPath`
                WHERE B.`parentId` IS NULL AND B.`deleted` IS NOT TRUE"""));
        views.add(sql("""
                CREATE VIEW ${instances} AS
                SELECT `entityId`, `name`, COUNT(*) AS `instances` FROM ${attributes_view}
                WHERE `parentId` IS NULL AND `deleted` IS NOT TRUE
                GROUP BY `entityId`, `name`"""));
        views.add(sql("""
                CREATE VIEW ${instance_of} AS
                SELECT DISTINCT `instance`, `cls` FROM (
                  SELECT T.`subject` AS `instance`, S.`object` AS `cls`
                  FROM ${rdf} T JOIN ${rdf} S ON S.`subject` = T.`object`
                  WHERE T.`predicate` = '%s' AND S.`predicate` = '%s'
                  UNION ALL
                  SELECT `subject` AS `instance`, `object` AS `cls` FROM ${rdf} WHERE `predicate` = '%1$s')"""
                .formatted(RDF_TYPE, SUBCLASS_OF)));
        views.add(sql("CREATE VIEW ${checks} AS\n" + String.join("\nUNION ALL\n", checks())));
        views.add(sql("""
                CREATE VIEW %s AS
                SELECT `resource`, `event`, `constraint_id`, `severity`, %s AS `text`, `datasetId`
                FROM ${checks}""".formatted(triggers(0), text("`message`", "`resource`", "`val`", "`path`", "`detail`"))));
        views.add(sql("""
                CREATE VIEW ${needed} AS
                SELECT `target_constraint_id` AS `target`, `operation`, `level`, COUNT(*) AS `needed`
                FROM ${combinations} WHERE `operation` <> 'PUBLISH'
                GROUP BY `target_constraint_id`, `operation`, `level`"""));
        for (int level = 1; level <= levels; level++) {
            views.add(level(level));
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

    /** A per-value check: one element of the check array unnested over {@code values}. */
    private record ValueCheck(String component, boolean withIndex, String condition, String detail) {
    }

    private static List<ValueCheck> valueChecks() {
        List<ValueCheck> v = new ArrayList<>();
        String value = "'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath`";
        // sh:nodeKind (property and relationship); only when the shape declares one (or the value path implies one)
        v.add(new ValueCheck("NodeKindConstraintComponent", true,
                "`propertyNodetype` IS NOT NULL AND (LOCATE(',' || COALESCE(`nodeType`, '') || ',', ',' || "
                        + "`propertyNodetype` || ',') = 0 OR (`attributeType` IS NOT NULL AND `attr_typ` IS DISTINCT FROM `attributeType`))",
                value + " || ' is not of node kind ' || COALESCE(`propertyNodetype`, '')"));
        // relationship sh:class: the target entity exists and its type is rdfs:subClassOf* the class
        v.add(new ValueCheck("ClassConstraintComponent", true,
                "`attributeType` = '" + NgsiLdTerms.RELATIONSHIP + "' AND `propertyClass` IS NOT NULL AND "
                        + "(`nodeType` IS DISTINCT FROM '@id' OR `target_id` IS NULL OR `target_deleted` IS TRUE "
                        + "OR (`target_type` <> `propertyClass` AND `target_subclass` IS NULL))",
                value + " || ' is not an entity of class ' || COALESCE(`propertyClass`, '')"));
        // property sh:class: <value> rdf:type/rdfs:subClassOf* class in the knowledge; the event keeps the
        // reference's name (DatatypeConstraintComponent) so existing alert keys stay stable
        v.add(new ValueCheck("DatatypeConstraintComponent", true,
                "`attributeType` <> '" + NgsiLdTerms.RELATIONSHIP + "' AND `propertyClass` IS NOT NULL AND "
                        + "(`nodeType` IS DISTINCT FROM '@id' OR `value_instance` IS NULL)",
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
        v.add(new ValueCheck("HasValueConstraintComponent", false,
                "`hasValue` IS NOT NULL AND (`val` IS NULL OR (CASE "
                        + "WHEN `valueType` IN ('" + XSD + "double', '" + XSD + "float', '" + XSD + "decimal') "
                        + "THEN TRY_CAST(`val` AS DOUBLE) = TRY_CAST(`hasValue` AS DOUBLE) "
                        + "WHEN `valueType` = '" + XSD + "integer' THEN TRY_CAST(`val` AS BIGINT) = TRY_CAST(`hasValue` AS BIGINT) "
                        + "WHEN `valueType` = '" + XSD + "boolean' THEN LOWER(`val`) = LOWER(`hasValue`) "
                        + "ELSE `val` = `hasValue` END) IS NOT TRUE)",
                value + " || ' is not ' || COALESCE(`hasValue`, '')"));
        v.add(new ValueCheck("LanguageInConstraintComponent", true,
                "`languagePattern` IS NOT NULL AND (`lang` IS NULL OR NOT REGEXP(`lang`, `languagePattern`))",
                value + " || ' has language ' || COALESCE(`lang`, 'none')"));
        return v;
    }

    private List<String> checks() {
        List<String> checks = new ArrayList<>();
        // every per-value check in one pass over the attribute values: one array element per check, unnested
        String elements = valueChecks().stream().map(c -> "ROW(CASE WHEN " + c.condition() + " THEN '" + c.component()
                + "(' || `propertyPath` || " + (c.withIndex() ? "'[' || `idx` || '])'" : "')'") + " END, "
                + c.detail() + ")").collect(Collectors.joining(",\n    "));
        checks.add(sql("""
                SELECT V.`this` AS `resource`, C.`event`, V.`constraint_id`, V.`severity`, V.`message`, C.`detail`,
                  V.`val`, V.`datasetId`, V.`propertyPath` AS `path`
                FROM (
                  SELECT `this`, `constraint_id`, `severity`, `message`, `val`, `datasetId`, `propertyPath`, ARRAY[
                    %s] AS `results`
                  FROM (
                    SELECT V.*, O.`id` AS `target_id`, O.`type` AS `target_type`, O.`deleted` AS `target_deleted`,
                      R.`subject` AS `target_subclass`, I.`instance` AS `value_instance`
                    FROM ${values} V
                    LEFT JOIN ${entities_view} O ON O.`id` = V.`val` AND V.`attributeType` = '%s'
                    LEFT JOIN ${rdf} R ON R.`subject` = '<' || O.`type` || '>' AND R.`predicate` = '%s'
                      AND R.`object` = '<' || V.`propertyClass` || '>'
                    LEFT JOIN ${instance_of} I ON I.`instance` = '<' || V.`val` || '>'
                      AND I.`cls` = '<' || V.`propertyClass` || '>')) V
                CROSS JOIN UNNEST(V.`results`) AS C(`event`, `detail`)
                WHERE C.`event` IS NOT NULL""".formatted(elements, NgsiLdTerms.RELATIONSHIP, SUBCLASS_OF)));
        // sh:minCount / sh:maxCount: attribute instances (distinct datasetIds) of the entity
        checks.add(sql("""
                SELECT `this` AS `resource`, 'CountConstraintComponent(' || `propertyPath` || ')' AS `event`,
                  `constraint_id`, `severity`, `message`,
                  'Attribute ' || `propertyPath` || ' of ' || `this` || ' has ' || CAST(`c` AS STRING) || ' instances' AS `detail`,
                  CAST(`c` AS STRING) AS `val`, CAST(NULL AS STRING) AS `datasetId`, `propertyPath` AS `path`
                FROM (
                  SELECT F.`this`, F.`constraint_id`, F.`severity`, F.`message`, F.`propertyPath`, F.`minCount`, F.`maxCount`,
                    COUNT(B.`id`) AS `c`
                  FROM ${focus} F
                  LEFT JOIN ${attributes_view} B ON B.`entityId` = F.`this` AND B.`name` = F.`propertyPath`
                    AND B.`parentId` IS NULL AND B.`deleted` IS NOT TRUE
                  WHERE F.`propertyPath` IS NOT NULL AND (F.`minCount` IS NOT NULL OR F.`maxCount` IS NOT NULL)
                  GROUP BY F.`this`, F.`constraint_id`, F.`severity`, F.`message`, F.`propertyPath`, F.`minCount`, F.`maxCount`)
                WHERE `c` < TRY_CAST(`minCount` AS INT) OR `c` > TRY_CAST(`maxCount` AS INT)"""));
        checks.add(sql("""
                SELECT `this` AS `resource`, 'UniqueLangConstraintComponent(' || `propertyPath` || ')' AS `event`,
                  `constraint_id`, `severity`, `message`,
                  'Attribute ' || `propertyPath` || ' of ' || `this` || ' has several values in language ' || `lang` AS `detail`,
                  `lang` AS `val`, CAST(NULL AS STRING) AS `datasetId`, `propertyPath` AS `path`
                FROM ${values} WHERE `uniqueLang` = 'true' AND `lang` IS NOT NULL
                GROUP BY `this`, `constraint_id`, `severity`, `message`, `propertyPath`, LOWER(`lang`), `lang`
                HAVING COUNT(*) > 1"""));
        checks.addAll(pairChecks());
        checks.add(sql("""
                SELECT F.`this` AS `resource`, 'ClosedConstraintComponent(' || B.`name` || '['
                    || CASE WHEN B.`datasetId` = '@none' THEN '0' ELSE B.`datasetId` END || '])' AS `event`,
                  F.`constraint_id`, F.`severity`, F.`message`,
                  'Attribute ' || B.`name` || ' of ' || F.`this` || ' is not allowed by the closed shape' AS `detail`,
                  B.`attributeValue` AS `val`, B.`datasetId`, B.`name` AS `path`
                FROM ${focus} F JOIN ${attributes_view} B ON B.`entityId` = F.`this`
                WHERE F.`closedPaths` IS NOT NULL AND B.`parentId` IS NULL AND B.`deleted` IS NOT TRUE
                  AND LOCATE('<' || B.`name` || '>', F.`closedPaths`) = 0"""));
        return checks;
    }

    private List<String> pairChecks() {
        List<String> checks = new ArrayList<>();
        // sh:disjoint, sh:lessThan, sh:lessThanOrEquals: every pair of values of the two attributes
        checks.add(sql("""
                SELECT V.`this` AS `resource`, CASE V.`pairKind` WHEN 'disjoint' THEN 'DisjointConstraintComponent('
                    WHEN 'lessThan' THEN 'LessThanConstraintComponent(' ELSE 'LessThanOrEqualsConstraintComponent(' END
                    || V.`propertyPath` || '[' || V.`idx` || '])' AS `event`,
                  V.`constraint_id`, V.`severity`, V.`message`,
                  'Value ' || COALESCE(V.`val`, 'NULL') || ' of ' || V.`propertyPath` || ' violates ' || V.`pairKind`
                    || ' with value ' || COALESCE(O.`attributeValue`, 'NULL') || ' of ' || V.`pairPath` AS `detail`,
                  V.`val`, V.`datasetId`, V.`propertyPath` AS `path`
                FROM ${values} V
                JOIN ${attributes_view} O ON O.`entityId` = V.`this` AND O.`name` = V.`pairPath`
                WHERE O.`parentId` IS NULL AND O.`deleted` IS NOT TRUE AND (
                  (V.`pairKind` = 'disjoint' AND V.`val` = O.`attributeValue`)
                  OR (V.`pairKind` = 'lessThan' AND NOT %s)
                  OR (V.`pairKind` = 'lessThanOrEquals' AND NOT %s))""".formatted(
                compare("V.`val`", "<", "O.`attributeValue`"), compare("V.`val`", "<=", "O.`attributeValue`"))));
        // sh:equals: every value of the attribute is a value of the other one, and the other way round
        checks.add(sql("""
                SELECT V.`this` AS `resource`, 'EqualsConstraintComponent(' || V.`propertyPath` || ')' AS `event`,
                  V.`constraint_id`, V.`severity`, V.`message`,
                  'Value ' || COALESCE(V.`val`, 'NULL') || ' of ' || V.`propertyPath` || ' is not a value of ' || V.`pairPath` AS `detail`,
                  V.`val`, V.`datasetId`, V.`propertyPath` AS `path`
                FROM ${values} V
                LEFT JOIN ${attributes_view} O ON O.`entityId` = V.`this` AND O.`name` = V.`pairPath`
                  AND O.`attributeValue` = V.`val` AND O.`parentId` IS NULL AND O.`deleted` IS NOT TRUE
                WHERE V.`pairKind` = 'equals' AND O.`id` IS NULL"""));
        checks.add(sql("""
                SELECT F.`this` AS `resource`, 'EqualsConstraintComponent(' || F.`propertyPath` || ')' AS `event`,
                  F.`constraint_id`, F.`severity`, F.`message`,
                  'Value ' || COALESCE(O.`attributeValue`, 'NULL') || ' of ' || F.`pairPath` || ' is not a value of '
                    || F.`propertyPath` AS `detail`,
                  O.`attributeValue` AS `val`, O.`datasetId`, F.`propertyPath` AS `path`
                FROM ${focus} F
                JOIN ${attributes_view} O ON O.`entityId` = F.`this` AND O.`name` = F.`pairPath`
                LEFT JOIN ${attributes_view} B ON B.`entityId` = F.`this` AND B.`name` = F.`propertyPath`
                  AND B.`attributeValue` = O.`attributeValue` AND B.`parentId` IS NULL AND B.`deleted` IS NOT TRUE
                WHERE F.`pairKind` = 'equals' AND O.`parentId` IS NULL AND O.`deleted` IS NOT TRUE AND B.`id` IS NULL"""));
        return checks;
    }

    /**
     * One combination level: OR/AND/NOT/XONE and qualified counts over the triggers of the level below, in one
     * aggregation so the level below is read once.
     */
    private String level(int level) {
        String below = triggers(level - 1);
        String conforming = "(COALESCE(`instances`, 0) - `failed`)";
        String combinations = sql("""
                SELECT `this` AS `resource`,
                  CASE WHEN `operation` <> 'QUALIFIED' THEN `operation` || ' Constraint id ' || CAST(`constraint_id` AS STRING)
                    WHEN %1$s < TRY_CAST(`qualifiedMinCount` AS INT) THEN 'QualifiedMinCountConstraintComponent(' || `propertyPath` || ')'
                    ELSE 'QualifiedMaxCountConstraintComponent(' || `propertyPath` || ')' END AS `event`,
                  `constraint_id`, `severity`, %2$s AS `text`, CAST(NULL AS STRING) AS `datasetId`
                FROM (
                  SELECT F.`this`, F.`constraint_id`, F.`severity`, F.`message`, F.`propertyPath`, F.`qualifiedMinCount`,
                    F.`qualifiedMaxCount`, N.`operation`, N.`needed`, I.`instances`,
                    COUNT(DISTINCT T.`member`) AS `fired`, COUNT(DISTINCT T.`datasetId`) AS `failed`,
                    LISTAGG(T.`text`, ' AND ') AS `texts`
                  FROM ${focus} F
                  JOIN ${needed} N ON N.`target` = F.`constraint_id`
                  LEFT JOIN ${instances} I ON I.`entityId` = F.`this` AND I.`name` = F.`propertyPath`
                  LEFT JOIN (
                    SELECT X.`resource`, X.`text`, X.`datasetId`, M.`member_constraint_id` AS `member`,
                      M.`target_constraint_id` AS `target`
                    FROM %3$s X JOIN ${combinations} M ON M.`member_constraint_id` = X.`constraint_id`
                    WHERE M.`operation` <> 'PUBLISH') T
                    ON T.`resource` = F.`this` AND T.`target` = F.`constraint_id`
                  WHERE N.`level` = %4$d
                    AND (F.`propertyPath` IS NULL OR N.`operation` IN ('OR', 'AND', 'QUALIFIED') OR I.`instances` IS NOT NULL)
                  GROUP BY F.`this`, F.`constraint_id`, F.`severity`, F.`message`, F.`propertyPath`, F.`qualifiedMinCount`,
                    F.`qualifiedMaxCount`, N.`operation`, N.`needed`, I.`instances`)
                WHERE (`operation` = 'OR' AND `fired` = `needed`) OR (`operation` = 'AND' AND `fired` > 0)
                  OR (`operation` = 'NOT' AND `fired` = 0) OR (`operation` = 'XONE' AND `fired` <> `needed` - 1)
                  OR (`operation` = 'QUALIFIED' AND (%1$s < TRY_CAST(`qualifiedMinCount` AS INT)
                    OR %1$s > TRY_CAST(`qualifiedMaxCount` AS INT)))"""
                .formatted(conforming, text("`message`", "`this`", "CAST(NULL AS STRING)", "`propertyPath`",
                        "CASE WHEN `operation` = 'OR' THEN 'All alternatives failed: ' || `texts` "
                                + "WHEN `operation` = 'AND' THEN 'A conjunct failed: ' || `texts` "
                                + "WHEN `operation` = 'NOT' THEN 'The value conforms to a negated shape' "
                                + "WHEN `operation` = 'XONE' THEN CAST(`needed` - `fired` AS STRING) "
                                + "|| ' alternatives conform instead of one' "
                                + "ELSE 'Attribute ' || `propertyPath` || ' of ' || `this` || ' has ' || CAST(" + conforming
                                + " AS STRING) || ' instances conforming to the qualified value shape' END"),
                        below, level));
        return "CREATE VIEW " + triggers(level) + " AS\n"
                + "SELECT `resource`, `event`, `constraint_id`, `severity`, `text`, `datasetId` FROM " + below
                + "\nUNION ALL\n" + combinations;
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

    private String sql(String template) {
        String out = template;
        for (Map.Entry<String, String> e : names.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue());
        }
        return out;
    }
}
