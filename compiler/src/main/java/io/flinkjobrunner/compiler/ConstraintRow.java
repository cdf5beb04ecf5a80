package io.flinkjobrunner.compiler;

import java.util.Objects;

/**
 * What a shape says about one constraint: the columns of its {@code constraint_table} row that do not depend on the
 * target (absent = null or false, written as NULL). {@link ConstraintTable} knows where each is written.
 *
 * <p>Parameters read from a literal ({@code sh:minCount}, {@code sh:minInclusive}, ...) keep its lexical form: the
 * table carries them as the shapes graph writes them, and the generic SQL casts them where it compares.
 *
 * @param propertyPath the attribute IRI, or the SPARQL syntax of a path that is not a plain attribute
 * @param propertyClass {@code sh:class}
 * @param propertyNodetype {@code sh:nodeKind} as node types ({@code @id}, {@code @value}, {@code @bnode}, comma
 *     separated), or the node type of a list or JSON value
 * @param attributeType the NGSI-LD attribute type a value shape implies ({@code ngsi-ld:Property}, ...)
 * @param maxCount {@code sh:maxCount}
 * @param minCount {@code sh:minCount}
 * @param severity the severity label
 * @param minExclusive {@code sh:minExclusive}
 * @param maxExclusive {@code sh:maxExclusive}
 * @param minInclusive {@code sh:minInclusive}
 * @param maxInclusive {@code sh:maxInclusive}
 * @param minLength {@code sh:minLength}
 * @param maxLength {@code sh:maxLength}
 * @param pattern {@code sh:pattern} with {@code sh:flags} as a Java regular expression
 * @param ins {@code sh:in}, encoded by {@link ShapeReader#encodeIn}
 * @param datatypes {@code sh:datatype}; comma separated when OR branches merged
 * @param hasValue {@code sh:hasValue}
 * @param shape the name of the shape the row was read from
 * @param message {@code sh:message}
 * @param languagePattern {@code sh:languageIn} as a regular expression over the language tag
 * @param uniqueLang {@code sh:uniqueLang true}
 * @param pairKind the property pair component
 * @param pairPath the property the pair component compares with
 * @param closedPaths {@code sh:closed}: the allowed properties, each in angle brackets
 * @param qualifiedMinCount {@code sh:qualifiedMinCount}
 * @param qualifiedMaxCount {@code sh:qualifiedMaxCount}
 * @param valueKind which nodes a value check reads; null: the values of the attributes named {@code propertyPath}
 *     (the reference's reading)
 * @param resultAtParent a per-value-node combination whose result belongs to the enclosing focus node
 */
record ConstraintRow(String propertyPath, String propertyClass, String propertyNodetype, String attributeType,
        String maxCount, String minCount, String severity, String minExclusive, String maxExclusive,
        String minInclusive, String maxInclusive, String minLength, String maxLength, String pattern, String ins,
        String datatypes, String hasValue, String shape, String message, String languagePattern, boolean uniqueLang,
        PairKind pairKind, String pairPath, String closedPaths, String qualifiedMinCount, String qualifiedMaxCount,
        ValueKind valueKind, boolean resultAtParent) {

    /** A row that says nothing: what a step row writes of a constraint. */
    static final ConstraintRow NONE = new Builder().build();

    /** A row of {@code shape} that says nothing else. */
    static ConstraintRow of(String shape) {
        return new Builder().shape(shape).build();
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * This row with what it leaves absent taken from {@code outer}: a value shape's own name, severity and message are
     * more specific than those of the attribute shape around it.
     */
    ConstraintRow inheriting(ConstraintRow outer) {
        return new ConstraintRow(or(propertyPath, outer.propertyPath), or(propertyClass, outer.propertyClass),
                or(propertyNodetype, outer.propertyNodetype), or(attributeType, outer.attributeType),
                or(maxCount, outer.maxCount), or(minCount, outer.minCount), or(severity, outer.severity),
                or(minExclusive, outer.minExclusive), or(maxExclusive, outer.maxExclusive),
                or(minInclusive, outer.minInclusive), or(maxInclusive, outer.maxInclusive),
                or(minLength, outer.minLength), or(maxLength, outer.maxLength), or(pattern, outer.pattern),
                or(ins, outer.ins), or(datatypes, outer.datatypes), or(hasValue, outer.hasValue),
                or(shape, outer.shape), or(message, outer.message), or(languagePattern, outer.languagePattern),
                uniqueLang || outer.uniqueLang, or(pairKind, outer.pairKind), or(pairPath, outer.pairPath),
                or(closedPaths, outer.closedPaths), or(qualifiedMinCount, outer.qualifiedMinCount),
                or(qualifiedMaxCount, outer.qualifiedMaxCount), or(valueKind, outer.valueKind),
                resultAtParent || outer.resultAtParent);
    }

    private static <T> T or(T own, T outer) {
        return own != null ? own : outer;
    }

    /**
     * Which nodes a value check reads, as {@code constraint_table.valueKind} names it.
     */
    enum ValueKind {
        /** The attribute nodes named {@code propertyPath} themselves. */
        ATTRIBUTE("attribute"),
        /** The focus node itself (node-level constraints). */
        FOCUS("focus"),
        /** The value of the focus node, an attribute node (value shapes nested in other shapes). */
        VALUE("value"),
        /** The nodes {@code valuePath} reaches. */
        PATH("path");

        private final String columnValue;

        ValueKind(String columnValue) {
            this.columnValue = columnValue;
        }

        /** How {@code constraint_table.valueKind} and the generic SQL name it. */
        String columnValue() {
            return columnValue;
        }
    }

    /** The property pair components (SHACL §4.5), as {@code constraint_table.pairKind} names them. */
    enum PairKind {
        EQUALS("equals"), DISJOINT("disjoint"), LESS_THAN("lessThan"), LESS_THAN_OR_EQUALS("lessThanOrEquals");

        private final String columnValue;

        PairKind(String columnValue) {
            this.columnValue = columnValue;
        }

        /** The component whose parameter has the local name {@code local} ({@code sh:lessThan}: {@code lessThan}). */
        static PairKind of(String local) {
            for (PairKind kind : values()) {
                if (kind.columnValue.equals(local)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("not a property pair parameter: " + local);
        }

        /** How {@code constraint_table.pairKind} and the generic SQL name it: the parameter's local name. */
        String columnValue() {
            return columnValue;
        }
    }

    /** Collects a row parameter by parameter, as a shape is read. */
    static final class Builder {
        private String propertyPath;
        private String propertyClass;
        private String propertyNodetype;
        private String attributeType;
        private String maxCount;
        private String minCount;
        private String severity;
        private String minExclusive;
        private String maxExclusive;
        private String minInclusive;
        private String maxInclusive;
        private String minLength;
        private String maxLength;
        private String pattern;
        private String ins;
        private String datatypes;
        private String hasValue;
        private String shape;
        private String message;
        private String languagePattern;
        private boolean uniqueLang;
        private PairKind pairKind;
        private String pairPath;
        private String closedPaths;
        private String qualifiedMinCount;
        private String qualifiedMaxCount;
        private ValueKind valueKind;
        private boolean resultAtParent;

        Builder() {
        }

        private Builder(ConstraintRow row) {
            propertyPath = row.propertyPath;
            propertyClass = row.propertyClass;
            propertyNodetype = row.propertyNodetype;
            attributeType = row.attributeType;
            maxCount = row.maxCount;
            minCount = row.minCount;
            severity = row.severity;
            minExclusive = row.minExclusive;
            maxExclusive = row.maxExclusive;
            minInclusive = row.minInclusive;
            maxInclusive = row.maxInclusive;
            minLength = row.minLength;
            maxLength = row.maxLength;
            pattern = row.pattern;
            ins = row.ins;
            datatypes = row.datatypes;
            hasValue = row.hasValue;
            shape = row.shape;
            message = row.message;
            languagePattern = row.languagePattern;
            uniqueLang = row.uniqueLang;
            pairKind = row.pairKind;
            pairPath = row.pairPath;
            closedPaths = row.closedPaths;
            qualifiedMinCount = row.qualifiedMinCount;
            qualifiedMaxCount = row.qualifiedMaxCount;
            valueKind = row.valueKind;
            resultAtParent = row.resultAtParent;
        }

        ConstraintRow build() {
            return new ConstraintRow(propertyPath, propertyClass, propertyNodetype, attributeType, maxCount, minCount,
                    severity, minExclusive, maxExclusive, minInclusive, maxInclusive, minLength, maxLength, pattern,
                    ins, datatypes, hasValue, shape, message, languagePattern, uniqueLang, pairKind, pairPath,
                    closedPaths, qualifiedMinCount, qualifiedMaxCount, valueKind, resultAtParent);
        }

        /** The fields of this builder so far, to go on from in another row. */
        Builder copy() {
            return new Builder(build());
        }

        Builder propertyPath(String value) {
            propertyPath = value;
            return this;
        }

        Builder propertyClass(String value) {
            propertyClass = value;
            return this;
        }

        Builder propertyNodetype(String value) {
            propertyNodetype = value;
            return this;
        }

        Builder attributeType(String value) {
            attributeType = value;
            return this;
        }

        Builder maxCount(String value) {
            maxCount = value;
            return this;
        }

        Builder minCount(String value) {
            minCount = value;
            return this;
        }

        Builder severity(String value) {
            severity = value;
            return this;
        }

        Builder minExclusive(String value) {
            minExclusive = value;
            return this;
        }

        Builder maxExclusive(String value) {
            maxExclusive = value;
            return this;
        }

        Builder minInclusive(String value) {
            minInclusive = value;
            return this;
        }

        Builder maxInclusive(String value) {
            maxInclusive = value;
            return this;
        }

        Builder minLength(String value) {
            minLength = value;
            return this;
        }

        Builder maxLength(String value) {
            maxLength = value;
            return this;
        }

        Builder pattern(String value) {
            pattern = value;
            return this;
        }

        Builder ins(String value) {
            ins = value;
            return this;
        }

        Builder datatypes(String value) {
            datatypes = value;
            return this;
        }

        Builder hasValue(String value) {
            hasValue = value;
            return this;
        }

        Builder shape(String value) {
            shape = value;
            return this;
        }

        Builder message(String value) {
            message = value;
            return this;
        }

        Builder languagePattern(String value) {
            languagePattern = value;
            return this;
        }

        Builder uniqueLang(boolean value) {
            uniqueLang = value;
            return this;
        }

        /** A property pair component: {@code kind} compares with the values of {@code path}. */
        Builder pair(PairKind kind, String path) {
            pairKind = Objects.requireNonNull(kind, "kind");
            pairPath = Objects.requireNonNull(path, "path");
            return this;
        }

        Builder closedPaths(String value) {
            closedPaths = value;
            return this;
        }

        Builder qualifiedMinCount(String value) {
            qualifiedMinCount = value;
            return this;
        }

        Builder qualifiedMaxCount(String value) {
            qualifiedMaxCount = value;
            return this;
        }

        Builder valueKind(ValueKind value) {
            valueKind = value;
            return this;
        }

        Builder resultAtParent(boolean value) {
            resultAtParent = value;
            return this;
        }
    }
}
