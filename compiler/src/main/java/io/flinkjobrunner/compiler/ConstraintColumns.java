package io.flinkjobrunner.compiler;

import java.util.List;

/**
 * Column layout of {@code constraint_table}: the reference's columns first, then the ones this compiler adds.
 *
 * <p>The table holds three kinds of rows: constraints, combination targets (as in the reference), and path steps
 * ({@code stepPath} set): the unrolled property paths and nested-shape focus paths of {@link FocusPath}, one row per
 * step sequence, which the generic SQL walks over the NGSI-LD graph. Step rows carry their path's target.
 */
final class ConstraintColumns {

    static final String ID = "id";
    static final String TARGET_CLASS = "targetClass";
    static final String PROPERTY_PATH = "propertyPath";
    static final String SUBPROPERTY_PATH = "subpropertyPath";
    static final String PROPERTY_CLASS = "propertyClass";
    static final String PROPERTY_NODETYPE = "propertyNodetype";
    static final String ATTRIBUTE_TYPE = "attributeType";
    static final String MAX_COUNT = "maxCount";
    static final String MIN_COUNT = "minCount";
    static final String SEVERITY = "severity";
    static final String MIN_EXCLUSIVE = "minExclusive";
    static final String MAX_EXCLUSIVE = "maxExclusive";
    static final String MIN_INCLUSIVE = "minInclusive";
    static final String MAX_INCLUSIVE = "maxInclusive";
    static final String MIN_LENGTH = "minLength";
    static final String MAX_LENGTH = "maxLength";
    static final String PATTERN = "pattern";
    static final String INS = "ins";
    static final String DATATYPES = "datatypes";
    static final String HAS_VALUE = "hasValue";
    static final String TARGET_NODE = "targetNode";
    static final String SHAPE = "shape";
    static final String MESSAGE = "message";
    static final String LANGUAGE_PATTERN = "languagePattern";
    static final String UNIQUE_LANG = "uniqueLang";
    static final String PAIR_KIND = "pairKind";
    static final String PAIR_PATH = "pairPath";
    static final String CLOSED_PATHS = "closedPaths";
    static final String QUALIFIED_MIN_COUNT = "qualifiedMinCount";
    static final String QUALIFIED_MAX_COUNT = "qualifiedMaxCount";
    static final String TARGET_SUBJECTS_OF = "targetSubjectsOf";
    static final String TARGET_OBJECTS_OF = "targetObjectsOf";
    /**
     * Which nodes a value check reads: NULL = the values of the attributes named {@code propertyPath} (the reference's
     * reading), {@link #VALUE_KIND_ATTRIBUTE} = those attribute nodes themselves, {@link #VALUE_KIND_FOCUS} = the
     * focus node itself (node-level constraints), {@link #VALUE_KIND_VALUE} = the value of the focus node, an
     * attribute node (value shapes nested in other shapes), {@link #VALUE_KIND_PATH} = the nodes {@code valuePath}
     * reaches.
     */
    static final String VALUE_KIND = "valueKind";
    static final String VALUE_KIND_ATTRIBUTE = "attribute";
    static final String VALUE_KIND_FOCUS = "focus";
    static final String VALUE_KIND_VALUE = "value";
    static final String VALUE_KIND_PATH = "path";
    /** {@code parent}: a per-value-node combination whose result belongs to the enclosing focus node. */
    static final String RESULT_AT = "resultAt";
    static final String RESULT_AT_PARENT = "parent";
    /** Path id of the row's focus nodes (NULL = the target node). */
    static final String FOCUS_PATH = "focusPath";
    /** Path id of the row's value nodes ({@code valueKind = 'path'}), or of the nodes a qualified count counts. */
    static final String VALUE_PATH = "valuePath";
    static final String STEP_PATH = "stepPath";
    static final String STEP_SEQ = "stepSeq";
    /**
     * The steps of one sequence, in order, separated by {@code {}: each a direction ({@code F} forward, {@code I}
     * inverse, {@code S} stay), the predicate, and, when the step ends at a nested focus node, {@code }} and how
     * events show the path that led there. Neither separator occurs in an IRI or in SPARQL path syntax.
     */
    static final String STEP_LIST = "stepList";

    /** Every column but {@code id} (an INT); all are STRING. */
    static final List<String> STRING_COLUMNS = List.of(TARGET_CLASS, PROPERTY_PATH, SUBPROPERTY_PATH, PROPERTY_CLASS,
            PROPERTY_NODETYPE, ATTRIBUTE_TYPE, MAX_COUNT, MIN_COUNT, SEVERITY, MIN_EXCLUSIVE, MAX_EXCLUSIVE,
            MIN_INCLUSIVE, MAX_INCLUSIVE, MIN_LENGTH, MAX_LENGTH, PATTERN, INS, DATATYPES, HAS_VALUE, TARGET_NODE, SHAPE,
            MESSAGE, LANGUAGE_PATTERN, UNIQUE_LANG, PAIR_KIND, PAIR_PATH, CLOSED_PATHS, QUALIFIED_MIN_COUNT,
            QUALIFIED_MAX_COUNT, TARGET_SUBJECTS_OF, TARGET_OBJECTS_OF, VALUE_KIND, RESULT_AT, FOCUS_PATH, VALUE_PATH,
            STEP_PATH, STEP_SEQ, STEP_LIST);

    private ConstraintColumns() {
    }
}
