package io.flinkjobrunner.sparql;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * A SPARQL value translated to SQL: the expression, its {@link TermForm}, the table aliases it reads and whether it
 * contains an aggregate. Conversions between forms follow the term encoding of the {@code rdf} table, so values
 * from attributes, entities, knowledge and expressions can be compared with each other.
 *
 * @param sql       the SQL expression
 * @param form      how the expression encodes the value
 * @param nodeType  for {@link TermForm#NODE}: the SQL expression of the row's nodeType ({@code @id} means IRI)
 * @param encoded   for constants: the precomputed rdf-table encoding (keeps the lexical form of numbers), else null
 * @param aliases   the table aliases the expression reads
 * @param aggregate whether the expression contains an aggregate function
 */
record SqlTerm(String sql, TermForm form, String nodeType, String encoded, Set<String> aliases, boolean aggregate) {

    private static final String XSD = "http://www.w3.org/2001/XMLSchema#";

    SqlTerm {
        aliases = Set.copyOf(aliases);
    }

    /** A derived value of {@code form} computed from {@code parts}. */
    static SqlTerm of(String sql, TermForm form, Collection<SqlTerm> parts) {
        Set<String> aliases = new HashSet<>();
        boolean aggregate = false;
        for (SqlTerm part : parts) {
            aliases.addAll(part.aliases());
            aggregate |= part.aggregate();
        }
        return new SqlTerm(sql, form, null, null, aliases, aggregate);
    }

    /** A column of a table alias. */
    static SqlTerm column(String alias, String column, TermForm form) {
        return new SqlTerm(alias + "." + column, form, null, null, Set.of(alias), false);
    }

    /** A constant without aliases. */
    static SqlTerm constant(String sql, TermForm form, String encoded) {
        return new SqlTerm(sql, form, null, encoded, Set.of(), false);
    }

    /** The SQL NULL, used for unbound variables. */
    static SqlTerm unbound() {
        return constant("CAST(NULL AS STRING)", TermForm.LITERAL, "CAST(NULL AS STRING)");
    }

    SqlTerm withAggregate() {
        return new SqlTerm(sql, form, nodeType, encoded, aliases, true);
    }

    /** The value in the rdf-table encoding. */
    SqlTerm asTerm() {
        if (encoded != null) {
            return derived(encoded, TermForm.TERM);
        }
        return switch (form) {
            case TERM -> this;
            case IRI -> derived("'<' || " + sql + " || '>'", TermForm.TERM);
            case LITERAL -> derived("'\"' || " + sql + " || '\"'", TermForm.TERM);
            case NODE -> derived("CASE WHEN " + nodeType + " = '@id' THEN '<' || " + sql + " || '>' ELSE '\"' || "
                    + sql + " || '\"' END", TermForm.TERM);
            case INTEGER, DOUBLE, EPOCH_MS -> derived("CAST(" + sql + " AS STRING)", TermForm.TERM);
            case BOOLEAN -> derived("CASE WHEN " + sql + " THEN '\"true\"' WHEN NOT " + sql
                    + " THEN '\"false\"' END", TermForm.TERM);
        };
    }

    /** The IRI or lexical form without any encoding: what messages show and what rules write. */
    SqlTerm asLexical() {
        return switch (form) {
            case IRI, LITERAL, NODE -> this;
            case TERM -> derived("CASE WHEN " + sql + " LIKE '<%>' OR " + sql + " LIKE '\"%\"' THEN SUBSTRING("
                    + sql + " FROM 2 FOR CHAR_LENGTH(" + sql + ") - 2) ELSE " + sql + " END", TermForm.LITERAL);
            case INTEGER, DOUBLE, EPOCH_MS -> derived("CAST(" + sql + " AS STRING)", TermForm.LITERAL);
            case BOOLEAN -> derived("CASE WHEN " + sql + " THEN 'true' WHEN NOT " + sql + " THEN 'false' END",
                    TermForm.LITERAL);
        };
    }

    /** The value as a number (DOUBLE unless it already is an integer or a time). */
    SqlTerm asNumber() {
        return switch (form) {
            case INTEGER, DOUBLE, EPOCH_MS -> this;
            case BOOLEAN -> derived("CASE WHEN " + sql + " THEN 1 WHEN NOT " + sql + " THEN 0 END", TermForm.INTEGER);
            default -> derived("TRY_CAST(" + asLexical().sql + " AS DOUBLE)", TermForm.DOUBLE);
        };
    }

    /** The value as a BIGINT, truncating fractions like sqlite's CAST(x AS INTEGER). */
    SqlTerm asInteger() {
        return switch (form) {
            case INTEGER, EPOCH_MS -> derived(sql, TermForm.INTEGER);
            case DOUBLE -> derived("CAST(" + sql + " AS BIGINT)", TermForm.INTEGER);
            case BOOLEAN -> asNumber();
            default -> {
                String lexical = asLexical().sql;
                yield derived("COALESCE(TRY_CAST(" + lexical + " AS BIGINT), CAST(TRY_CAST(" + lexical
                        + " AS DOUBLE) AS BIGINT))", TermForm.INTEGER);
            }
        };
    }

    /** The value as a DOUBLE. */
    SqlTerm asDouble() {
        return form == TermForm.DOUBLE ? this : derived("CAST(" + asNumber().sql + " AS DOUBLE)", TermForm.DOUBLE);
    }

    /** The value as epoch milliseconds; strings are read as xsd:dateTime in UTC ({@code T} and {@code Z} allowed). */
    SqlTerm asEpochMillis() {
        return switch (form) {
            case EPOCH_MS -> this;
            case INTEGER -> derived(sql, TermForm.EPOCH_MS);
            case DOUBLE -> derived("CAST(" + sql + " AS BIGINT)", TermForm.EPOCH_MS);
            case BOOLEAN -> derived("CAST(NULL AS BIGINT)", TermForm.EPOCH_MS);
            default -> derived(epochMillisOfTimestamp("TRY_CAST(REGEXP_REPLACE(REGEXP_REPLACE(" + asLexical().sql
                    + ", 'T', ' '), 'Z$', '') AS TIMESTAMP(3))"), TermForm.EPOCH_MS);
        };
    }

    /** SPARQL's effective boolean value. */
    SqlTerm asBoolean() {
        return switch (form) {
            case BOOLEAN -> this;
            case INTEGER, DOUBLE, EPOCH_MS -> derived("(" + sql + " <> 0)", TermForm.BOOLEAN);
            default -> {
                String lexical = asLexical().sql;
                yield derived("(" + lexical + " <> '' AND " + lexical + " <> 'false' AND " + lexical + " <> '0')",
                        TermForm.BOOLEAN);
            }
        };
    }

    /**
     * Epoch milliseconds of a TIMESTAMP or TIMESTAMP_LTZ expression. Needs the session time zone UTC (the unit sets
     * {@code table.local-time-zone}); TIMESTAMPDIFF would overflow INT in 2038.
     */
    static String epochMillisOfTimestamp(String timestamp) {
        return "(UNIX_TIMESTAMP(CAST(" + timestamp + " AS STRING)) * 1000 + EXTRACT(MILLISECOND FROM " + timestamp
                + "))";
    }

    /** Whether {@code datatype} is one of the XSD numeric datatypes. */
    static boolean isNumericDatatype(String datatype) {
        if (!datatype.startsWith(XSD)) {
            return false;
        }
        return switch (datatype.substring(XSD.length())) {
            case "integer", "int", "long", "short", "byte", "decimal", "double", "float", "nonNegativeInteger",
                    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
                    "unsignedShort", "unsignedByte" -> true;
            default -> false;
        };
    }

    private SqlTerm derived(String newSql, TermForm newForm) {
        return new SqlTerm(newSql, newForm, null, null, aliases, aggregate);
    }
}
