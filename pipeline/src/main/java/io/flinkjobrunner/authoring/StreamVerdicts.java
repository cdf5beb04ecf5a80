package io.flinkjobrunner.authoring;

import java.util.List;
import java.util.Map;

import org.eclipse.rdf4j.model.Model;

import io.flinkjobrunner.ngsild.NgsiLdData;

/** Runs shapes the way production does (compiled Flink SQL over the entity rows) and reports the alerts raised. */
public interface StreamVerdicts {

    /**
     * Alerts per entity id for {@code data} validated by {@code shapes}; an entity without an alert is absent.
     *
     * @param notes receives what the verdict does not cover (e.g. shape components the compiler rejected)
     * @throws AuthoringException with {@link AuthoringException.Reason#ENGINE_FAILED} if the job cannot run
     */
    Map<String, List<String>> alerts(Model shapes, NgsiLdData data, List<String> notes) throws AuthoringException;
}
