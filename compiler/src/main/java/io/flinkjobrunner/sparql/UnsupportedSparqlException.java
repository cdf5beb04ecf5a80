package io.flinkjobrunner.sparql;

/**
 * Raised inside the translator for a construct it cannot translate; {@code token} is the keyword or name to look
 * for in the query text to report the position (the RDF4J algebra carries no source positions).
 */
final class UnsupportedSparqlException extends RuntimeException {

    private final transient String token;

    UnsupportedSparqlException(String reason, String token) {
        super(reason);
        this.token = token;
    }

    String token() {
        return token;
    }
}
