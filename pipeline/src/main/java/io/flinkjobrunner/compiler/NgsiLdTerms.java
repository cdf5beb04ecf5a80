package io.flinkjobrunner.compiler;

/** NGSI-LD IRIs the compiler recognises in shapes and writes into constraint rows. */
final class NgsiLdTerms {

    static final String NS = "https://uri.etsi.org/ngsi-ld/";
    static final String HAS_VALUE = NS + "hasValue";
    static final String HAS_OBJECT = NS + "hasObject";
    static final String HAS_VALUE_LIST = NS + "hasValueList";
    static final String HAS_JSON = NS + "hasJSON";
    static final String PROPERTY = NS + "Property";
    static final String RELATIONSHIP = NS + "Relationship";
    static final String LIST_PROPERTY = NS + "ListProperty";
    static final String JSON_PROPERTY = NS + "JsonProperty";

    private NgsiLdTerms() {
    }
}
