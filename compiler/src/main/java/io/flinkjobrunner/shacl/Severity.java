package io.flinkjobrunner.shacl;

import org.eclipse.rdf4j.model.vocabulary.SHACL;

/**
 * The three SHACL severity levels (SHACL 2.1.4). Shapes may declare other severity IRIs; those rank as
 * {@link #VIOLATION}, the default, because SHACL only distinguishes them by IRI.
 */
public enum Severity {
    VIOLATION(SHACL.VIOLATION.stringValue()),
    WARNING(SHACL.WARNING.stringValue()),
    INFO(SHACL.INFO.stringValue());

    private final String iri;

    Severity(String iri) {
        this.iri = iri;
    }

    public String iri() {
        return iri;
    }

    /** The level of a declared severity IRI; unknown (custom) IRIs rank as violations. */
    public static Severity ofIri(String iri) {
        for (Severity severity : values()) {
            if (severity.iri.equals(iri)) {
                return severity;
            }
        }
        return VIOLATION;
    }
}
