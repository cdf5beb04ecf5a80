package io.flinkjobrunner.compiler;

/** NGSI-LD IRIs the compiler recognises in shapes and writes into constraint rows. */
final class NgsiLdTerms {

    static final String NS = "https://uri.etsi.org/ngsi-ld/";
    static final String HAS_VALUE = NS + "hasValue";
    static final String HAS_OBJECT = NS + "hasObject";
    static final String HAS_VALUE_LIST = NS + "hasValueList";
    static final String HAS_JSON = NS + "hasJSON";
    static final String UNIT_CODE = NS + "unitCode";
    static final String DATASET_ID = NS + "datasetId";
    static final String OBSERVED_AT = NS + "observedAt";
    static final String PROPERTY = NS + "Property";
    static final String RELATIONSHIP = NS + "Relationship";
    static final String LIST_PROPERTY = NS + "ListProperty";
    static final String JSON_PROPERTY = NS + "JsonProperty";

    private static final java.util.Set<String> VALUE_KEYS = java.util.Set.of(HAS_VALUE, HAS_OBJECT, HAS_VALUE_LIST,
            HAS_JSON);
    private static final java.util.Set<String> NOT_ATTRIBUTES = java.util.Set.of(HAS_VALUE, HAS_OBJECT, HAS_VALUE_LIST,
            HAS_JSON, UNIT_CODE, DATASET_ID, OBSERVED_AT, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type");

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
