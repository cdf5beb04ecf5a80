package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.shacl.ShaclPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The bounds under which SHACL paths are unrolled for the stream (docs/semantics.md): {@code *} and {@code +} repeat
 * at most {@link FocusPath#MAX_REPETITIONS} times, and a path that unrolls into more than
 * {@link FocusPath#MAX_SEQUENCES} step sequences is refused with the reason, never cut silently.
 */
class FocusPathTest {

    private static final ShaclPath P = new ShaclPath.Predicate("http://example.com/p");

    private static FocusPath of(ShaclPath path) {
        return FocusPath.ROOT.then(FocusPath.focus(path, FocusPath.display(path)));
    }

    private static List<Integer> lengths(ShaclPath path) {
        List<Integer> lengths = new ArrayList<>();
        for (List<FocusPath.Step> steps : of(path).sequences()) {
            boolean stays = steps.size() == 1 && steps.get(0).direction() == FocusPath.Direction.STAY;
            lengths.add(stays ? 0 : steps.size());
        }
        return lengths;
    }

    @Test
    void repeatedPathsUnrollUpToFourRepetitions() {
        assertEquals(List.of(0, 1, 2, 3, 4), lengths(new ShaclPath.ZeroOrMore(P)), "ε, p, p/p, p/p/p, p/p/p/p");
        assertEquals(List.of(1, 2, 3, 4), lengths(new ShaclPath.OneOrMore(P)));
        assertEquals(List.of(0, 1), lengths(new ShaclPath.ZeroOrOne(P)));
        assertEquals(4, FocusPath.MAX_REPETITIONS);
    }

    @Test
    void aPathOfMoreThan256SequencesIsRefusedWithTheReason() {
        List<ShaclPath> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(new ShaclPath.Predicate("http://example.com/p" + i));
        }
        ShaclPath choice = new ShaclPath.Alternative(four);
        ShaclPath atTheLimit = new ShaclPath.Sequence(List.of(choice, choice, choice, choice));
        assertEquals(Optional.empty(), of(atTheLimit).problem(), "4^4 = 256 sequences are compiled");
        assertEquals(256, of(atTheLimit).sequences().size());
        ShaclPath beyond = new ShaclPath.Sequence(List.of(choice, choice, choice, choice, choice));
        Optional<String> problem = of(beyond).problem();
        assertTrue(problem.isPresent(), "4^5 = 1024 sequences");
        assertEquals("the path unrolls into more than 256 alternative step sequences", problem.get());
    }
}
