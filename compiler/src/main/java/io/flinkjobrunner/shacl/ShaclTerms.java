package io.flinkjobrunner.shacl;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.vocabulary.SHACL;

/** Groups of SHACL vocabulary terms the checks need (SHACL Core, SHACL-SPARQL and SHACL Advanced Features). */
final class ShaclTerms {

    private ShaclTerms() {
    }

    /** Target declarations (SHACL 2.1.3, plus sh:target from SHACL-AF). */
    static final List<IRI> TARGETS = List.of(SHACL.TARGET_CLASS, SHACL.TARGET_NODE, SHACL.TARGET_OBJECTS_OF,
            SHACL.TARGET_SUBJECTS_OF, SHACL.TARGET_PROP);

    /** Parameters of the core constraint components (SHACL 4) and sh:sparql (SHACL 5): their subjects are shapes. */
    static final List<IRI> CONSTRAINT_PARAMETERS = List.of(SHACL.CLASS, SHACL.DATATYPE, SHACL.NODE_KIND_PROP,
            SHACL.MIN_COUNT, SHACL.MAX_COUNT, SHACL.MIN_EXCLUSIVE, SHACL.MIN_INCLUSIVE, SHACL.MAX_EXCLUSIVE,
            SHACL.MAX_INCLUSIVE, SHACL.MIN_LENGTH, SHACL.MAX_LENGTH, SHACL.PATTERN, SHACL.FLAGS, SHACL.LANGUAGE_IN,
            SHACL.UNIQUE_LANG, SHACL.EQUALS, SHACL.DISJOINT, SHACL.LESS_THAN, SHACL.LESS_THAN_OR_EQUALS, SHACL.NOT,
            SHACL.AND, SHACL.OR, SHACL.XONE, SHACL.NODE, SHACL.PROPERTY, SHACL.QUALIFIED_VALUE_SHAPE,
            SHACL.QUALIFIED_VALUE_SHAPES_DISJOINT, SHACL.QUALIFIED_MIN_COUNT, SHACL.QUALIFIED_MAX_COUNT,
            SHACL.CLOSED, SHACL.IGNORED_PROPERTIES, SHACL.HAS_VALUE, SHACL.IN, SHACL.SPARQL);

    /** Parameters whose values are shapes (SHACL 4.6.1, 4.7). */
    static final List<IRI> SHAPE_VALUED = List.of(SHACL.NODE, SHACL.PROPERTY, SHACL.NOT, SHACL.QUALIFIED_VALUE_SHAPE);

    /** Parameters whose values are lists of shapes (SHACL 4.6.2-4.6.4). */
    static final List<IRI> SHAPE_LISTS = List.of(SHACL.AND, SHACL.OR, SHACL.XONE);

    /** Every term the SHACL, SHACL-SPARQL and SHACL-AF specifications define in the sh: namespace. */
    static final Set<String> KNOWN_LOCAL_NAMES = Arrays.stream(("""
            Shape NodeShape PropertyShape PropertyGroup ValidationReport ValidationResult AbstractResult Severity
            Info Warning Violation NodeKind BlankNode IRI Literal BlankNodeOrIRI BlankNodeOrLiteral IRIOrLiteral
            ConstraintComponent Parameter Parameterizable Function Validator SPARQLAskValidator SPARQLSelectValidator
            SPARQLConstraint SPARQLExecutable SPARQLAskExecutable SPARQLSelectExecutable SPARQLConstructExecutable
            SPARQLUpdateExecutable PrefixDeclaration SPARQLFunction Target TargetType SPARQLTarget SPARQLTargetType
            Rule SPARQLRule TripleRule JSConstraint JSExecutable JSFunction JSLibrary JSRule JSTarget JSTargetType
            JSValidator ResultAnnotation ExpressionConstraintComponent
            AndConstraintComponent ClassConstraintComponent ClosedConstraintComponent DatatypeConstraintComponent
            DisjointConstraintComponent EqualsConstraintComponent HasValueConstraintComponent InConstraintComponent
            LanguageInConstraintComponent LessThanConstraintComponent LessThanOrEqualsConstraintComponent
            MaxCountConstraintComponent MaxExclusiveConstraintComponent MaxInclusiveConstraintComponent
            MaxLengthConstraintComponent MinCountConstraintComponent MinExclusiveConstraintComponent
            MinInclusiveConstraintComponent MinLengthConstraintComponent NodeConstraintComponent
            NodeKindConstraintComponent NotConstraintComponent OrConstraintComponent PatternConstraintComponent
            PropertyConstraintComponent QualifiedMaxCountConstraintComponent QualifiedMinCountConstraintComponent
            SPARQLConstraintComponent UniqueLangConstraintComponent XoneConstraintComponent JSConstraintComponent
            targetClass targetNode targetObjectsOf targetSubjectsOf target severity message deactivated path
            inversePath alternativePath zeroOrMorePath oneOrMorePath zeroOrOnePath name description defaultValue
            order group class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive maxInclusive
            minLength maxLength pattern flags languageIn uniqueLang equals disjoint lessThan lessThanOrEquals not and
            or xone node property qualifiedValueShape qualifiedValueShapesDisjoint qualifiedMinCount
            qualifiedMaxCount closed ignoredProperties hasValue in conforms result focusNode resultPath
            resultSeverity resultMessage sourceConstraint sourceConstraintComponent sourceShape value detail
            shapesGraph suggestedShapesGraph shapesGraphWellFormed entailment sparql select ask construct update
            prefixes declare prefix namespace parameter labelTemplate validator nodeValidator propertyValidator
            optional returnType this filterShape nodes intersection union expression rule condition subject
            predicate object resultAnnotation annotationProperty annotationValue annotationVarName js jsLibrary
            jsFunctionName jsLibraryURL memberShape values count min max sum groupConcat orderBy desc limit offset
            distinct if then else exists minus
            """).split("\\s+")).filter(s -> !s.isBlank()).collect(Collectors.toUnmodifiableSet());
}
