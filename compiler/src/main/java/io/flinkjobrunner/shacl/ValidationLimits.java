package io.flinkjobrunner.shacl;

/**
 * Caps on the number of results a validation report holds. RDF4J stops collecting results for a constraint once the
 * cap is hit (it defaults to 1,000 per constraint); the report then says it is truncated instead of pretending to be
 * complete.
 *
 * @param maxResultsPerConstraint results kept per constraint, or -1 for no cap
 * @param maxResultsTotal         results kept in total, or -1 for no cap
 */
public record ValidationLimits(long maxResultsPerConstraint, long maxResultsTotal) {

    /** RDF4J's defaults: 1,000 results per constraint, 1,000,000 in total. */
    public static final ValidationLimits DEFAULT = new ValidationLimits(1_000, 1_000_000);

    /** No caps: every result is reported (memory grows with the number of failing focus nodes). */
    public static final ValidationLimits UNLIMITED = new ValidationLimits(-1, -1);

    public ValidationLimits {
        if (maxResultsPerConstraint == 0 || maxResultsPerConstraint < -1 || maxResultsTotal == 0
                || maxResultsTotal < -1) {
            throw new IllegalArgumentException("result caps must be positive or -1 (no cap), got "
                    + maxResultsPerConstraint + " per constraint and " + maxResultsTotal + " in total");
        }
    }
}
