package io.flinkjobrunner.compiler;

import io.flinkjobrunner.shacl.ShaclPath;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a constraint is evaluated, relative to the target node of its node shape: one segment (a SHACL property path)
 * per nesting level. A marked segment ends at the focus nodes of a nested shape (the value nodes of a {@code sh:node},
 * of a qualified value shape, of a sub-attribute shape's parent attribute, ...); an unmarked last segment ends at the
 * value nodes of a property shape whose path is not a plain NGSI-LD attribute.
 *
 * <p>The compiler writes every focus path as <em>data</em>: the path is unrolled into step sequences (one edge per
 * step, followed forward or inverse), each step a row of {@code constraint_table}, and one fixed set of join views walks
 * them over the NGSI-LD graph (docs/semantics.md, "Property paths"). Unrolling needs bounds: {@code sh:zeroOrMorePath}
 * and {@code sh:oneOrMorePath} repeat their path at most {@link #MAX_REPETITIONS} times, a sequence has at most
 * {@link #MAX_STEPS} steps and a path at most {@link #MAX_SEQUENCES} sequences.
 *
 * @param segments outermost first
 */
record FocusPath(List<Segment> segments) {

    /** Repetitions of the path of {@code sh:zeroOrMorePath} / {@code sh:oneOrMorePath} that the stream follows. */
    static final int MAX_REPETITIONS = 4;
    /** Edges of one unrolled path, nesting levels included. */
    static final int MAX_STEPS = 16;
    /** Alternative step sequences of one unrolled path. */
    static final int MAX_SEQUENCES = 256;

    /** The target node itself. */
    static final FocusPath ROOT = new FocusPath(List.of());

    FocusPath {
        segments = List.copyOf(segments);
    }

    /**
     * One nesting level.
     *
     * @param path the property path from the enclosing focus node
     * @param display how alert events show the path (the attribute IRI, or SPARQL path syntax)
     * @param marked true when the path ends at the focus nodes of a nested shape
     */
    record Segment(ShaclPath path, String display, boolean marked) {
    }

    /** How a step moves: along an edge, against it, or not at all (a zero-length path). */
    enum Direction {
        FORWARD("F"), INVERSE("I"), STAY("S");

        final String code;

        Direction(String code) {
            this.code = code;
        }
    }

    /**
     * One step of an unrolled path. An attribute followed by its value (the NGSI-LD hop from an entity over a
     * relationship or property to the object or value) is one step: its predicate is the attribute name and the value
     * key separated by a space (neither contains one), so a relationship chain needs one step per hop.
     *
     * @param predicate the edge's predicate, null for a stay step
     * @param direction the direction
     * @param mark the display of the segment this step completes when it ends at a nested focus node, else null
     */
    record Step(String predicate, Direction direction, String mark) {
    }

    /** The steps as {@code constraint_table.stepList} holds them ({@link ConstraintTable.Column#STEP_LIST}). */
    static String encode(List<Step> steps) {
        StringBuilder out = new StringBuilder();
        for (Step step : steps) {
            if (!out.isEmpty()) {
                out.append('{');
            }
            out.append(step.direction().code).append(step.predicate() == null ? "" : step.predicate());
            if (step.mark() != null) {
                out.append('}').append(step.mark());
            }
        }
        return out.toString();
    }

    /** A segment that ends at a nested shape's focus nodes. */
    static Segment focus(ShaclPath path, String display) {
        return new Segment(path, display, true);
    }

    /** This path followed by {@code segment}. */
    FocusPath then(Segment segment) {
        List<Segment> s = new ArrayList<>(segments);
        s.add(segment);
        return new FocusPath(s);
    }

    /** {@code segment} followed by this path: the same place seen from one nesting level further out. */
    FocusPath under(Segment segment) {
        List<Segment> s = new ArrayList<>();
        s.add(segment);
        s.addAll(segments);
        return new FocusPath(s);
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    /** Nesting depth: the number of focus nodes between the target node and here. */
    int depth() {
        return (int) segments.stream().filter(Segment::marked).count();
    }

    /** How alert events show a path: a plain IRI as itself, any other path in SPARQL property-path syntax. */
    static String display(ShaclPath path) {
        return path instanceof ShaclPath.Predicate p ? p.iri() : path.toSparql();
    }

    /** Why this path cannot be unrolled within the bounds, or empty when it can. */
    Optional<String> problem() {
        try {
            sequences();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The unrolled step sequences; every sequence has at least one step (a stay step for a zero-length path).
     *
     * @throws IllegalArgumentException when the path exceeds {@link #MAX_STEPS} or {@link #MAX_SEQUENCES}
     */
    List<List<Step>> sequences() {
        List<List<Step>> result = List.of(List.of());
        for (Segment segment : segments) {
            List<List<Step>> next = new ArrayList<>();
            for (List<Edge> edges : unroll(segment.path())) {
                List<Step> steps = new ArrayList<>();
                for (int i = 0; i < edges.size(); i++) {
                    Edge e = edges.get(i);
                    boolean last = i == edges.size() - 1;
                    steps.add(new Step(e.predicate(), e.inverse() ? Direction.INVERSE : Direction.FORWARD,
                            last && segment.marked() ? segment.display() : null));
                }
                if (steps.isEmpty() && segment.marked()) {
                    steps.add(new Step(null, Direction.STAY, segment.display()));
                }
                for (List<Step> prefix : result) {
                    List<Step> joined = new ArrayList<>(prefix);
                    joined.addAll(steps);
                    check(joined.size() <= MAX_STEPS, "the path needs " + joined.size() + " steps; the stream follows at"
                            + " most " + MAX_STEPS + " (nesting levels included)");
                    next.add(joined);
                }
            }
            result = distinct(next);
            check(result.size() <= MAX_SEQUENCES, "the path unrolls into more than " + MAX_SEQUENCES
                    + " alternative step sequences");
        }
        List<List<Step>> out = new ArrayList<>();
        for (List<Step> s : result) {
            out.add(s.isEmpty() ? List.of(new Step(null, Direction.STAY, null)) : hops(s));
        }
        return distinct(out);
    }

    /** Fuses every attribute step followed by a value step (same direction, no focus between them) into one hop. */
    private static List<Step> hops(List<Step> steps) {
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step a = steps.get(i);
            Step b = i + 1 < steps.size() ? steps.get(i + 1) : null;
            if (b != null && a.mark() == null && a.direction() == b.direction() && a.direction() != Direction.STAY) {
                boolean forward = a.direction() == Direction.FORWARD;
                Step attribute = forward ? a : b;
                Step value = forward ? b : a;
                if (NgsiLdTerms.isAttributeName(attribute.predicate()) && NgsiLdTerms.isValueKey(value.predicate())) {
                    out.add(new Step(attribute.predicate() + " " + value.predicate(), a.direction(), b.mark()));
                    i++;
                    continue;
                }
            }
            out.add(a);
        }
        return out;
    }

    /** One edge of an unrolled SHACL path. */
    private record Edge(String predicate, boolean inverse) {
    }

    /** The edge sequences a SHACL path matches (SHACL 2.3.1), with * and + bounded by {@link #MAX_REPETITIONS}. */
    private static List<List<Edge>> unroll(ShaclPath path) {
        if (path instanceof ShaclPath.Predicate p) {
            return List.of(List.of(new Edge(p.iri(), false)));
        }
        if (path instanceof ShaclPath.Inverse inverse) {
            List<List<Edge>> out = new ArrayList<>();
            for (List<Edge> s : unroll(inverse.path())) {
                List<Edge> reversed = new ArrayList<>();
                for (int i = s.size() - 1; i >= 0; i--) {
                    reversed.add(new Edge(s.get(i).predicate(), !s.get(i).inverse()));
                }
                out.add(reversed);
            }
            return out;
        }
        if (path instanceof ShaclPath.Sequence sequence) {
            List<List<Edge>> out = List.of(List.of());
            for (ShaclPath part : sequence.paths()) {
                out = concat(out, unroll(part));
            }
            return out;
        }
        if (path instanceof ShaclPath.Alternative alternative) {
            List<List<Edge>> out = new ArrayList<>();
            for (ShaclPath part : alternative.paths()) {
                out.addAll(unroll(part));
            }
            return bounded(out);
        }
        if (path instanceof ShaclPath.ZeroOrOne zeroOrOne) {
            List<List<Edge>> out = new ArrayList<>();
            out.add(List.of());
            out.addAll(unroll(zeroOrOne.path()));
            return bounded(out);
        }
        ShaclPath repeated = path instanceof ShaclPath.ZeroOrMore z ? z.path() : ((ShaclPath.OneOrMore) path).path();
        List<List<Edge>> once = unroll(repeated);
        List<List<Edge>> out = new ArrayList<>();
        if (path instanceof ShaclPath.ZeroOrMore) {
            out.add(List.of());
        }
        List<List<Edge>> power = once;
        for (int n = 1; n <= MAX_REPETITIONS; n++) {
            out.addAll(power);
            if (n < MAX_REPETITIONS) {
                power = concat(power, once);
            }
        }
        return bounded(out);
    }

    private static List<List<Edge>> concat(List<List<Edge>> left, List<List<Edge>> right) {
        List<List<Edge>> out = new ArrayList<>();
        for (List<Edge> l : left) {
            for (List<Edge> r : right) {
                List<Edge> joined = new ArrayList<>(l);
                joined.addAll(r);
                check(joined.size() <= MAX_STEPS, "the path needs " + joined.size() + " steps; the stream follows at"
                        + " most " + MAX_STEPS);
                out.add(joined);
            }
        }
        return bounded(out);
    }

    private static <T> List<T> bounded(List<T> sequences) {
        List<T> out = distinct(sequences);
        check(out.size() <= MAX_SEQUENCES, "the path unrolls into more than " + MAX_SEQUENCES
                + " alternative step sequences");
        return out;
    }

    private static <T> List<T> distinct(List<T> items) {
        Set<T> seen = new LinkedHashSet<>(items);
        return new ArrayList<>(seen);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
