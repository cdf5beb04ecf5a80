package io.flinkjobrunner.ngsild;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.util.Values;

/** NGSI-LD core vocabulary IRIs used by the row mapping and the RDF shape of entities. */
public final class NgsiLdVocabulary {

    /** The NGSI-LD core namespace. */
    public static final String NAMESPACE = "https://uri.etsi.org/ngsi-ld/";

    public static final String PROPERTY = NAMESPACE + "Property";
    public static final String RELATIONSHIP = NAMESPACE + "Relationship";
    public static final String JSON_PROPERTY = NAMESPACE + "JsonProperty";
    public static final String LIST_PROPERTY = NAMESPACE + "ListProperty";
    public static final String GEO_PROPERTY = NAMESPACE + "GeoProperty";

    public static final String HAS_VALUE = NAMESPACE + "hasValue";
    public static final String HAS_OBJECT = NAMESPACE + "hasObject";
    public static final String HAS_VALUE_LIST = NAMESPACE + "hasValueList";
    public static final String HAS_JSON = NAMESPACE + "hasJSON";
    public static final String DATASET_ID = NAMESPACE + "datasetId";
    public static final String OBSERVED_AT = NAMESPACE + "observedAt";
    public static final String UNIT_CODE = NAMESPACE + "unitCode";

    /** {@code rdf:JSON}, the datatype of JSON literals (not in RDF4J's vocabulary classes). */
    public static final String RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";

    public static final IRI HAS_VALUE_IRI = Values.iri(HAS_VALUE);
    public static final IRI HAS_OBJECT_IRI = Values.iri(HAS_OBJECT);
    public static final IRI HAS_VALUE_LIST_IRI = Values.iri(HAS_VALUE_LIST);
    public static final IRI HAS_JSON_IRI = Values.iri(HAS_JSON);
    public static final IRI DATASET_ID_IRI = Values.iri(DATASET_ID);
    public static final IRI OBSERVED_AT_IRI = Values.iri(OBSERVED_AT);
    public static final IRI UNIT_CODE_IRI = Values.iri(UNIT_CODE);
    public static final IRI RDF_JSON_IRI = Values.iri(RDF_JSON);

    /** The {@code datasetId} of an attribute instance without one (the default instance). */
    public static final String DEFAULT_DATASET_ID = "@none";

    private NgsiLdVocabulary() {
    }
}
