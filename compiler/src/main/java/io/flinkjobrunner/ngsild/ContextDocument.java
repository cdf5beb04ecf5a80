package io.flinkjobrunner.ngsild;

/**
 * A {@code @context} document a mapping used, for the record (job logs print them).
 *
 * @param url the context URL the document referenced
 * @param origin where the document came from: {@code bundled NGSI-LD core context}, {@code mapped file <path>} or
 *     {@code fetched <instant>}
 * @param sha256 lower-case hex SHA-256 of the document's bytes
 */
public record ContextDocument(String url, String origin, String sha256) {

    @Override
    public String toString() {
        return url + " (" + origin + ", sha256 " + sha256 + ")";
    }
}
