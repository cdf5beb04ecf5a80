package io.flinkjobrunner.service.jobs;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.secrets.UrlRedaction;
import io.flinkjobrunner.service.state.JobContext;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parses and validates the body of {@code POST /jobs}. Unknown fields are refused (a typo such as {@code "url"} or
 * {@code "namespce"} must not silently fall back to a default), wrong types and bad values are reported together.
 */
public final class JobRequestParser {

    /** Allowed job ids: no path separators, no leading dot, at most 64 characters. */
    public static final Pattern JOB_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    /** RFC 1123 label as Kubernetes uses it for namespaces and names. */
    public static final Pattern DNS_1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

    /** Input names accepted under {@code urls}; most targets require the first two. */
    public static final List<String> INPUT_NAMES = List.of("knowledge", "shacl", "model");
    private static final Set<String> REQUIRED_INPUTS = Set.of("knowledge", "shacl");
    private static final Set<String> TOP_LEVEL = Set.of("jobId", "target", "urls", "context");
    private static final Set<String> CONTEXT_FIELDS = Set.of("kubeContext", "namespace", "deployment",
            "parallelism");
    private static final int MAX_URL_LENGTH = 8192;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JobRequestParser() {
    }

    /**
     * Parses a request body.
     *
     * @param body          raw JSON bytes
     * @param defaultTarget target used when the body names none
     * @throws ApiProblemException with {@link Reason#MALFORMED_JSON}, {@link Reason#UNKNOWN_FIELD} or
     *                             {@link Reason#INVALID_REQUEST}
     */
    public static JobRequest parse(byte[] body, String defaultTarget) {
        return parse(body, defaultTarget, target -> REQUIRED_INPUTS);
    }

    /**
     * Reads a request body as JSON (null or a missing node when it is empty).
     *
     * @throws ApiProblemException {@link Reason#MALFORMED_JSON} with the line and column of a syntax error
     */
    public static JsonNode readJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ApiProblemException(Reason.MALFORMED_JSON,
                    "request body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiProblemException(Reason.MALFORMED_JSON, "request body cannot be read");
        }
    }

    /**
     * Parses a request body; {@code urls} must name the inputs the target requires.
     *
     * @param body           raw JSON bytes
     * @param defaultTarget  target used when the body names none
     * @param requiredInputs the input names ({@link #INPUT_NAMES}) a target name requires under {@code urls}
     * @throws ApiProblemException with {@link Reason#MALFORMED_JSON}, {@link Reason#UNKNOWN_FIELD} or
     *                             {@link Reason#INVALID_REQUEST}
     */
    public static JobRequest parse(byte[] body, String defaultTarget,
            Function<String, Set<String>> requiredInputs) {
        JsonNode root = readJson(body);
        if (root == null || root.isMissingNode()) {
            throw new ApiProblemException(Reason.MALFORMED_JSON, "request body is empty; expected a JSON object");
        }
        return parse(root, defaultTarget, requiredInputs);
    }

    /** Validates an already parsed JSON document. */
    public static JobRequest parse(JsonNode root, String defaultTarget) {
        return parse(root, defaultTarget, target -> REQUIRED_INPUTS);
    }

    /** Validates an already parsed JSON document; {@code urls} must name the inputs the target requires. */
    public static JobRequest parse(JsonNode root, String defaultTarget,
            Function<String, Set<String>> requiredInputs) {
        if (!root.isObject()) {
            throw ApiProblemException.invalid(Reason.INVALID_REQUEST,
                    List.of("request body must be a JSON object, got " + typeName(root)));
        }
        List<String> unknown = new ArrayList<>();
        collectUnknown(root, TOP_LEVEL, "", unknown);
        JsonNode urlsNode = root.get("urls");
        if (urlsNode != null && urlsNode.isObject()) {
            collectUnknown(urlsNode, Set.copyOf(INPUT_NAMES), "urls.", unknown);
        }
        JsonNode contextNode = root.get("context");
        if (contextNode != null && contextNode.isObject()) {
            collectUnknown(contextNode, CONTEXT_FIELDS, "context.", unknown);
        }
        if (!unknown.isEmpty()) {
            throw new ApiProblemException(Reason.UNKNOWN_FIELD,
                    "unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                            + "; allowed: jobId, target, urls.{knowledge, shacl, model}, "
                            + "context.{kubeContext, namespace, deployment}",
                    Map.of("errors", unknown.stream().map(f -> "unknown field " + f).toList()));
        }

        List<String> errors = new ArrayList<>();
        Optional<String> jobId = optionalString(root, "jobId", errors).map(String::strip);
        jobId.ifPresent(id -> {
            if (!JOB_ID.matcher(id).matches()) {
                errors.add("jobId must match " + JOB_ID.pattern() + " (letters, digits, '.', '_', '-'; at most 64 "
                        + "characters; no path separators)");
            }
        });
        String target = optionalString(root, "target", errors).map(String::strip).orElse(defaultTarget);
        if (target.isEmpty()) {
            errors.add("target must not be empty");
        }

        Map<String, String> urls = new LinkedHashMap<>();
        Set<String> required = target.isEmpty() ? Set.of() : requiredInputs.apply(target);
        List<String> requiredNames = INPUT_NAMES.stream().filter(required::contains).toList();
        if (urlsNode == null || urlsNode.isNull()) {
            if (!required.isEmpty()) {
                errors.add("urls is required: an object with " + String.join(" and ",
                        requiredNames.stream().map(n -> "urls." + n).toList()) + forTarget(target, required));
            }
        } else if (!urlsNode.isObject()) {
            errors.add("urls must be an object, got " + typeName(urlsNode));
        } else {
            for (String name : INPUT_NAMES) {
                JsonNode u = urlsNode.get(name);
                if (u == null || u.isNull()) {
                    if (required.contains(name)) {
                        errors.add("urls." + name + " is required" + forTarget(target, Set.of(name)));
                    }
                } else if (!u.isTextual()) {
                    errors.add("urls." + name + " must be a string, got " + typeName(u));
                } else {
                    String problem = checkUrl(u.asText().strip());
                    if (problem != null) {
                        errors.add("urls." + name + " " + problem);
                    } else {
                        urls.put(name, u.asText().strip());
                    }
                }
            }
        }

        Optional<String> kubeContext = Optional.empty();
        Optional<String> namespace = Optional.empty();
        String deployment = JobContext.DEFAULT_DEPLOYMENT;
        Optional<Integer> parallelism = Optional.empty();
        if (contextNode != null && !contextNode.isNull()) {
            if (!contextNode.isObject()) {
                errors.add("context must be an object, got " + typeName(contextNode));
            } else {
                kubeContext = optionalString(contextNode, "kubeContext", errors, "context.").map(String::strip);
                kubeContext.ifPresent(k -> {
                    if (k.isEmpty() || k.length() > 253 || k.chars().anyMatch(Character::isISOControl)) {
                        errors.add("context.kubeContext must be 1-253 printable characters");
                    }
                });
                namespace = optionalString(contextNode, "namespace", errors, "context.").map(String::strip);
                namespace.ifPresent(n -> {
                    if (!DNS_1123_LABEL.matcher(n).matches()) {
                        errors.add("context.namespace must be a DNS-1123 label (lower-case letters, digits, '-'; "
                                + "at most 63 characters)");
                    }
                });
                Optional<String> d = optionalString(contextNode, "deployment", errors, "context.").map(String::strip);
                if (d.isPresent()) {
                    deployment = d.get();
                    if (!DNS_1123_LABEL.matcher(deployment).matches()) {
                        errors.add("context.deployment must be a DNS-1123 label (lower-case letters, digits, '-'; "
                                + "at most 63 characters)");
                    }
                }
                parallelism = parallelism(contextNode.get("parallelism"), errors);
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(Reason.INVALID_REQUEST, errors);
        }
        return new JobRequest(jobId, target, urls, new JobContext(kubeContext, namespace, deployment,
                parallelism));
    }

    /** {@code context.parallelism}: absent or null for the backend's default, else an integer within the bounds. */
    private static Optional<Integer> parallelism(JsonNode node, List<String> errors) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1
                || node.intValue() > JobContext.MAX_PARALLELISM) {
            errors.add("context.parallelism must be an integer from 1 to " + JobContext.MAX_PARALLELISM + " (the "
                    + "parallelism of the Flink job of the deployment), got " + (node.isNumber() ? node.asText()
                            : typeName(node)));
            return Optional.empty();
        }
        return Optional.of(node.intValue());
    }

    /** Names the target when it requires more than what most targets require. */
    private static String forTarget(String target, Set<String> inputs) {
        return REQUIRED_INPUTS.containsAll(inputs) ? "" : " by target '" + target + "'";
    }

    /** Returns null when the URL is acceptable for submission, else what is wrong (the URL itself is not echoed). */
    static String checkUrl(String url) {
        if (url.isEmpty()) {
            return "must not be empty";
        }
        if (url.length() > MAX_URL_LENGTH) {
            return "is longer than " + MAX_URL_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL (" + UrlRedaction.redact(url) + ": " + e.getReason() + ")";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must be an http or https URL, got scheme '" + (scheme.isEmpty() ? "(none)" : scheme) + "'";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "must name a host";
        }
        return null;
    }

    private static void collectUnknown(JsonNode object, Set<String> allowed, String prefix, List<String> unknown) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                unknown.add(prefix + f);
            }
        }
    }

    private static Optional<String> optionalString(JsonNode obj, String field, List<String> errors) {
        return optionalString(obj, field, errors, "");
    }

    private static Optional<String> optionalString(JsonNode obj, String field, List<String> errors, String prefix) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            errors.add(prefix + field + " must be a string, got " + typeName(v));
            return Optional.empty();
        }
        return Optional.of(v.asText());
    }

    private static String typeName(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case NULL -> "null";
            default -> "a " + n.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
