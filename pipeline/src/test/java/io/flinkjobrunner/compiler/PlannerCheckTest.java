package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.junit.jupiter.api.Test;

class PlannerCheckTest {

    @Test
    void referenceCaseWithEveryComponentPlansAsOneStatementSet() throws Exception {
        Model shapes = Turtle.resource("/kms/kms-constraints/test1/shacl.ttl");
        shapes.addAll(Turtle.parse("""
                ex:Every a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ;
                  sh:property [ sh:path ex:a ; sh:uniqueLang true ; sh:equals ex:b ; sh:lessThan ex:d ;
                    sh:qualifiedValueShape [ sh:property [ sh:path ngsi-ld:hasValue ; sh:in ( "x" ) ] ] ;
                    sh:qualifiedMinCount 1 ;
                    sh:property [ sh:path ngsi-ld:hasValue ; sh:languageIn ( "en" ) ;
                      sh:not [ sh:hasValue "b" ] ; sh:xone ( [ sh:minLength 1 ] [ sh:maxLength 3 ] ) ] ] .
                """));
        DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(
                Turtle.resource("/kms/kms-constraints/test1/knowledge.ttl"), shapes, CompileOptions.defaults("test"));
        String plan = PlannerCheck.check(unit);
        assertTrue(plan.contains("alerts_bulk"), plan);
    }

    @Test
    void namesTheShapeBehindAStatementFlinkRejects() throws Exception {
        ShapeStatementTranslator broken = new ShapeStatementTranslator() {
            @Override
            public Set<IRI> handles() {
                return Set.of(ShapeReader.sh("sparql"));
            }

            @Override
            public List<CoverageReport.Entry> coverage(Model shapes) {
                return List.of();
            }

            @Override
            public Translation translate(TranslationContext context) {
                return new Translation(List.of(), List.of(new UnitStatement(UnitStatement.Kind.INSERT,
                        "INSERT INTO " + SqlIdentifiers.quote(context.tables().alertsBulk())
                                + " SELECT `id`, `nope` FROM " + SqlIdentifiers.quote(context.tables().entitiesView()),
                        "http://example.com/BrokenShape")), List.of());
            }
        };
        DeploymentUnit unit = new ShaclCompiler(List.of(broken)).assemble(Turtle.parse(""), Turtle.parse("""
                ex:BrokenShape a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this {}" ] .
                """), CompileOptions.defaults("test"));
        CompilationException e = assertThrows(CompilationException.class, () -> PlannerCheck.check(unit));
        assertEquals("http://example.com/BrokenShape", e.shape());
        assertTrue(e.getMessage().startsWith("shape http://example.com/BrokenShape: statement "), e.getMessage());
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
}
