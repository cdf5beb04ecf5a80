package io.flinkjobrunner.rdf;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Namespace;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.AbstractModel;
import org.eclipse.rdf4j.model.impl.FilteredModel;
import org.eclipse.rdf4j.model.impl.SimpleNamespace;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;

/**
 * An RDF model that keeps each statement once, in the order added, and indexes them by subject, predicate or object
 * only when a {@link #filter} first needs that index; what a parsed document becomes ({@link TurtleReader}).
 *
 * <p>Why: RDF4J's {@code LinkedHashModel} indexes every statement four ways as it is added, in small hash sets per
 * value (one per subject, predicate, object and context of each value) that grow one entry at a time. For the 176,000
 * triples of 10,000 shapes that was two fifths of the parse and about 120 MB of the heap in 1.6 million hash
 * entries, which every young collection of a build copied (docs/benchmarks.md, issue 16). Here a statement costs one
 * entry of the ordered set while it is added; an index is one pass over the statements into lists, built at most once
 * (and again only after a removal). Iteration and filter results come in the order the statements were added, as with
 * {@code LinkedHashModel}.
 *
 * <p>Like {@code LinkedHashModel}, the model is not safe for concurrent changes, and a change while a filter of it is
 * iterated fails that iteration, except a removal through the iterator itself; concurrent readers are safe (an index is
 * built under a lock and published whole), so an {@link #unmodifiable()} view can be shared between threads.
 */
public final class CompactModel extends AbstractModel {

    private static final long serialVersionUID = 1L;
    private static final ValueFactory VALUES = SimpleValueFactory.getInstance();
    private static final Resource[] DEFAULT_CONTEXT = {null};

    private final Set<Namespace> namespaces = new LinkedHashSet<>();
    /** Replaced by a copy when terms are removed while an iterator walks it (see {@link #removeTermIteration}). */
    private LinkedHashSet<Statement> statements;
    /** Per {@link Position}, its index once built (null before); published whole, so readers need no lock. */
    private final AtomicReferenceArray<Map<Value, List<Statement>>> indexes =
            new AtomicReferenceArray<>(Position.values().length);

    /** The positions of a statement an index is by. */
    private enum Position {
        SUBJECT(Statement::getSubject), PREDICATE(Statement::getPredicate), OBJECT(Statement::getObject);

        final Function<Statement, Value> term;

        Position(Function<Statement, Value> term) {
            this.term = term;
        }
    }

    /** An empty model. */
    public CompactModel() {
        this(16);
    }

    /** An empty model sized for {@code expectedStatements}. */
    public CompactModel(int expectedStatements) {
        statements = new LinkedHashSet<>(Math.max(16, (int) (expectedStatements / 0.75f) + 1));
    }

    @Override
    public Optional<Namespace> getNamespace(String prefix) {
        return namespaces.stream().filter(n -> n.getPrefix().equals(prefix)).findFirst();
    }

    @Override
    public Set<Namespace> getNamespaces() {
        return namespaces;
    }

    @Override
    public Namespace setNamespace(String prefix, String name) {
        Namespace namespace = new SimpleNamespace(prefix, name);
        setNamespace(namespace);
        return namespace;
    }

    @Override
    public void setNamespace(Namespace namespace) {
        removeNamespace(namespace.getPrefix());
        namespaces.add(namespace);
    }

    @Override
    public Optional<Namespace> removeNamespace(String prefix) {
        Optional<Namespace> namespace = getNamespace(prefix);
        namespace.ifPresent(namespaces::remove);
        return namespace;
    }

    @Override
    public int size() {
        return statements.size();
    }

    @Override
    public boolean isEmpty() {
        return statements.isEmpty();
    }

    @Override
    public boolean add(Statement statement) {
        Objects.requireNonNull(statement.getSubject(), "subject");
        Objects.requireNonNull(statement.getPredicate(), "predicate");
        Objects.requireNonNull(statement.getObject(), "object");
        if (!statements.add(statement)) {
            return false;
        }
        for (Position position : Position.values()) {
            Map<Value, List<Statement>> index = indexes.get(position.ordinal());
            if (index != null) {
                index.computeIfAbsent(position.term.apply(statement), k -> new ArrayList<>(2)).add(statement);
            }
        }
        return true;
    }

    @Override
    public boolean add(Resource subj, IRI pred, Value obj, Resource... contexts) {
        if (subj == null || pred == null || obj == null) {
            throw new UnsupportedOperationException("Incomplete statement");
        }
        boolean changed = false;
        for (Resource context : contexts(contexts)) {
            changed |= add(VALUES.createStatement(subj, pred, obj, context));
        }
        return changed;
    }

    @Override
    public boolean contains(Object o) {
        // Statement's contract fixes equals and hashCode across implementations, so the set answers for any of them
        return o instanceof Statement && statements.contains(o);
    }

    @Override
    public boolean contains(Resource subj, IRI pred, Value obj, Resource... contexts) {
        return match(subj, pred, obj, contexts).hasNext();
    }

    @Override
    public Iterator<Statement> iterator() {
        return match(null, null, null);
    }

    @Override
    public void clear() {
        statements = new LinkedHashSet<>();
        dropIndexes();
    }

    @Override
    public boolean remove(Resource subj, IRI pred, Value obj, Resource... contexts) {
        Iterator<Statement> matching = match(subj, pred, obj, contexts);
        boolean changed = false;
        while (matching.hasNext()) {
            matching.next();
            matching.remove();
            changed = true;
        }
        return changed;
    }

    @Override
    public Model filter(Resource subj, IRI pred, Value obj, Resource... contexts) {
        return new FilteredModel(this, subj, pred, obj, contexts) {
            private static final long serialVersionUID = 1L;

            @Override
            public Iterator<Statement> iterator() {
                return match(subj, pred, obj, contexts);
            }

            @Override
            protected void removeFilteredTermIteration(Iterator<Statement> iter, Resource s, IRI p, Value o,
                    Resource... c) {
                CompactModel.this.removeTermIteration(iter, s, p, o, c);
            }
        };
    }

    /**
     * Removes every statement of the pattern while {@code iterator} (one of this model's) walks the statements: the set
     * it walks is replaced by a copy first, so it can go on.
     */
    @Override
    public void removeTermIteration(Iterator<Statement> iterator, Resource subj, IRI pred, Value obj,
            Resource... contexts) {
        if (iterator instanceof Match match && match.candidates == statements) {
            statements = new LinkedHashSet<>(statements);
        }
        List<Statement> removed = new ArrayList<>();
        match(subj, pred, obj, contexts).forEachRemaining(removed::add);
        statements.removeAll(removed);
        dropIndexes();
    }

    /** The statements of the pattern, from the smallest index of the positions it binds. */
    private Match match(Resource subj, IRI pred, Value obj, Resource... contexts) {
        Collection<Statement> candidates = statements;
        if (subj != null) {
            candidates = smaller(candidates, indexed(Position.SUBJECT, subj));
        }
        if (obj != null) {
            candidates = smaller(candidates, indexed(Position.OBJECT, obj));
        }
        if (pred != null && candidates.size() > 1) {
            candidates = smaller(candidates, indexed(Position.PREDICATE, pred));
        }
        return new Match(candidates, subj, pred, obj, contexts == null ? new Resource[0] : contexts);
    }

    private static Collection<Statement> smaller(Collection<Statement> a, Collection<Statement> b) {
        return b.size() < a.size() ? b : a;
    }

    private List<Statement> indexed(Position position, Value value) {
        Map<Value, List<Statement>> index = indexes.get(position.ordinal());
        return (index != null ? index : index(position)).getOrDefault(value, List.of());
    }

    /** Builds (once) and publishes the index of {@code position}. */
    private synchronized Map<Value, List<Statement>> index(Position position) {
        Map<Value, List<Statement>> existing = indexes.get(position.ordinal());
        if (existing != null) {
            return existing;
        }
        Map<Value, List<Statement>> index = new HashMap<>(
                position == Position.PREDICATE ? 64 : Math.max(16, statements.size()));
        for (Statement statement : statements) {
            index.computeIfAbsent(position.term.apply(statement), k -> new ArrayList<>(2)).add(statement);
        }
        indexes.set(position.ordinal(), index);
        return index;
    }

    private void dropIndexes() {
        for (int i = 0; i < indexes.length(); i++) {
            indexes.set(i, null);
        }
    }

    private static Resource[] contexts(Resource... contexts) {
        return contexts == null || contexts.length == 0 ? DEFAULT_CONTEXT : contexts;
    }

    /** Whether {@code statement}'s context is one of {@code contexts} (any context when there are none). */
    private static boolean inContexts(Statement statement, Resource[] contexts) {
        if (contexts.length == 0) {
            return true;
        }
        for (Resource context : contexts) {
            if (Objects.equals(context, statement.getContext())) {
                return true;
            }
        }
        return false;
    }

    /** The statements of a pattern among candidates; removes through the model. */
    private final class Match implements Iterator<Statement> {
        private final Collection<Statement> candidates;
        private final Iterator<Statement> walk;
        private final Resource subj;
        private final IRI pred;
        private final Value obj;
        private final Resource[] contexts;
        private Statement next;
        private Statement last;
        /** The candidate the walk is on (hasNext() may walk past the one next() returned). */
        private Statement walked;

        Match(Collection<Statement> candidates, Resource subj, IRI pred, Value obj, Resource[] contexts) {
            this.candidates = candidates;
            this.walk = candidates.iterator();
            this.subj = subj;
            this.pred = pred;
            this.obj = obj;
            this.contexts = contexts;
        }

        @Override
        public boolean hasNext() {
            while (next == null && walk.hasNext()) {
                Statement candidate = walk.next();
                walked = candidate;
                if ((subj == null || subj.equals(candidate.getSubject()))
                        && (pred == null || pred.equals(candidate.getPredicate()))
                        && (obj == null || obj.equals(candidate.getObject()))
                        && inContexts(candidate, contexts)) {
                    next = candidate;
                }
            }
            return next != null;
        }

        @Override
        public Statement next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = next;
            next = null;
            return last;
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException();
            }
            if (candidates == statements && walked == last) {
                walk.remove();
            } else {
                if (candidates == statements) {
                    // the walk is past the statement already (hasNext() looked ahead): it goes on over the old set
                    statements = new LinkedHashSet<>(statements);
                }
                // an index list or a set replaced meanwhile: the walk goes on over it, the model drops the statement
                statements.remove(last);
            }
            dropIndexes();
            last = null;
        }
    }
}
