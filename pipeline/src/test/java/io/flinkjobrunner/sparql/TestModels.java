package io.flinkjobrunner.sparql;

import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.util.Values;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.eclipse.rdf4j.model.vocabulary.XSD;

/**
 * Test fixture: the reference's model → entities/attributes rows (§2.5, top-level normalized attributes) and the
 * same model as RDF for the differential check. Only entities whose type is a subclass* of the target class of a
 * NodeShape with sh:property exist, as in the reference.
 */
final class TestModels {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NGSI_LD = NgsiLdVocabulary.NAMESPACE;

    /** One model: its rows and its RDF. */
    record Scenario(List<FlinkTestTables.Entity> entities, List<FlinkTestTables.Attribute> attributes, Model rdf) {
        FlinkTestTables tables(Model closedKnowledge) {
            FlinkTestTables tables = new FlinkTestTables();
            entities.forEach(e -> tables.entity(e.id(), e.type()));
            attributes.forEach(tables::attribute);
            for (FlinkTestTables.Triple t : TestKnowledge.rows(closedKnowledge)) {
                tables.triple(t.subject(), t.predicate(), t.object());
            }
            return tables;
        }
    }

    private TestModels() {
    }

    static Scenario read(Path model, Model shapes, Model closedKnowledge) throws IOException {
        Set<String> universe = universe(shapes, closedKnowledge);
        List<FlinkTestTables.Entity> entities = new ArrayList<>();
        List<FlinkTestTables.Attribute> attributes = new ArrayList<>();
        Model rdf = new LinkedHashModel();
        JsonNode root = JSON.readTree(Files.readString(model));
        for (JsonNode entity : root.isArray() ? root : List.of(root)) {
            String id = entity.get("id").asText();
            String type = entity.get("type").asText();
            if (!universe.contains(type)) {
                continue; // not an entity for validation, as in the reference
            }
            rdf.add(Values.iri(id), RDF.TYPE, Values.iri(type));
            entities.add(new FlinkTestTables.Entity(id, type, 1_000L));
            for (Iterator<Map.Entry<String, JsonNode>> it = entity.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getKey().contains(":") || field.getKey().equals("@context")) {
                    continue;
                }
                JsonNode values = field.getValue();
                for (JsonNode attribute : values.isArray() ? values : List.of(values)) {
                    attribute(id, field.getKey(), attribute, attributes, rdf);
                }
            }
        }
        return new Scenario(entities, attributes, rdf);
    }

    private static void attribute(String entity, String name, JsonNode a, List<FlinkTestTables.Attribute> rows,
            Model rdf) {
        String kind = a.path("type").asText();
        if (kind.equals("Relationship") ? !a.hasNonNull("object") : !a.has("value")) {
            return; // no hasValue/hasObject: the reference makes no attribute row either
        }
        String datasetId = a.has("datasetId") ? a.get("datasetId").asText() : "@none";
        long ts = a.has("observedAt") ? epochMillis(a.get("observedAt").asText()) : 1_000L;
        org.eclipse.rdf4j.model.BNode node = Values.bnode();
        rdf.add(Values.iri(entity), Values.iri(name), node);
        rdf.add(node, RDF.TYPE, Values.iri(NGSI_LD + kind));
        if (a.has("observedAt")) {
            rdf.add(node, Values.iri(NGSI_LD + "observedAt"), Values.literal(
                    a.get("observedAt").asText().strip().replace(' ', 'T'), XSD.DATETIME));
        }
        if (kind.equals("Relationship")) {
            String object = a.get("object").asText();
            rows.add(new FlinkTestTables.Attribute(entity, name, "@id", null, NGSI_LD + "Relationship", object,
                    datasetId, ts));
            rdf.add(node, Values.iri(NGSI_LD + "hasObject"), Values.iri(object));
            return;
        }
        JsonNode value = a.get("value");
        Value rdfValue;
        String nodeType = "@value";
        String valueType;
        String text;
        if (value.isObject() && value.has("@id")) {
            nodeType = "@id";
            valueType = null;
            text = value.get("@id").asText();
            rdfValue = Values.iri(text);
        } else if (value.isObject() && value.has("@value")) {
            text = value.get("@value").asText();
            valueType = value.has("@type") ? value.get("@type").asText() : XSD.STRING.stringValue();
            rdfValue = valueType.contains(":") && !valueType.startsWith("iff:")
                    ? Values.literal(text, Values.iri(valueType)) : Values.literal(text);
        } else if (value.isNumber()) {
            text = value.isIntegralNumber() ? value.asText() : Double.toString(value.asDouble());
            valueType = value.isIntegralNumber() ? XSD.INTEGER.stringValue() : XSD.DOUBLE.stringValue();
            rdfValue = Values.literal(text, Values.iri(valueType));
        } else if (value.isBoolean()) {
            text = value.asBoolean() ? "True" : "False";
            valueType = XSD.BOOLEAN.stringValue();
            rdfValue = Values.literal(value.asBoolean());
        } else {
            text = value.asText();
            valueType = XSD.STRING.stringValue();
            rdfValue = Values.literal(text);
        }
        rows.add(new FlinkTestTables.Attribute(entity, name, nodeType, valueType, NGSI_LD + "Property", text,
                datasetId, ts));
        rdf.add(node, Values.iri(NGSI_LD + "hasValue"), rdfValue);
    }

    static long epochMillis(String text) {
        String lexical = text.strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(lexical).toInstant().toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return LocalDateTime.parse(lexical).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
    }

    /** Types that are subclass* of the target class of a NodeShape with sh:property. */
    static Set<String> universe(Model shapes, Model closedKnowledge) {
        Set<String> result = new HashSet<>();
        for (Resource shape : shapes.filter(null, SHACL.PROPERTY, null).subjects()) {
            for (Value tc : shapes.filter(shape, SHACL.TARGET_CLASS, null).objects()) {
                result.add(tc.stringValue());
                for (Resource sub : closedKnowledge.filter(null, RDFS.SUBCLASSOF, (Resource) tc).subjects()) {
                    result.add(sub.stringValue());
                }
            }
        }
        return result;
    }
}
