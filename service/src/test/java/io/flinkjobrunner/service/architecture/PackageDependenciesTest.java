package io.flinkjobrunner.service.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's package structure, read from its compiled imports: the bottom packages import nothing above them, and
 * no new pair of packages imports each other. The pairs that still do are listed as debt (issue 17); the list may only
 * shrink, so removing a cycle makes this test ask for its entry to be deleted.
 */
class PackageDependenciesTest {

    private static final String ROOT = "io.flinkjobrunner.service";

    /** Pairs of packages that import each other today, to be untangled; never add to this list. */
    private static final Set<String> KNOWN_MUTUAL_PAIRS = Set.of(
            "(root) <-> store",
            "alerts <-> local");

    /** Packages at the bottom, with the only service packages each may import. */
    private static final Map<String, Set<String>> BOTTOM = Map.of(
            "state", Set.of(),
            "config", Set.of(),
            "problems", Set.of(),
            "deploy.spec", Set.of(),
            "store", Set.of("state", "(root)"),
            "secrets", Set.of("config", "store", "state"));

    private static Map<String, Set<String>> graph;

    @BeforeAll
    static void read() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
        graph = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = relative(c.getPackageName());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                if (target.equals(ROOT) || target.startsWith(ROOT + ".")) {
                    String to = relative(target);
                    if (!to.equals(from)) {
                        graph.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                    }
                }
            }
        }
    }

    private static String relative(String packageName) {
        return packageName.equals(ROOT) ? "(root)" : packageName.substring(ROOT.length() + 1);
    }

    @Test
    void noNewPairOfPackagesImportsEachOther() {
        Set<String> mutual = new TreeSet<>();
        graph.forEach((from, targets) -> targets.forEach(to -> {
            if (from.compareTo(to) < 0 && graph.getOrDefault(to, Set.of()).contains(from)) {
                mutual.add(from + " <-> " + to);
            }
        }));
        assertTrue(graph.size() > 10, "the service's classes were read: " + graph.keySet());
        assertEquals(new TreeSet<>(KNOWN_MUTUAL_PAIRS), mutual,
                "packages importing each other (a new pair is a new tangle; a pair gone must leave the list)");
    }

    @Test
    void bottomPackagesImportNothingAboveThem() {
        BOTTOM.forEach((bottom, allowed) -> {
            Set<String> imported = new TreeSet<>(graph.getOrDefault(bottom, Set.of()));
            imported.removeAll(allowed);
            assertEquals(Set.of(), imported, bottom + " imports packages above it");
        });
    }
}
