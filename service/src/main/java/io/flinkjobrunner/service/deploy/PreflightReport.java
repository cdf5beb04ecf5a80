package io.flinkjobrunner.service.deploy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of {@code setup}: every check with its outcome, so a failure says exactly what to fix.
 *
 * @param checks the checks in the order they ran
 */
public record PreflightReport(List<Check> checks) {

    public PreflightReport {
        checks = List.copyOf(checks);
    }

    /** True when no check failed (warnings do not fail). */
    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    /** The failed checks, one per line. */
    public String failures() {
        return checks.stream().filter(c -> !c.ok()).map(Check::toString).collect(Collectors.joining("\n"));
    }

    /** The warnings, one per line. */
    public String warnings() {
        return checks.stream().filter(Check::warning).map(Check::toString).collect(Collectors.joining("\n"));
    }

    /**
     * One check.
     *
     * @param name what was checked
     * @param ok whether it passed
     * @param detail what was found
     * @param warning passed, but something may not work and the detail says what to verify
     */
    public record Check(String name, boolean ok, String detail, boolean warning) {

        /** A passed or failed check. */
        public Check(String name, boolean ok, String detail) {
            this(name, ok, detail, false);
        }

        /** A check that does not fail the preflight but names something to verify. */
        public static Check warn(String name, String detail) {
            return new Check(name, true, detail, true);
        }

        @Override
        public String toString() {
            return (warning ? "WARN " : ok ? "OK   " : "FAIL ") + name + ": " + detail;
        }
    }
}
