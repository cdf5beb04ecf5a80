package io.flinkjobrunner.rdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.junit.jupiter.api.Test;

/** {@link CompactModel} behaves as RDF4J's {@code LinkedHashModel}, order of iteration included. */
class CompactModelTest {

    private static final ValueFactory VF = SimpleValueFactory.getInstance();
    private static final String EX = "http://example.org/";

    /** A small universe of terms, so that patterns match often and statements repeat. */
    private static final List<Resource> SUBJECTS = List.of(VF.createIRI(EX + "s0"), VF.createIRI(EX + "s1"),
            VF.createIRI(EX + "s2"), VF.createBNode("b0"), VF.createBNode("b1"));
    private static final List<IRI> PREDICATES = List.of(VF.createIRI(EX + "p0"), VF.createIRI(EX + "p1"),
            VF.createIRI(EX + "p2"));
    private static final List<Value> OBJECTS = List.of(VF.createIRI(EX + "s0"), VF.createIRI(EX + "o1"),
            VF.createBNode("b1"), VF.createLiteral("x"), VF.createLiteral("x", "en"), VF.createLiteral(1),
            VF.createLiteral("1", VF.createIRI("http://www.w3.org/2001/XMLSchema#int")));
    private static final List<Resource> CONTEXTS = new ArrayList<>();

    static {
        CONTEXTS.add(null);
        CONTEXTS.add(VF.createIRI(EX + "g0"));
        CONTEXTS.add(VF.createIRI(EX + "g1"));
    }

    @Test
    void randomOperationsGiveWhatLinkedHashModelGives() {
        for (long seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            Model expected = new LinkedHashModel();
            Model actual = new CompactModel();
            for (int step = 0; step < 120; step++) {
                int operation = random.nextInt(10);
                String what = "seed " + seed + " step " + step + " operation " + operation;
                switch (operation) {
                    case 0, 1, 2, 3 -> {
                        Statement st = randomStatement(random);
                        assertEquals(expected.add(st), actual.add(st), what + ": add " + st);
                    }
                    case 4 -> {
                        Resource[] contexts = randomContexts(random);
                        Resource s = pick(random, SUBJECTS);
                        IRI p = pick(random, PREDICATES);
                        Value o = pick(random, OBJECTS);
                        assertEquals(expected.add(s, p, o, contexts), actual.add(s, p, o, contexts), what);
                    }
                    case 5 -> {
                        Pattern pattern = randomPattern(random);
                        assertEquals(expected.remove(pattern.s, pattern.p, pattern.o, pattern.c),
                                actual.remove(pattern.s, pattern.p, pattern.o, pattern.c), what + ": remove " + pattern);
                    }
                    case 6 -> {
                        // remove every other statement of a pattern through the filter's iterator
                        Pattern pattern = randomPattern(random);
                        if (random.nextBoolean()) {
                            assertEquals(removeEveryOther(expected.filter(pattern.s, pattern.p, pattern.o, pattern.c)
                                    .iterator(), false), removeEveryOther(actual.filter(pattern.s, pattern.p,
                                    pattern.o, pattern.c).iterator(), false), what + ": remove while iterating");
                        } else {
                            // hasNext() between next() and remove(): the statement next() returned is the one removed
                            // (LinkedHashModel's own iterator removes the one looked ahead at from one of its sets, so
                            // here it only takes the same removals)
                            for (Statement removed : removeEveryOther(actual.filter(pattern.s, pattern.p, pattern.o,
                                    pattern.c).iterator(), true)) {
                                expected.remove(removed);
                            }
                        }
                    }
                    case 7 -> {
                        // remove a term through a value set of a filter (AbstractModel's removeTermIteration)
                        Pattern pattern = randomPattern(random);
                        Value term = pick(random, SUBJECTS);
                        expected.filter(pattern.s, pattern.p, pattern.o, pattern.c).subjects().remove(term);
                        actual.filter(pattern.s, pattern.p, pattern.o, pattern.c).subjects().remove(term);
                    }
                    case 8 -> {
                        Statement st = randomStatement(random);
                        assertEquals(expected.contains(st), actual.contains(st), what + ": contains " + st);
                        assertEquals(expected.remove(st), actual.remove(st), what + ": remove " + st);
                    }
                    default -> {
                        Pattern pattern = randomPattern(random);
                        Model e = expected.filter(pattern.s, pattern.p, pattern.o, pattern.c);
                        Model a = actual.filter(pattern.s, pattern.p, pattern.o, pattern.c);
                        assertEquals(new ArrayList<>(e), new ArrayList<>(a), what + ": filter " + pattern);
                        assertEquals(e.size(), a.size(), what);
                        assertEquals(new ArrayList<>(e.subjects()), new ArrayList<>(a.subjects()), what);
                        assertEquals(new ArrayList<>(e.objects()), new ArrayList<>(a.objects()), what);
                        assertEquals(expected.contains(pattern.s, pattern.p, pattern.o, pattern.c),
                                actual.contains(pattern.s, pattern.p, pattern.o, pattern.c), what);
                    }
                }
                assertEquals(new ArrayList<>(expected), new ArrayList<>(actual), what + ": statements");
                assertEquals(expected.size(), actual.size(), what);
            }
            assertEquals(expected, actual, "seed " + seed);
        }
    }

    @Test
    void aFilterOfAFilterNarrowsIt() {
        Model model = new CompactModel();
        IRI s = VF.createIRI(EX + "s");
        IRI p = VF.createIRI(EX + "p");
        IRI q = VF.createIRI(EX + "q");
        model.add(s, p, VF.createLiteral(1));
        model.add(s, q, VF.createLiteral(2));
        model.add(VF.createIRI(EX + "t"), p, VF.createLiteral(3));
        assertEquals(List.of(VF.createStatement(s, q, VF.createLiteral(2))),
                new ArrayList<>(model.filter(s, null, null).filter(null, q, null)));
        assertTrue(model.filter(s, null, null).filter(null, null, VF.createLiteral(3)).isEmpty());
    }

    @Test
    void namespacesAreKeptOnePerPrefix() {
        Model model = new CompactModel();
        model.setNamespace("ex", EX);
        model.setNamespace("ex", EX + "v2/");
        assertEquals(1, model.getNamespaces().size());
        assertEquals(EX + "v2/", model.getNamespace("ex").orElseThrow().getName());
        assertEquals(EX + "v2/", model.removeNamespace("ex").orElseThrow().getName());
        assertTrue(model.getNamespaces().isEmpty());
    }

    @Test
    void addingWhileAFilterOfTheSameTermIsIteratedFailsThatIteration() {
        // as with LinkedHashModel: a change under an iteration is a ConcurrentModificationException, not silent
        Model model = new CompactModel();
        IRI s = VF.createIRI(EX + "s");
        IRI p = VF.createIRI(EX + "p");
        model.add(s, p, VF.createLiteral(1));
        model.add(s, p, VF.createLiteral(2));
        Iterator<Statement> iterator = model.filter(s, null, null).iterator();
        iterator.next();
        model.add(s, p, VF.createLiteral(3));
        assertThrows(ConcurrentModificationException.class, () -> {
            iterator.hasNext();
            iterator.next();
        });
    }

    @Test
    void incompleteStatementsAreRefused() {
        Model model = new CompactModel();
        assertThrows(UnsupportedOperationException.class, () -> model.add(null, VF.createIRI(EX + "p"),
                VF.createLiteral(1)));
        assertFalse(model.contains("not a statement"));
    }

    @Test
    void readersOnSeveralThreadsBuildTheIndexesOnceAndSeeEverything() throws Exception {
        Model model = new CompactModel();
        for (int i = 0; i < 20_000; i++) {
            model.add(VF.createIRI(EX + "s" + (i % 500)), PREDICATES.get(i % 3), VF.createLiteral(i));
        }
        Model shared = model.unmodifiable();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> counts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                counts.add(threads.submit(() -> {
                    start.await();
                    int found = 0;
                    for (int i = first; i < 500; i += 4) {
                        found += shared.filter(VF.createIRI(EX + "s" + i), null, null).size();
                        found += shared.filter(null, PREDICATES.get(i % 3), VF.createLiteral(i)).size();
                    }
                    return found;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> count : counts) {
                total += count.get();
            }
            // every statement once by its subject, and each literal i < 500 once with its predicate
            assertEquals(20_000 + 500, total);
        } finally {
            threads.shutdownNow();
        }
    }

    /** The statements removed; {@code lookAhead}: hasNext() between next() and remove(). */
    private static List<Statement> removeEveryOther(Iterator<Statement> iterator, boolean lookAhead) {
        List<Statement> removed = new ArrayList<>();
        boolean remove = false;
        while (iterator.hasNext()) {
            Statement statement = iterator.next();
            if (lookAhead) {
                iterator.hasNext();
            }
            if (remove) {
                iterator.remove();
                removed.add(statement);
            }
            remove = !remove;
        }
        return removed;
    }

    private record Pattern(Resource s, IRI p, Value o, Resource[] c) {
        @Override
        public String toString() {
            return s + " " + p + " " + o + " " + java.util.Arrays.toString(c);
        }
    }

    private static Pattern randomPattern(Random random) {
        return new Pattern(random.nextBoolean() ? pick(random, SUBJECTS) : null,
                random.nextBoolean() ? pick(random, PREDICATES) : null,
                random.nextBoolean() ? pick(random, OBJECTS) : null,
                random.nextInt(3) == 0 ? randomContexts(random) : new Resource[0]);
    }

    private static Resource[] randomContexts(Random random) {
        int n = random.nextInt(3);
        Resource[] contexts = new Resource[n];
        for (int i = 0; i < n; i++) {
            contexts[i] = pick(random, CONTEXTS);
        }
        return contexts;
    }

    private static Statement randomStatement(Random random) {
        return VF.createStatement(pick(random, SUBJECTS), pick(random, PREDICATES), pick(random, OBJECTS),
                pick(random, CONTEXTS));
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
