package io.flinkjobrunner.service.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's package structure, read from its compiled imports: the bottom packages import nothing above them, and
 * the packages form no cycle (no two import each other, directly or through others), so they stack in layers and an
 * import pointing back up fails the build.
 */
class PackageDependenciesTest {

    private static final String ROOT = "io.flinkjobrunner.service";

    /** Packages at the bottom, with the only service packages each may import. */
    private static final Map<String, Set<String>> BOTTOM = Map.of(
            "state", Set.of(),
            "config", Set.of("deploy.kubernetes.spec"),
            "problems", Set.of(),
            "digest", Set.of(),
            "sse", Set.of(),
            "deploy.kubernetes.spec", Set.of("digest", "state", "problems"),
            "engine", Set.of("config"),
            "store", Set.of("state", "digest"),
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
    void packagesFormNoCycle() {
        assertTrue(graph.size() > 10, "the service's classes were read: " + graph.keySet());
        // depth-first search; a package met again while still on the path closes a cycle, reported as that path (two
        // packages importing each other directly come out as [a, b, a])
        assertEquals(List.of(), cycle(graph), "packages importing each other, directly or through others (each "
                + "imports the next)");
    }

    @Test
    void theCycleCheckFindsACycleThroughOthers() {
        Map<String, Set<String>> tangled = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d",
                Set.of("a"));
        assertEquals(List.of("a", "b", "c", "a"), cycle(new TreeMap<>(tangled)));
        assertEquals(List.of("a", "b", "a"), cycle(new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("a")))));
        assertEquals(List.of(), cycle(new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c")))));
    }

    /** A cycle of the import graph as the path around it, or an empty list if there is none. */
    private static List<String> cycle(Map<String, Set<String>> imports) {
        Map<String, Integer> state = new TreeMap<>();
        for (String start : imports.keySet()) {
            List<String> cycle = cycleFrom(imports, start, state, new ArrayList<>());
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> cycleFrom(Map<String, Set<String>> imports, String pkg, Map<String, Integer> state,
            List<String> path) {
        Integer seen = state.get(pkg);
        if (seen != null && seen == DONE) {
            return List.of();
        }
        if (seen != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(pkg), path.size()));
            cycle.add(pkg);
            return cycle;
        }
        state.put(pkg, ON_PATH);
        path.add(pkg);
        for (String next : imports.getOrDefault(pkg, Set.of())) {
            List<String> cycle = cycleFrom(imports, next, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        state.put(pkg, DONE);
        return List.of();
    }

    private static final int ON_PATH = 1;
    private static final int DONE = 2;

    /** Deploy backends are sibling wings: neither the local nor the Kubernetes backend imports the other. */
    @Test
    void deployBackendsAreSiblingWings() {
        List<String> wings = List.of("deploy.local", "deploy.kubernetes");
        for (String wing : wings) {
            for (String other : wings) {
                if (!other.equals(wing)) {
                    graph.forEach((from, to) -> {
                        if (inside(from, wing)) {
                            assertEquals(List.of(), to.stream().filter(t -> inside(t, other)).toList(),
                                    from + " imports the sibling wing " + other);
                        }
                    });
                }
            }
        }
    }

    /** The HTTP edge: routes and error handlers are imported by no other package. */
    @Test
    void nothingImportsTheHttpEdge() {
        graph.forEach((from, to) -> {
            if (!inside(from, "api")) {
                assertTrue(to.stream().noneMatch(t -> inside(t, "api")), from + " imports the HTTP edge: " + to);
            }
        });
    }

    private static boolean inside(String pkg, String parent) {
        return pkg.equals(parent) || pkg.startsWith(parent + ".");
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
