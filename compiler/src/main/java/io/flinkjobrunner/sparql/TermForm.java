package io.flinkjobrunner.sparql;

/** How a translated SPARQL value is represented by its SQL expression. */
enum TermForm {
    /** A STRING holding an IRI without angle brackets (entity ids, IRI-valued attributes, entity types). */
    IRI,
    /** A STRING holding the lexical form of a literal (literal-valued attributes, string constants, STR()). */
    LITERAL,
    /** A STRING holding an attribute value whose kind (IRI or literal) is only known from the row's nodeType. */
    NODE,
    /** A STRING in the encoding of the {@code rdf} table: {@code <iri>}, {@code "lexical"} or a bare number. */
    TERM,
    /** A BIGINT. */
    INTEGER,
    /** A DOUBLE. */
    DOUBLE,
    /** A BOOLEAN. */
    BOOLEAN,
    /** A BIGINT holding unix epoch milliseconds (observedAt, xsd:dateTime, NOW()). */
    EPOCH_MS;

    boolean isNumeric() {
        return this == INTEGER || this == DOUBLE || this == EPOCH_MS;
    }

    boolean isString() {
        return this == IRI || this == LITERAL || this == NODE || this == TERM;
    }
}
