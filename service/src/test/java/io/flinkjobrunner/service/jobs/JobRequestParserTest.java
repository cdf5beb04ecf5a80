package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.state.JobContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request parser alone (pure code, no service): what it accepts, and the reason and wording of each refusal. */
class JobRequestParserTest {

    private static final String K = "https://example.org/knowledge.ttl";
    private static final String S = "https://example.org/shacl.ttl";

    private static JobRequest parse(String json) {
        return JobRequestParser.parse(json.getBytes(StandardCharsets.UTF_8), "validate",
                target -> target.equals("simulate") ? Set.of("knowledge", "shacl", "model")
                        : target.equals("undeploy") ? Set.of() : Set.of("knowledge", "shacl"));
    }

    private static ApiProblemException refused(String json) {
        return assertThrows(ApiProblemException.class, () -> parse(json));
    }

    @SuppressWarnings("unchecked")
    private static List<String> errors(ApiProblemException e) {
        return (List<String>) e.extensions().get("errors");
    }

    @Test
    void aCompleteRequestIsReadWithItsDefaultsAndStrippedValues() {
        JobRequest r = parse("{\"jobId\": \" job-1 \", \"target\": \"deploy\", \"urls\": {\"knowledge\": \" " + K
                + "\", \"shacl\": \"" + S + "\"}, \"context\": {\"namespace\": \"iff\", \"deployment\": \"line-3\", "
                + "\"parallelism\": 4}}");
        assertEquals(Optional.of("job-1"), r.jobId());
        assertEquals("deploy", r.target());
        assertEquals(Map.of("knowledge", K, "shacl", S), r.urls());
        assertEquals(new JobContext(Optional.empty(), Optional.of("iff"), "line-3", Optional.of(4)), r.context());

        JobRequest minimal = parse("{\"urls\": {\"knowledge\": \"" + K + "\", \"shacl\": \"" + S + "\"}}");
        assertEquals(Optional.empty(), minimal.jobId());
        assertEquals("validate", minimal.target(), "the default target");
        assertEquals(JobContext.DEFAULT_DEPLOYMENT, minimal.context().deployment());
        assertEquals(Optional.empty(), minimal.context().parallelism());
    }

    @Test
    void targetsWithoutInputsNeedNoUrlsAndTargetsWithMoreNameThem() {
        assertEquals(Map.of(), parse("{\"target\": \"undeploy\"}").urls());
        ApiProblemException e = refused("{\"target\": \"simulate\", \"urls\": {\"knowledge\": \"" + K
                + "\", \"shacl\": \"" + S + "\"}}");
        assertEquals(Reason.INVALID_REQUEST, e.reason());
        assertEquals("urls.model is required by target 'simulate'", e.getMessage());
        assertEquals("urls is required: an object with urls.knowledge and urls.shacl", refused("{}").getMessage());
    }

    @Test
    void syntaxErrorsSayLineAndColumn() {
        ApiProblemException e = refused("{\n  \"jobId\": \"a\",\n  \"target\" \"validate\"\n}");
        assertEquals(Reason.MALFORMED_JSON, e.reason());
        assertTrue(e.getMessage().startsWith("request body is not valid JSON at line 3, column 12: "), e.getMessage());
        assertEquals(Reason.MALFORMED_JSON, refused("{\"jobId\": \"a\", \"jobId\": \"b\"}").reason(),
                "a duplicate field is refused, not last-one-wins");
        assertEquals(Reason.MALFORMED_JSON, refused("{} {}").reason(), "trailing content is refused");
        assertEquals("request body is empty; expected a JSON object", refused("").getMessage());
        assertEquals("request body must be a JSON object, got an array", refused("[]").getMessage());
    }

    @Test
    void unknownFieldsAreNamedWithWhatIsAllowed() {
        ApiProblemException e = refused("{\"jobid\": \"x\", \"urls\": {\"knowlege\": \"" + K + "\"}, "
                + "\"context\": {\"ns\": \"iff\"}}");
        assertEquals(Reason.UNKNOWN_FIELD, e.reason());
        assertEquals(List.of("unknown field jobid", "unknown field urls.knowlege", "unknown field context.ns"),
                errors(e));
        assertTrue(e.getMessage().endsWith("; allowed: jobId, target, urls.{knowledge, shacl, model}, "
                + "context.{kubeContext, namespace, deployment}"), e.getMessage());
    }

    @Test
    void everyProblemOfAValidRequestShapeIsListedAtOnce() {
        ApiProblemException e = refused("{\"jobId\": \"../etc\", \"target\": \" \", \"urls\": {\"knowledge\": "
                + "\"file:///etc/passwd\", \"shacl\": 7}, \"context\": {\"namespace\": \"IFF\", \"deployment\": "
                + "\"a_b\", \"parallelism\": 0}}");
        assertEquals(Reason.INVALID_REQUEST, e.reason());
        List<String> errors = errors(e);
        assertEquals(7, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("jobId must match "), errors.get(0));
        assertEquals("target must not be empty", errors.get(1));
        assertEquals("urls.knowledge must be an http or https URL, got scheme 'file'", errors.get(2));
        assertEquals("urls.shacl must be a string, got a number", errors.get(3));
        assertTrue(errors.get(4).startsWith("context.namespace must be a DNS-1123 label"), errors.get(4));
        assertTrue(errors.get(5).startsWith("context.deployment must be a DNS-1123 label"), errors.get(5));
        assertEquals("context.parallelism must be an integer from 1 to " + JobContext.MAX_PARALLELISM
                + " (the parallelism of the Flink job of the deployment), got 0", errors.get(6));
        assertEquals(String.join("; ", errors), e.getMessage());
    }

    @Test
    void urlsAreCheckedWithoutEchoingTheirSecrets() {
        assertNull(JobRequestParser.checkUrl(K));
        assertEquals("must not be empty", JobRequestParser.checkUrl(""));
        assertEquals("must name a host", JobRequestParser.checkUrl("https:///path"));
        assertEquals("is longer than 8192 characters", JobRequestParser.checkUrl("https://h/" + "a".repeat(8200)));
        String invalid = JobRequestParser.checkUrl("https://h/x?sig=SECRET value");
        assertTrue(invalid.startsWith("is not a valid URL ("), invalid);
        assertTrue(!invalid.contains("SECRET"), "the query string is redacted: " + invalid);
    }
}
