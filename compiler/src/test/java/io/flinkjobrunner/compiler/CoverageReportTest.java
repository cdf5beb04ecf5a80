package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkjobrunner.compiler.CoverageReport.Entry;
import io.flinkjobrunner.compiler.CoverageReport.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoverageReportTest {

    @Test
    void theSummaryCountsListsEveryRejectedComponentAndGroupsTheIgnoredOnes() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            entries.add(new Entry("ex:S" + i, "sh:targetClass", Status.COMPILED, ""));
            entries.add(new Entry("ex:S" + i + " / ex:a", "sh:nodeKind", Status.IGNORED, "always satisfied"));
            entries.add(new Entry("ex:S" + i + " / ex:a", "sh:minCount", Status.IGNORED, "exactly one value"));
        }
        entries.add(new Entry("ex:T", "sh:node", Status.REJECTED, "not supported"));
        entries.add(new Entry("ex:U", "sh:targetClass", Status.DEACTIVATED, "sh:deactivated true"));
        CoverageReport report = new CoverageReport(entries);

        assertEquals(List.of(
                "coverage: 1000 compiled, 2000 ignored, 1 rejected, 1 deactivated",
                "REJECTED    ex:T  sh:node: not supported",
                "IGNORED     sh:nodeKind × 1000: always satisfied (first: ex:S0 / ex:a)",
                "IGNORED     sh:minCount × 1000: exactly one value (first: ex:S0 / ex:a)",
                "DEACTIVATED sh:targetClass × 1: sh:deactivated true (first: ex:U)"), report.summary(50));
        assertEquals(report.text().lines().findFirst().orElseThrow(), report.countsLine());
    }

    @Test
    void theSummaryIsBoundedHoweverManyComponentsAreRejectedOrIgnored() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            entries.add(new Entry("ex:S" + i, "sh:node", Status.REJECTED, "not supported"));
            entries.add(new Entry("ex:S" + i, "sh:p" + i, Status.IGNORED, "reason " + i));
        }
        List<String> summary = new CoverageReport(entries).summary(10);
        assertEquals(1 + 10 + 1 + 10 + 1, summary.size(), String.join("\n", summary));
        assertEquals("… and 290 more rejected components", summary.get(11));
        assertEquals("… and 290 more groups of ignored or deactivated components", summary.get(summary.size() - 1));
    }
}
