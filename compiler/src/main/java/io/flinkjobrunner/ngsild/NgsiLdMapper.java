package io.flinkjobrunner.ngsild;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import no.hasmac.jsonld.JsonLdError;
import no.hasmac.jsonld.JsonLdErrorCode;
import no.hasmac.jsonld.JsonLdOptions;
import no.hasmac.jsonld.context.ActiveContext;
import no.hasmac.jsonld.document.Document;
import no.hasmac.jsonld.document.JsonDocument;
import no.hasmac.jsonld.expansion.Expansion;
import no.hasmac.jsonld.json.JsonProvider;
import no.hasmac.jsonld.lang.Keywords;
import no.hasmac.jsonld.loader.DocumentLoader;
import no.hasmac.jsonld.loader.DocumentLoaderOptions;
import org.eclipse.rdf4j.model.BNode;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.XSD;

/**
 * Maps NGSI-LD entities (normalized JSON-LD) to rows of the {@code entities} and {@code attributes} tables and to an
 * RDF4J {@link Model} of the same data in NGSI-LD's RDF shape.
 *
 * <p>The document is expanded with a JSON-LD 1.1 processor whose document loader is {@link NgsiLdContexts}: remote
 * contexts resolve offline or fail with the URL named. The NGSI-LD core context is the initial context (NGSI-LD
 * implies it), so entities without {@code @context} expand as NGSI-LD intends. Values are then read from the expanded
 * form, which still carries the raw JSON number tokens: {@code 1.0} becomes {@code xsd:double '1.0'} and {@code 1}
 * becomes {@code xsd:integer '1'}, as in the reference (a generic JSON-LD → RDF conversion would turn {@code 1.0}
 * into an integer). Row layout and value rendering follow shacl2flink's {@code create_ngsild_models.py} and the results of its {@code tests/sql-tests}; deliberate
 * differences are listed in docs/semantics.md.
 */
public final class NgsiLdMapper {

    private static final Set<String> ATTRIBUTE_TYPES = Set.of(NgsiLdVocabulary.PROPERTY,
            NgsiLdVocabulary.RELATIONSHIP, NgsiLdVocabulary.JSON_PROPERTY, NgsiLdVocabulary.LIST_PROPERTY,
            NgsiLdVocabulary.GEO_PROPERTY);
    private static final List<String> VALUE_KEYS = List.of(NgsiLdVocabulary.HAS_VALUE, NgsiLdVocabulary.HAS_OBJECT,
            NgsiLdVocabulary.HAS_VALUE_LIST, NgsiLdVocabulary.HAS_JSON);
    private static final Set<String> ATTRIBUTE_METADATA = Set.of(NgsiLdVocabulary.DATASET_ID,
            NgsiLdVocabulary.OBSERVED_AT, NgsiLdVocabulary.UNIT_CODE);
    private static final Pattern ABSOLUTE_IRI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[^\\s<>\"{}|^`\\\\]*");
    private static final ValueFactory VALUES = SimpleValueFactory.getInstance();
    /**
     * The bundled core context, processed, per thread and shared by every mapper (it is the same document for all of
     * them, {@link NgsiLdContexts#coreContext()}): a mapper made per request or per model costs no processing and
     * leaves nothing behind in the threads that ran it.
     */
    private static final ThreadLocal<CoreContext> CORE_CONTEXT = ThreadLocal.withInitial(CoreContext::new);

    private final NgsiLdContexts contexts;

    public NgsiLdMapper(NgsiLdContexts contexts) {
        this.contexts = Objects.requireNonNull(contexts, "contexts");
    }

    /** Maps the entities of a JSON-LD file (an entity, an array of entities, or a {@code @graph}). */
    public NgsiLdData map(Path file, IngestionClock clock) throws NgsiLdException, IOException {
        return map(Files.readString(file, StandardCharsets.UTF_8), file.toString(), clock);
    }

    /**
     * Maps the entities of a JSON-LD document.
     *
     * @param source name of the document in error messages
     * @param clock timestamps for rows without {@code observedAt}, taken in document order
     */
    public NgsiLdData map(String json, String source, IngestionClock clock) throws NgsiLdException {
        Objects.requireNonNull(clock, "clock");
        JsonStructure document = StrictJson.parse(json, source);
        rejectEntitiesWithOnlyAnId(document, source);
        ContextLoader loader = new ContextLoader(source);
        JsonArray expanded = expand(document, source, loader);
        return new Mapping(source, clock).map(expanded, loader.used);
    }

    /**
     * JSON-LD expansion silently drops a node that has nothing but an id; an NGSI-LD entity without a type is an error,
     * so catch it before expanding.
     */
    private static void rejectEntitiesWithOnlyAnId(JsonStructure document, String source) throws NgsiLdException {
        JsonValue entities = document;
        if (document instanceof JsonObject object && object.get("@graph") instanceof JsonArray graph) {
            entities = graph;
        }
        List<JsonValue> candidates = entities instanceof JsonArray array ? array : List.of(entities);
        int position = 0;
        for (JsonValue candidate : candidates) {
            position++;
            if (candidate instanceof JsonObject entity && !entity.isEmpty() && entity.keySet().stream()
                    .allMatch(key -> key.equals("id") || key.equals("@id") || key.equals("@context"))) {
                JsonValue id = entity.containsKey("id") ? entity.get("id") : entity.get("@id");
                String name = id instanceof JsonString text ? "'" + text.getString() + "'" : "#" + position;
                throw NgsiLdException.invalidEntity(source, "entity " + name + " has no type");
            }
        }
    }

    JsonArray expand(JsonStructure document, String source, ContextLoader loader) throws NgsiLdException {
        CoreContext core = CORE_CONTEXT.get();
        core.loader.current = loader;
        try {
            // JsonLdProcessor.expand() (ExpansionProcessor) with the expandContext already applied: no document URL,
            // no base, unordered, not a frame
            JsonValue expanded = Expansion.with(core.context, document, null, null).ordered(false).compute();
            if (expanded instanceof JsonObject object && object.size() == 1 && object.containsKey(Keywords.GRAPH)) {
                expanded = object.get(Keywords.GRAPH);
            }
            return expanded == null || expanded.getValueType() == JsonValue.ValueType.NULL ? JsonValue.EMPTY_JSON_ARRAY
                    : expanded instanceof JsonArray array ? array : JsonProvider.instance().createArrayBuilder().add(expanded).build();
        } catch (JsonLdError e) {
            if (loader.failure != null) {
                throw loader.failure;
            }
            String detail = e.getMessage() == null ? e.getCode().name() : e.getMessage();
            throw NgsiLdException.invalidJsonLd(source, detail, e);
        } catch (RuntimeException e) {
            if (loader.failure != null) {
                throw loader.failure;
            }
            throw NgsiLdException.invalidJsonLd(source, String.valueOf(e.getMessage()), e);
        } finally {
            core.loader.current = null;
        }
    }

    /**
     * The NGSI-LD core context processed into an active context once per thread, instead of once per document (that
     * processing was most of the cost of mapping a single entity, docs/benchmarks.md, issue 20). Per thread because
     * the processor's active context keeps a lookup cache it writes to while expanding; its document loader forwards
     * to the loader of the document being expanded, so the contexts a document names are still resolved and recorded
     * per document.
     */
    private static final class CoreContext {

        private final ForwardingLoader loader = new ForwardingLoader();
        private final ActiveContext context;

        CoreContext() {
            try {
                JsonValue core = NgsiLdContexts.coreOnly().coreContext().asJsonObject().get(Keywords.CONTEXT);
                this.context = new ActiveContext(null, null, new JsonLdOptions(loader)).newContext().create(
                        core instanceof JsonArray ? core : JsonProvider.instance().createArrayBuilder().add(core).build(), null);
            } catch (NgsiLdException | JsonLdError e) {
                throw new IllegalStateException("bundled NGSI-LD core context cannot be processed: " + e.getMessage(), e);
            }
        }
    }

    /** The document loader of a thread's {@link CoreContext}: the loader of the document expanded on it now. */
    private static final class ForwardingLoader implements DocumentLoader {

        private DocumentLoader current;

        @Override
        public Document loadDocument(URI url, DocumentLoaderOptions options) throws JsonLdError {
            if (current == null) {
                throw new JsonLdError(JsonLdErrorCode.LOADING_REMOTE_CONTEXT_FAILED, "no document is being expanded");
            }
            return current.loadDocument(url, options);
        }
    }

    /**
     * Serves context documents from {@link NgsiLdContexts} (mapped, bundled or fetched); records which it served and
     * remembers the first failure for a precise error.
     */
    final class ContextLoader implements DocumentLoader {

        private final String source;
        private final List<ContextDocument> used = new ArrayList<>();
        private NgsiLdException failure;

        ContextLoader(String source) {
            this.source = source;
        }

        @Override
        public Document loadDocument(URI url, DocumentLoaderOptions options) throws JsonLdError {
            try {
                NgsiLdContexts.Resolved resolved = contexts.resolve(url.toString(), source);
                if (used.stream().noneMatch(d -> d.url().equals(resolved.description().url()))) {
                    used.add(resolved.description());
                }
                JsonDocument document = JsonDocument.of(resolved.document());
                document.setDocumentUrl(url);
                return document;
            } catch (NgsiLdException e) {
                if (failure == null) {
                    failure = e;
                }
                throw new JsonLdError(JsonLdErrorCode.LOADING_REMOTE_CONTEXT_FAILED, e.getMessage());
            }
        }
    }

    /** The state of one mapping run: rows and triples in document order. */
    private static final class Mapping {

        private final String source;
        private final IngestionClock clock;
        private final List<EntityRow> entities = new ArrayList<>();
        private final List<AttributeRow> attributes = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private final Model rdf = new LinkedHashModel();

        Mapping(String source, IngestionClock clock) {
            this.source = source;
            this.clock = clock;
        }

        NgsiLdData map(JsonArray expanded, List<ContextDocument> contexts) throws NgsiLdException {
            int position = 0;
            for (JsonValue node : expanded) {
                position++;
                if (!(node instanceof JsonObject entity)) {
                    throw invalid("entity #" + position + " is not a JSON object");
                }
                entity(entity, position);
            }
            return new NgsiLdData(entities, attributes, rdf, warnings, contexts);
        }

        private void entity(JsonObject node, int position) throws NgsiLdException {
            if (!(node.get("@id") instanceof JsonString idValue)) {
                throw invalid("entity #" + position + " has no id");
            }
            String id = idValue.getString();
            String where = "entity '" + id + "'";
            IRI entity = iri(id, where + ": id");
            List<String> types = strings(node.get("@type"));
            if (types.isEmpty()) {
                throw invalid(where + " has no type");
            }
            for (String type : types) {
                rdf.add(entity, RDF.TYPE, iri(type, where + ": type"));
                entities.add(new EntityRow(id, type, null, clock.next()));
            }
            properties(id, entity, null, node, where);
        }

        /**
         * The members of an entity or attribute node: attributes become rows (recursively), other values only
         * triples. Keywords and, on an attribute, its value and metadata keys are handled by the caller.
         *
         * @param parentId id of the attribute that owns {@code node}, null for an entity
         */
        private void properties(String entityId, Resource subject, String parentId, JsonObject node, String where)
                throws NgsiLdException {
            for (String key : node.keySet()) {
                if (key.startsWith("@")) {
                    rejectUnsupportedKeyword(key, where);
                    continue;
                }
                if (parentId != null && (VALUE_KEYS.contains(key) || ATTRIBUTE_METADATA.contains(key))) {
                    continue;
                }
                IRI property = iri(key, where + ": property");
                for (JsonValue value : node.getJsonArray(key)) {
                    if (isAttribute(value)) {
                        attribute(entityId, subject, parentId, key, value.asJsonObject());
                    } else {
                        rdf.add(subject, property, term(value, where + ", property '" + key + "'"));
                    }
                }
            }
        }

        /**
         * One attribute instance: its rows (one per value) and triples, then its sub-attributes.
         *
         * @param parentId id of the parent attribute, null for a top-level attribute
         */
        private void attribute(String entityId, Resource subject, String parentId, String name, JsonObject node)
                throws NgsiLdException {
            String where = "entity '" + entityId + "', attribute '" + name + "'";
            List<String> types = strings(node.get("@type"));
            String valueKey = valueKey(node, where);
            String type = attributeType(types, valueKey);
            String datasetId = datasetId(node, where);
            String unitCode = unitCode(node, where);
            JsonObject observedAtValue = single(node, NgsiLdVocabulary.OBSERVED_AT, where);
            Instant observedAt = observedAt(observedAtValue, where);
            String id = (parentId == null ? entityId : parentId) + "\\" + name + "\\" + datasetId;

            BNode attribute = VALUES.createBNode();
            rdf.add(subject, iri(name, where), attribute);
            for (String attributeType : types.isEmpty() ? List.of(type) : types) {
                rdf.add(attribute, RDF.TYPE, iri(attributeType, where + ": type"));
            }
            if (!datasetId.equals(NgsiLdVocabulary.DEFAULT_DATASET_ID)) {
                rdf.add(attribute, NgsiLdVocabulary.DATASET_ID_IRI, isAbsoluteIri(datasetId)
                        ? VALUES.createIRI(datasetId) : VALUES.createLiteral(datasetId));
            }
            if (observedAtValue != null) {
                rdf.add(attribute, NgsiLdVocabulary.OBSERVED_AT_IRI, term(observedAtValue, where + ", observedAt"));
            }
            if (unitCode != null) {
                rdf.add(attribute, NgsiLdVocabulary.UNIT_CODE_IRI, VALUES.createLiteral(unitCode));
            }

            IRI valueProperty = VALUES.createIRI(valueKey);
            for (JsonValue item : node.getJsonArray(valueKey)) {
                AttributeValue value = attributeValue(item, valueKey, where);
                attributes.add(new AttributeRow(id, parentId, entityId, name, value.nodeType(), value.valueType(), type,
                        value.text(), datasetId, unitCode, value.lang(), null, null,
                        observedAt != null ? observedAt : clock.next()));
                rdf.add(attribute, valueProperty, value.rdf());
            }
            properties(entityId, attribute, id, node, where);
        }

        /** Which of hasValue / hasObject / hasValueList / hasJSON the attribute uses (exactly one). */
        private String valueKey(JsonObject node, String where) throws NgsiLdException {
            String found = null;
            for (String key : VALUE_KEYS) {
                if (node.containsKey(key)) {
                    if (found != null) {
                        throw invalid(where + " has both " + localName(found) + " and " + localName(key));
                    }
                    found = key;
                }
            }
            return found;
        }

        /** The declared NGSI-LD attribute type, else the one its value key implies (NGSI-LD concise form). */
        private static String attributeType(List<String> types, String valueKey) {
            for (String type : types) {
                if (ATTRIBUTE_TYPES.contains(type)) {
                    return type;
                }
            }
            if (!types.isEmpty()) {
                return types.get(0);
            }
            return switch (valueKey) {
                case NgsiLdVocabulary.HAS_OBJECT -> NgsiLdVocabulary.RELATIONSHIP;
                case NgsiLdVocabulary.HAS_VALUE_LIST -> NgsiLdVocabulary.LIST_PROPERTY;
                case NgsiLdVocabulary.HAS_JSON -> NgsiLdVocabulary.JSON_PROPERTY;
                default -> NgsiLdVocabulary.PROPERTY;
            };
        }

        private String datasetId(JsonObject node, String where) throws NgsiLdException {
            JsonObject value = single(node, NgsiLdVocabulary.DATASET_ID, where);
            if (value == null) {
                return NgsiLdVocabulary.DEFAULT_DATASET_ID;
            }
            String datasetId;
            if (value.get("@id") instanceof JsonString iri) {
                datasetId = iri.getString();
            } else if (value.get("@value") instanceof JsonString text) {
                datasetId = text.getString();
            } else if (value.get("@value") instanceof JsonNumber number) {
                // the reference (rdflib) keeps a JSON number as a typed literal and prints its Python value
                datasetId = PythonLiterals.numberString(number);
            } else if (value.get("@value") == JsonValue.TRUE || value.get("@value") == JsonValue.FALSE) {
                datasetId = PythonLiterals.pythonBoolean(value.get("@value") == JsonValue.TRUE);
            } else {
                throw invalid(where + ": datasetId must be an IRI (or at least a string or number), got "
                        + value);
            }
            if (!isAbsoluteIri(datasetId)) {
                String shown = value.get("@value") instanceof JsonNumber || value.get("@value") == JsonValue.TRUE
                        || value.get("@value") == JsonValue.FALSE ? datasetId : "'" + datasetId + "'";
                warnings.add(where + ": datasetId " + shown + " is not an IRI; taken as the opaque datasetId '"
                        + datasetId + "', as the reference takes it");
            }
            return datasetId;
        }

        private String unitCode(JsonObject node, String where) throws NgsiLdException {
            JsonObject value = single(node, NgsiLdVocabulary.UNIT_CODE, where);
            if (value == null) {
                return null;
            }
            JsonValue raw = value.get("@value");
            if (raw instanceof JsonString text) {
                return text.getString();
            }
            if (raw instanceof JsonNumber number) {
                return PythonLiterals.numberString(number);
            }
            throw invalid(where + ": unitCode must be a string");
        }

        private Instant observedAt(JsonObject value, String where) throws NgsiLdException {
            if (value == null) {
                return null;
            }
            if (!(value.get("@value") instanceof JsonString text)) {
                throw invalid(where + ": observedAt must be a date-time string");
            }
            try {
                return ObservedAt.parse(text.getString());
            } catch (IllegalArgumentException e) {
                throw invalid(where + ": observedAt " + e.getMessage());
            }
        }

        /** The only value of {@code key}, or null when absent. */
        private JsonObject single(JsonObject node, String key, String where) throws NgsiLdException {
            JsonArray values = node.getJsonArray(key);
            if (values == null || values.isEmpty()) {
                return null;
            }
            if (values.size() > 1) {
                throw invalid(where + " has " + values.size() + " values for " + localName(key) + ", expected one");
            }
            return values.get(0).asJsonObject();
        }

        /** The row columns and the RDF value of one value of an attribute. */
        private AttributeValue attributeValue(JsonValue item, String valueKey, String where) throws NgsiLdException {
            JsonObject object = item.asJsonObject();
            if (object.containsKey("@list")) {
                JsonArray list = object.getJsonArray("@list");
                return new AttributeValue("@list", null, PythonLiterals.listRepr(list), null, collection(list, where));
            }
            if (object.containsKey("@id")) {
                String iri = object.getString("@id");
                return new AttributeValue("@id", null, iri, null, iri(iri, where + ": value"));
            }
            if (!object.containsKey("@value")) {
                throw invalid(where + " has a structured value; use a JsonProperty (\"json\") for JSON objects or"
                        + " {\"@id\": ...} for IRIs");
            }
            JsonValue raw = object.get("@value");
            JsonValue datatype = object.get("@type");
            if (datatype instanceof JsonString json && json.getString().equals("@json")) {
                String text = PythonLiterals.canonicalJson(raw);
                String nodeType = valueKey.equals(NgsiLdVocabulary.HAS_JSON) ? "@json" : "@value";
                return new AttributeValue(nodeType, NgsiLdVocabulary.RDF_JSON, text, null,
                        VALUES.createLiteral(text, NgsiLdVocabulary.RDF_JSON_IRI));
            }
            if (object.get("@language") instanceof JsonString language) {
                String text = stringValue(raw, where);
                return new AttributeValue("@value", PythonLiterals.RDF_LANG_STRING, text, language.getString(),
                        VALUES.createLiteral(text, language.getString()));
            }
            if (datatype instanceof JsonString type) {
                String lexical = lexicalForm(raw, type.getString());
                return new AttributeValue("@value", type.getString(), PythonLiterals.valueString(lexical,
                        type.getString()), null, VALUES.createLiteral(lexical, iri(type.getString(), where
                        + ": datatype")));
            }
            return nativeValue(raw, where);
        }

        private AttributeValue nativeValue(JsonValue raw, String where) throws NgsiLdException {
            return switch (raw.getValueType()) {
                case STRING -> {
                    String text = ((JsonString) raw).getString();
                    yield new AttributeValue("@value", PythonLiterals.XSD_STRING, text, null,
                            VALUES.createLiteral(text));
                }
                case NUMBER -> {
                    JsonNumber number = (JsonNumber) raw;
                    if (number.isIntegral()) {
                        String digits = number.bigIntegerValue().toString();
                        yield new AttributeValue("@value", PythonLiterals.XSD_INTEGER, digits, null,
                                VALUES.createLiteral(digits, XSD.INTEGER));
                    }
                    double value = PythonLiterals.toDouble(number);
                    yield new AttributeValue("@value", PythonLiterals.XSD_DOUBLE, PythonLiterals.floatRepr(value), null,
                            VALUES.createLiteral(xsdDouble(value), XSD.DOUBLE));
                }
                case TRUE, FALSE -> {
                    boolean value = raw.getValueType() == JsonValue.ValueType.TRUE;
                    yield new AttributeValue("@value", PythonLiterals.XSD_BOOLEAN, PythonLiterals.pythonBoolean(value),
                            null, VALUES.createLiteral(value));
                }
                default -> throw invalid(where + " has an unsupported value " + raw);
            };
        }

        /** The RDF term of a non-attribute value (entity property, list member, observedAt, ...). */
        private Value term(JsonValue value, String where) throws NgsiLdException {
            if (!(value instanceof JsonObject object)) {
                throw invalid(where + " has an unexpected value " + value);
            }
            if (object.containsKey("@list")) {
                return collection(object.getJsonArray("@list"), where);
            }
            if (object.containsKey("@value")) {
                return attributeValue(object, NgsiLdVocabulary.HAS_VALUE, where).rdf();
            }
            Resource node = object.get("@id") instanceof JsonString id ? iri(id.getString(), where)
                    : VALUES.createBNode();
            for (String type : strings(object.get("@type"))) {
                rdf.add(node, RDF.TYPE, iri(type, where + ": type"));
            }
            for (String key : object.keySet()) {
                if (key.startsWith("@")) {
                    continue;
                }
                IRI property = iri(key, where + ": property");
                for (JsonValue nested : object.getJsonArray(key)) {
                    rdf.add(node, property, term(nested, where + ", property '" + key + "'"));
                }
            }
            return node;
        }

        private Resource collection(JsonArray items, String where) throws NgsiLdException {
            if (items.isEmpty()) {
                return RDF.NIL;
            }
            // rdf:first / rdf:rest as JSON-LD's RDF conversion writes them (no rdf:List typing)
            BNode head = VALUES.createBNode();
            BNode current = head;
            for (int i = 0; i < items.size(); i++) {
                rdf.add(current, RDF.FIRST, term(items.get(i), where + ", list member"));
                BNode next = i + 1 < items.size() ? VALUES.createBNode() : null;
                rdf.add(current, RDF.REST, next == null ? RDF.NIL : next);
                current = next;
            }
            return head;
        }

        private void rejectUnsupportedKeyword(String keyword, String where) throws NgsiLdException {
            if (keyword.equals("@graph") || keyword.equals("@included") || keyword.equals("@reverse")) {
                throw invalid(where + " uses " + keyword + ", which NGSI-LD entities do not support");
            }
        }

        private IRI iri(String value, String where) throws NgsiLdException {
            if (!isAbsoluteIri(value)) {
                throw invalid(where + " '" + value + "' is not an absolute IRI (is a term missing from the @context?)");
            }
            return VALUES.createIRI(value);
        }

        private NgsiLdException invalid(String detail) {
            return NgsiLdException.invalidEntity(source, detail);
        }

        private static boolean isAttribute(JsonValue value) {
            if (!(value instanceof JsonObject object) || object.containsKey("@value") || object.containsKey("@list")) {
                return false;
            }
            for (String key : VALUE_KEYS) {
                if (object.containsKey(key)) {
                    return true;
                }
            }
            return false;
        }

        private static List<String> strings(JsonValue value) {
            List<String> strings = new ArrayList<>();
            if (value instanceof JsonString text) {
                strings.add(text.getString());
            } else if (value instanceof JsonArray array) {
                for (JsonValue element : array) {
                    if (element instanceof JsonString text) {
                        strings.add(text.getString());
                    }
                }
            }
            return strings;
        }

        private String stringValue(JsonValue raw, String where) throws NgsiLdException {
            if (raw instanceof JsonString text) {
                return text.getString();
            }
            throw invalid(where + ": a language-tagged value must be a string");
        }

        /** The lexical form of a typed value; native numbers and booleans are written as JSON-LD would. */
        private static String lexicalForm(JsonValue raw, String datatype) {
            return switch (raw.getValueType()) {
                case STRING -> ((JsonString) raw).getString();
                case NUMBER -> {
                    JsonNumber number = (JsonNumber) raw;
                    yield number.isIntegral() && !datatype.equals(PythonLiterals.XSD_DOUBLE)
                            ? number.bigIntegerValue().toString()
                            : xsdDouble(PythonLiterals.toDouble(number));
                }
                case TRUE -> "true";
                case FALSE -> "false";
                default -> raw.toString();
            };
        }

        private static String localName(String iri) {
            return iri.substring(iri.lastIndexOf('/') + 1);
        }
    }

    /** An {@code xsd:double} lexical form of {@code value} ({@code INF}, {@code NaN} for the special values). */
    private static String xsdDouble(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "INF" : "-INF";
        }
        return PythonLiterals.floatRepr(value);
    }

    private static boolean isAbsoluteIri(String value) {
        return ABSOLUTE_IRI.matcher(value).matches();
    }

    /** One value of an attribute: the row columns it determines and its RDF term. */
    private record AttributeValue(String nodeType, String valueType, String text, String lang, Value rdf) {
    }
}
