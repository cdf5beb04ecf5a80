package io.flinkjobrunner.compiler;

import java.util.List;

/** Column layout of {@code constraint_table}: the reference's columns first, then the ones this compiler adds. */
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

    /** Every column but {@code id} (an INT); all are STRING. */
    static final List<String> STRING_COLUMNS = List.of(TARGET_CLASS, PROPERTY_PATH, SUBPROPERTY_PATH, PROPERTY_CLASS,
            PROPERTY_NODETYPE, ATTRIBUTE_TYPE, MAX_COUNT, MIN_COUNT, SEVERITY, MIN_EXCLUSIVE, MAX_EXCLUSIVE,
            MIN_INCLUSIVE, MAX_INCLUSIVE, MIN_LENGTH, MAX_LENGTH, PATTERN, INS, DATATYPES, HAS_VALUE, TARGET_NODE, SHAPE,
            MESSAGE, LANGUAGE_PATTERN, UNIQUE_LANG, PAIR_KIND, PAIR_PATH, CLOSED_PATHS, QUALIFIED_MIN_COUNT,
            QUALIFIED_MAX_COUNT);

    private ConstraintColumns() {
    }
}
