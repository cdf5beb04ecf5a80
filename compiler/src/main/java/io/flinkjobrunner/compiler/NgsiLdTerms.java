package io.flinkjobrunner.compiler;

import static io.flinkjobrunner.ngsild.NgsiLdVocabulary.DATASET_ID;
import static io.flinkjobrunner.ngsild.NgsiLdVocabulary.HAS_JSON;
import static io.flinkjobrunner.ngsild.NgsiLdVocabulary.HAS_OBJECT;
import static io.flinkjobrunner.ngsild.NgsiLdVocabulary.HAS_VALUE;
import static io.flinkjobrunner.ngsild.NgsiLdVocabulary.HAS_VALUE_LIST;
import static io.flinkjobrunner.ngsild.NgsiLdVocabulary.OBSERVED_AT;
import static io.flinkjobrunner.ngsild.NgsiLdVocabulary.UNIT_CODE;

import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import java.util.Set;

/** What the compiler reads from NGSI-LD IRIs (the IRIs themselves are {@link NgsiLdVocabulary}'s). */
final class NgsiLdTerms {

    private static final Set<String> VALUE_KEYS = Set.of(HAS_VALUE, HAS_OBJECT, HAS_VALUE_LIST, HAS_JSON);
    private static final Set<String> NOT_ATTRIBUTES = Set.of(HAS_VALUE, HAS_OBJECT, HAS_VALUE_LIST, HAS_JSON,
            UNIT_CODE, DATASET_ID, OBSERVED_AT, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type");

    private NgsiLdTerms() {
    }

    /** {@code ngsi-ld:hasValue}, {@code hasObject}, {@code hasValueList} or {@code hasJSON}: attribute to value. */
    static boolean isValueKey(String iri) {
        return VALUE_KEYS.contains(iri);
    }

    /**
     * Whether a predicate of the NGSI-LD graph is an attribute (or sub-attribute) name: anything but the value keys,
     * {@code unitCode}, {@code datasetId}, {@code observedAt} and {@code rdf:type}.
     */
    static boolean isAttributeName(String iri) {
        return !NOT_ATTRIBUTES.contains(iri);
    }
}
