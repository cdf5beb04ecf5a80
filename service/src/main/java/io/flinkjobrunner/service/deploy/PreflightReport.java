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

    /** True when every check passed. */
    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    /** The failed checks, one per line. */
    public String failures() {
        return checks.stream().filter(c -> !c.ok()).map(Check::toString).collect(Collectors.joining("\n"));
    }

    /**
     * One check.
     *
     * @param name what was checked
     * @param ok whether it passed
     * @param detail what was found
     */
    public record Check(String name, boolean ok, String detail) {

        @Override
        public String toString() {
            return (ok ? "OK   " : "FAIL ") + name + ": " + detail;
        }
    }
}
