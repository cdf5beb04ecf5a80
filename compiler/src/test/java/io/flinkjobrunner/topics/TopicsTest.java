package io.flinkjobrunner.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void listsEveryTopicAndRenamesRoleByRole() {
        Topics compiled = Topics.defaults("plant");
        Topics scenario = compiled.withPrefix("model1.");

        assertEquals(List.of("iff.ngsild.entities", "iff.ngsild.attributes", "iff.ngsild.attributes_insert",
                "iff.alerts.bulk", "fjr.plant.rdf", "fjr.plant.constraint_table", "fjr.plant.constraint_combination_table"),
                compiled.all());
        Map<String, String> renames = compiled.renamesTo(scenario);
        assertEquals(7, renames.size());
        assertEquals("model1.iff.alerts.bulk", renames.get("iff.alerts.bulk"));
        assertEquals("model1.fjr.plant.rdf", renames.get("fjr.plant.rdf"));
    }

    @Test
    void rejectsInvalidTopicNames() {
        assertThrows(IllegalArgumentException.class, () -> Topics.defaults("bad name"));
    }
}
