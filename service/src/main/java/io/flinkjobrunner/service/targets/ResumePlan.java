package io.flinkjobrunner.service.targets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How an attempt after a lost one (its replica died, froze or shut down) runs each step of its target: from the
 * first step the earlier attempts did not complete, with the values that step and the later ones need restored from
 * what a completed {@link RestorableStep} stored, not computed again.
 *
 * <p>Going backwards from the first step not completed, a completed step is
 * <ul>
 *   <li>{@link Action#SKIP skipped} if nothing still needed is among what it provides;</li>
 *   <li>{@link Action#RESTORE restored} if it is a {@link RestorableStep} (what it stored replaces its run and
 *   everything its own inputs came from);</li>
 *   <li>{@link Action#RUN run} again otherwise, and what it needs is then needed too.</li>
 * </ul>
 * The attempt starts from the first step instead when the plan restores nothing (then the steps to run again are
 * the cheap ones ahead of the restorable step anyway) or when a step to run again is not {@link Step#repeatable()}:
 * a download run again may fetch other bytes than the ones the skipped checks and the restored unit were made from,
 * and a resumed attempt never mixes the two. For a deploy lost while applying this means: {@code resolve} again (it
 * only reads the job's context), the unit restored from the {@code compile} step's artifacts, the download, the
 * checks and the planner check skipped, and the {@code deploy} step run again (its apply is idempotent). A
 * {@code simulate} needs the downloaded model after the unit, so it starts over.
 *
 * @param actions one action per step, in target order
 */
public record ResumePlan(List<Action> actions) {

    public ResumePlan {
        actions = List.copyOf(actions);
    }

    /** What an attempt does with one step. */
    public enum Action {
        /** Runs the step. */
        RUN,
        /** Puts the step's values from what an earlier attempt stored ({@link RestorableStep#restore}). */
        RESTORE,
        /** Leaves the step as an earlier attempt completed it: nothing after it needs what it provides. */
        SKIP
    }

    /** Every step runs, from the first. */
    public static ResumePlan fromTheStart(int steps) {
        Action[] all = new Action[steps];
        Arrays.fill(all, Action.RUN);
        return new ResumePlan(Arrays.asList(all));
    }

    /**
     * The plan for {@code steps} when the steps at the positions in {@code completed} were completed by earlier
     * attempts and the job has the artifacts {@code stored}; a restorable step whose artifacts are not all stored runs
     * again, like any other.
     */
    public static ResumePlan of(List<Step> steps, Set<Integer> completed, Set<String> stored) {
        int first = 0;
        while (first < steps.size() && completed.contains(first)) {
            first++;
        }
        Action[] actions = new Action[steps.size()];
        Set<String> needed = new HashSet<>();
        for (int i = first; i < steps.size(); i++) {
            actions[i] = Action.RUN;
            needed.addAll(names(steps.get(i).needs()));
        }
        boolean restores = false;
        boolean repeatable = true;
        for (int i = first - 1; i >= 0; i--) {
            Step step = steps.get(i);
            Set<String> provides = names(step.provides());
            if (provides.stream().noneMatch(needed::contains)) {
                actions[i] = Action.SKIP;
            } else if (step instanceof RestorableStep restorable
                    && stored.containsAll(restorable.restoredFrom())) {
                actions[i] = Action.RESTORE;
                needed.removeAll(provides);
                restores = true;
            } else {
                actions[i] = Action.RUN;
                needed.removeAll(provides);
                needed.addAll(names(step.needs()));
                repeatable &= step.repeatable();
            }
        }
        return restores && repeatable ? new ResumePlan(Arrays.asList(actions)) : fromTheStart(steps.size());
    }

    /** Whether every step runs (nothing resumed). */
    public boolean startsOver() {
        return actions.stream().allMatch(a -> a == Action.RUN);
    }

    /** Position of the first step that is neither skipped nor restored nor run before it for a restored one. */
    public int resumesAt() {
        for (int i = actions.size() - 1; i >= 0; i--) {
            if (actions.get(i) != Action.RUN) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The names of the steps with {@code action}, e.g. for the attempt's first log line. */
    public List<String> steps(List<Step> steps, Action action) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (actions.get(i) == action) {
                out.add(steps.get(i).name());
            }
        }
        return out;
    }

    private static Set<String> names(Set<StepKey<?>> keys) {
        return keys.stream().map(StepKey::name).collect(Collectors.toSet());
    }
}
