package io.flinkjobrunner.shacl;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.util.Models;
import org.eclipse.rdf4j.model.vocabulary.SHACL;

/**
 * Default messages for validation results whose shape declares no sh:message: which constraint failed, with its
 * parameter and the offending value, e.g. {@code value 80 is greater than sh:maxInclusive 75}.
 */
final class ConstraintMessages {

    private final Model shapes;
    private final TermNames names;

    ConstraintMessages(Model shapes) {
        this.shapes = shapes;
        this.names = new TermNames(shapes.getNamespaces());
    }

    String describe(IRI component, Resource shape, Optional<Value> value, ShaclPath path) {
        String subject = value.map(v -> "value " + names.display(v)).orElse("the focus node");
        String of = path == null ? "" : " of " + (path instanceof ShaclPath.Predicate p
                ? names.name(org.eclipse.rdf4j.model.util.Values.iri(p.iri())) : path.toSparql());
        String local = component.getLocalName();
        return switch (local) {
            case "ClassConstraintComponent" -> subject + " is not an instance of " + parameter(shape, SHACL.CLASS);
            case "DatatypeConstraintComponent" -> subject + " does not have datatype "
                    + parameter(shape, SHACL.DATATYPE);
            case "NodeKindConstraintComponent" -> subject + " is not of node kind "
                    + parameter(shape, SHACL.NODE_KIND_PROP);
            case "MinCountConstraintComponent" -> "expected at least " + parameter(shape, SHACL.MIN_COUNT)
                    + " value(s)" + of;
            case "MaxCountConstraintComponent" -> "expected at most " + parameter(shape, SHACL.MAX_COUNT)
                    + " value(s)" + of;
            case "MinExclusiveConstraintComponent" -> subject + " is not greater than sh:minExclusive "
                    + parameter(shape, SHACL.MIN_EXCLUSIVE);
            case "MinInclusiveConstraintComponent" -> subject + " is less than sh:minInclusive "
                    + parameter(shape, SHACL.MIN_INCLUSIVE);
            case "MaxExclusiveConstraintComponent" -> subject + " is not less than sh:maxExclusive "
                    + parameter(shape, SHACL.MAX_EXCLUSIVE);
            case "MaxInclusiveConstraintComponent" -> subject + " is greater than sh:maxInclusive "
                    + parameter(shape, SHACL.MAX_INCLUSIVE);
            case "MinLengthConstraintComponent" -> subject + " is shorter than sh:minLength "
                    + parameter(shape, SHACL.MIN_LENGTH);
            case "MaxLengthConstraintComponent" -> subject + " is longer than sh:maxLength "
                    + parameter(shape, SHACL.MAX_LENGTH);
            case "PatternConstraintComponent" -> subject + " does not match sh:pattern "
                    + parameter(shape, SHACL.PATTERN);
            case "LanguageInConstraintComponent" -> subject + " has a language tag not in sh:languageIn "
                    + listParameter(shape, SHACL.LANGUAGE_IN);
            case "UniqueLangConstraintComponent" -> "several values" + of + " share a language tag";
            case "EqualsConstraintComponent" -> "values" + of + " differ from those of "
                    + parameter(shape, SHACL.EQUALS) + " (" + subject + ")";
            case "DisjointConstraintComponent" -> subject + of + " is also a value of "
                    + parameter(shape, SHACL.DISJOINT);
            case "LessThanConstraintComponent" -> subject + " is not less than the values of "
                    + parameter(shape, SHACL.LESS_THAN);
            case "LessThanOrEqualsConstraintComponent" -> subject + " is greater than a value of "
                    + parameter(shape, SHACL.LESS_THAN_OR_EQUALS);
            case "NotConstraintComponent" -> subject + " conforms to the sh:not shape "
                    + parameter(shape, SHACL.NOT);
            case "AndConstraintComponent" -> subject + " does not conform to every shape of sh:and";
            case "OrConstraintComponent" -> subject + " conforms to none of the shapes of sh:or";
            case "XoneConstraintComponent" -> subject + " does not conform to exactly one shape of sh:xone";
            case "NodeConstraintComponent" -> subject + " does not conform to the sh:node shape "
                    + parameter(shape, SHACL.NODE);
            case "QualifiedMinCountConstraintComponent" -> "fewer than " + parameter(shape, SHACL.QUALIFIED_MIN_COUNT)
                    + " value(s)" + of + " conform to the qualified value shape";
            case "QualifiedMaxCountConstraintComponent" -> "more than " + parameter(shape, SHACL.QUALIFIED_MAX_COUNT)
                    + " value(s)" + of + " conform to the qualified value shape";
            case "ClosedConstraintComponent" -> "the closed shape does not allow" + of + " (" + subject + ")";
            case "HasValueConstraintComponent" -> "missing the required value " + parameter(shape, SHACL.HAS_VALUE)
                    + of;
            case "InConstraintComponent" -> subject + " is not one of " + listParameter(shape, SHACL.IN);
            case "SPARQLConstraintComponent" -> "the SPARQL constraint found a violation (" + subject + ")";
            default -> subject + " violates " + names.name(component);
        };
    }

    private String parameter(Resource shape, IRI parameter) {
        return Models.object(shapes.filter(shape, parameter, null)).map(names::display).orElse("?");
    }

    private String listParameter(Resource shape, IRI parameter) {
        Optional<Value> head = Models.object(shapes.filter(shape, parameter, null));
        if (head.isEmpty()) {
            return "?";
        }
        try {
            List<Value> members = RdfLists.members(shapes, head.get());
            return members.stream().map(names::display).collect(Collectors.joining(" ", "( ", " )"));
        } catch (MalformedRdfException e) {
            return names.display(head.get());
        }
    }
}
