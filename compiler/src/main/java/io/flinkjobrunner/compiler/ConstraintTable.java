package io.flinkjobrunner.compiler;

import static io.flinkjobrunner.compiler.SqlIdentifiers.quote;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The schema of {@code constraint_table}: its columns in table order, the reference's first, then the ones this
 * compiler adds, each with what a row writes into it.
 *
 * <p>The table holds three kinds of rows: constraints, combination targets (as in the reference), and path steps
 * ({@code stepPath} set): the unrolled property paths and nested-shape focus paths of {@link FocusPath}, one row per
 * step sequence, which the generic SQL walks over the NGSI-LD graph. Step rows carry their path's target.
 */
final class ConstraintTable {

    static final String NAME = "constraint_table";

    /** How {@code resultAt} marks a row whose result belongs to the enclosing focus node. */
    static final String RESULT_AT_PARENT = "parent";

    /**
     * One row as written: a constraint or combination bound to its target, or one step sequence of a path.
     *
     * @param id the row's id (the reference's numbering for constraints and combinations, after them for steps)
     * @param target the target the row is bound to
     * @param constraint what the shape says; {@link ConstraintRow#NONE} for a step row
     * @param focusPath path id of the row's focus nodes, null for the target node
     * @param valuePath path id of the row's value nodes ({@link ConstraintRow.ValueKind#PATH}), or of the nodes a
     *     qualified count counts
     * @param stepPath path id of a step row
     * @param stepSeq the sequence's number within its path
     * @param stepList the steps of the sequence, {@link FocusPath#encode encoded}
     */
    record Entry(int id, ShapeTarget target, ConstraintRow constraint, String focusPath, String valuePath,
            String stepPath, String stepSeq, String stepList) {

        /** The values in column order ({@code Integer} for the id, else {@code String} or null). */
        List<Object> values() {
            return Arrays.stream(Column.values()).map(c -> c.value.apply(this)).toList();
        }
    }

    /** The columns in table order. */
    enum Column {
        ID("id", "INT", e -> e.id()),
        TARGET_CLASS("targetClass", e -> e.target().valueOf(ShapeTarget.Kind.CLASS)),
        PROPERTY_PATH("propertyPath", e -> e.constraint().propertyPath()),
        /** The reference's column for sub-attribute paths: this compiler reaches sub-attributes by focus paths. */
        SUBPROPERTY_PATH("subpropertyPath", e -> null),
        PROPERTY_CLASS("propertyClass", e -> e.constraint().propertyClass()),
        PROPERTY_NODETYPE("propertyNodetype", e -> e.constraint().propertyNodetype()),
        ATTRIBUTE_TYPE("attributeType", e -> e.constraint().attributeType()),
        MAX_COUNT("maxCount", e -> e.constraint().maxCount()),
        MIN_COUNT("minCount", e -> e.constraint().minCount()),
        SEVERITY("severity", e -> e.constraint().severity()),
        MIN_EXCLUSIVE("minExclusive", e -> e.constraint().minExclusive()),
        MAX_EXCLUSIVE("maxExclusive", e -> e.constraint().maxExclusive()),
        MIN_INCLUSIVE("minInclusive", e -> e.constraint().minInclusive()),
        MAX_INCLUSIVE("maxInclusive", e -> e.constraint().maxInclusive()),
        MIN_LENGTH("minLength", e -> e.constraint().minLength()),
        MAX_LENGTH("maxLength", e -> e.constraint().maxLength()),
        PATTERN("pattern", e -> e.constraint().pattern()),
        INS("ins", e -> e.constraint().ins()),
        DATATYPES("datatypes", e -> e.constraint().datatypes()),
        HAS_VALUE("hasValue", e -> e.constraint().hasValue()),
        TARGET_NODE("targetNode", e -> e.target().valueOf(ShapeTarget.Kind.NODE)),
        SHAPE("shape", e -> e.constraint().shape()),
        MESSAGE("message", e -> e.constraint().message()),
        LANGUAGE_PATTERN("languagePattern", e -> e.constraint().languagePattern()),
        UNIQUE_LANG("uniqueLang", e -> e.constraint().uniqueLang() ? "true" : null),
        PAIR_KIND("pairKind", e -> e.constraint().pairKind() == null ? null : e.constraint().pairKind().columnValue()),
        PAIR_PATH("pairPath", e -> e.constraint().pairPath()),
        CLOSED_PATHS("closedPaths", e -> e.constraint().closedPaths()),
        QUALIFIED_MIN_COUNT("qualifiedMinCount", e -> e.constraint().qualifiedMinCount()),
        QUALIFIED_MAX_COUNT("qualifiedMaxCount", e -> e.constraint().qualifiedMaxCount()),
        TARGET_SUBJECTS_OF("targetSubjectsOf", e -> e.target().valueOf(ShapeTarget.Kind.SUBJECTS_OF)),
        TARGET_OBJECTS_OF("targetObjectsOf", e -> e.target().valueOf(ShapeTarget.Kind.OBJECTS_OF)),
        VALUE_KIND("valueKind", e -> e.constraint().valueKind() == null ? null
                : e.constraint().valueKind().columnValue()),
        RESULT_AT("resultAt", e -> e.constraint().resultAtParent() ? RESULT_AT_PARENT : null),
        FOCUS_PATH("focusPath", Entry::focusPath),
        VALUE_PATH("valuePath", Entry::valuePath),
        STEP_PATH("stepPath", Entry::stepPath),
        STEP_SEQ("stepSeq", Entry::stepSeq),
        /**
         * The steps of one sequence, in order, separated by <code>{</code>: each a direction ({@code F} forward,
         * {@code I} inverse, {@code S} stay), the predicate, and, when the step ends at a nested focus node,
         * <code>}</code> and how events show the path that led there. Neither separator occurs in an IRI or in SPARQL
         * path syntax.
         */
        STEP_LIST("stepList", Entry::stepList);

        private final String columnName;
        private final String type;
        private final Function<Entry, Object> value;

        Column(String columnName, Function<Entry, Object> value) {
            this(columnName, "STRING", value);
        }

        Column(String columnName, String type, Function<Entry, Object> value) {
            this.columnName = columnName;
            this.type = type;
            this.value = value;
        }

        String columnName() {
            return columnName;
        }
    }

    private ConstraintTable() {
    }

    /** The row of a constraint or combination. */
    static Entry constraint(int id, ShapeTarget target, ConstraintRow constraint, String focusPath, String valuePath) {
        return new Entry(id, target, constraint, focusPath, valuePath, null, null, null);
    }

    /** The row of step sequence {@code stepSeq} of path {@code stepPath}, bound to the path's target. */
    static Entry step(int id, ShapeTarget target, String stepPath, int stepSeq, String stepList) {
        return new Entry(id, target, ConstraintRow.NONE, null, null, stepPath, String.valueOf(stepSeq), stepList);
    }

    /** The rows as the unit's semantic data, keyed by id. */
    static SemanticTable of(List<Entry> entries) {
        List<SemanticTable.Column> columns = Arrays.stream(Column.values())
                .map(c -> new SemanticTable.Column(c.columnName, c.type)).toList();
        return new SemanticTable(NAME, columns, List.of(Column.ID.columnName),
                entries.stream().map(Entry::values).toList());
    }

    /** Every column but {@code id} (an INT), in table order: all are STRING. */
    static List<String> stringColumns() {
        return Arrays.stream(Column.values()).filter(c -> c != Column.ID).map(Column::columnName).toList();
    }

    /** The column definitions of the table's DDL. */
    static String columnDefinitions() {
        return Arrays.stream(Column.values()).map(c -> quote(c.columnName) + " " + c.type)
                .collect(Collectors.joining(", "));
    }
}
