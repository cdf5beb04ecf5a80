package io.flinkjobrunner.compiler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;

/** Tells, before compiling, what the compiler will do with every shape and constraint component of a shapes graph. */
public final class ShapeCoverage {

    private static final IRI SPARQL = ShapeReader.sh("sparql");
    private static final IRI RULE = ShapeReader.sh("rule");

    private ShapeCoverage() {
    }

    /** The coverage report of {@code shapes}, with the translators found on the class path. */
    public static CoverageReport analyze(Model shapes) {
        return analyze(shapes, translators());
    }

    /** The coverage report of {@code shapes} with the given translators. */
    public static CoverageReport analyze(Model shapes, List<ShapeStatementTranslator> translators) {
        Set<IRI> delegated = delegated(translators);
        return report(new ShapeReader(shapes, new LinkedHashModel(), delegated).read(), shapes, translators, delegated);
    }

    /** The coverage report of shapes already read ({@code read} of {@code shapes}). */
    static CoverageReport report(ShapeReader.Result read, Model shapes, List<ShapeStatementTranslator> translators,
            Set<IRI> delegated) {
        CoverageReport.Builder report = new CoverageReport.Builder();
        report.addAll(read.coverage());
        for (ShapeStatementTranslator translator : translators) {
            report.addAll(translator.coverage(shapes));
        }
        report.addAll(untranslated(shapes, delegated));
        return report.build();
    }

    static List<ShapeStatementTranslator> translators() {
        List<ShapeStatementTranslator> found = new ArrayList<>();
        ServiceLoader.load(ShapeStatementTranslator.class).forEach(found::add);
        return found;
    }

    static Set<IRI> delegated(List<ShapeStatementTranslator> translators) {
        Set<IRI> delegated = new HashSet<>();
        translators.forEach(t -> delegated.addAll(t.handles()));
        return delegated;
    }

    /** sh:sparql and sh:rule that no translator handles are reported, never dropped. */
    static List<CoverageReport.Entry> untranslated(Model shapes, Set<IRI> delegated) {
        List<CoverageReport.Entry> entries = new ArrayList<>();
        for (IRI p : List.of(SPARQL, RULE)) {
            if (!delegated.contains(p)) {
                shapes.filter(null, p, null).subjects().forEach(s -> entries.add(new CoverageReport.Entry(
                        s.stringValue(), "sh:" + p.getLocalName(), CoverageReport.Status.REJECTED,
                        "no SPARQL translator is available")));
            }
        }
        return entries;
    }
}
