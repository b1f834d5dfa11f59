package io.flotilla.manager.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates objects written through the API before anything is stored. Each failure is an
 * {@link ApiError} (422 Invalid) naming the offending field path. Pure: no I/O.
 */
public final class Validation {
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DURATION = Pattern.compile("(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+");
    private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations", "resourceVersion",
            "uid", "creationTimestamp", "generation", "generateName", "finalizers", "managedFields", "ownerReferences",
            "deletionTimestamp");
    private static final Set<String> SELECTOR_OPS = Set.of("In", "NotIn", "Exists", "DoesNotExist");
    private static final Set<String> GIT_TARGET = Set.of("name", "clusterName", "clusterSelector", "clusterGroup",
            "clusterGroupSelector");

    /** A GitRepoRestriction's fields sit at the top level of the object, as in Fleet. */
    public static final Set<String> RESTRICTION_FIELDS = Set.of("allowedServiceAccounts", "allowedRepoPatterns",
            "allowedClientSecretNames", "allowedTargetNamespaces", "defaultServiceAccount", "defaultClientSecretName");

    /** Known spec fields per kind (Fleet's names); an unknown field is refused so typos never pass silently. */
    private static final Map<Kind, Set<String>> SPEC_FIELDS = Map.of(
            Kind.GIT_REPO, Set.of("repo", "branch", "revision", "targetNamespace", "clientSecretName",
                    "helmSecretName", "helmSecretNameForPaths", "helmRepoURLRegex", "caBundle", "insecureSkipTLSVerify",
                    "paths", "bundles", "paused", "serviceAccount", "targets", "pollingInterval", "disablePolling",
                    "forceSyncGeneration", "keepResources", "deleteNamespace", "correctDrift", "imageScanInterval",
                    "imageScanCommit", "ociRegistrySecret", "webhookSecret"),
            Kind.CLUSTER, Set.of("paused", "clientID", "kubeConfigSecret", "templateValues", "agentNamespace",
                    "agentEnvVars", "agentTolerations", "agentAffinity", "agentResources"),
            Kind.CLUSTER_GROUP, Set.of("selector"),
            Kind.CLUSTER_REGISTRATION_TOKEN, Set.of("ttl"));

    private Validation() {
    }

    /**
     * Validates an object for create or update at the given REST coordinates.
     *
     * @param kind      kind addressed by the URL
     * @param namespace namespace addressed by the URL
     * @param name      name addressed by the URL, or null for a create by POST
     */
    public static void validate(ObjectNode object, Kind kind, String namespace, String name) {
        Iterator<String> fields = object.fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (!TOP_LEVEL.contains(f) && !(kind == Kind.SECRET && (f.equals("data") || f.equals("stringData") || f.equals("type")))
                    && !(kind == Kind.GIT_REPO_RESTRICTION && RESTRICTION_FIELDS.contains(f))) {
                throw ApiError.invalid(f, "unknown field (allowed: apiVersion, kind, metadata, spec, status)");
            }
        }
        String apiVersion = Json.text(object, "apiVersion");
        if (apiVersion != null && !apiVersion.equals(kind.apiVersion())) {
            throw ApiError.invalid("apiVersion", "must be " + kind.apiVersion() + ", got \"" + apiVersion + "\"");
        }
        String k = Json.text(object, "kind");
        if (k != null && !k.equals(kind.kindName())) {
            throw ApiError.invalid("kind", "must be " + kind.kindName() + " at this URL, got \"" + k + "\"");
        }
        JsonNode md = object.get("metadata");
        if (md == null || !md.isObject()) {
            throw ApiError.invalid("metadata", "required object");
        }
        md.fieldNames().forEachRemaining(f -> {
            if (!METADATA.contains(f)) {
                throw ApiError.invalid("metadata." + f, "unknown field");
            }
        });
        String objName = Json.text(md, "name");
        if (objName == null || objName.isEmpty()) {
            throw ApiError.invalid("metadata.name", "required");
        }
        checkSubdomain("metadata.name", objName);
        if (name != null && !name.equals(objName)) {
            throw ApiError.invalid("metadata.name", "\"" + objName + "\" does not match the name in the URL \"" + name + "\"");
        }
        String objNs = Json.text(md, "namespace");
        if (objNs != null && !objNs.equals(namespace)) {
            throw ApiError.invalid("metadata.namespace", "\"" + objNs + "\" does not match the namespace in the URL \"" + namespace + "\"");
        }
        if (md.has("deletionTimestamp") && !md.get("deletionTimestamp").isNull()) {
            throw ApiError.invalid("metadata.deletionTimestamp", "is set by the server; delete the object instead");
        }
        if (md.has("finalizers") && md.get("finalizers").size() > 0) {
            throw ApiError.invalid("metadata.finalizers", "are not supported by the embedded store: nothing would ever "
                    + "remove them and the object could not be deleted");
        }
        checkLabel("metadata.namespace", namespace);
        checkLabels("metadata.labels", md.get("labels"));
        checkStringMap("metadata.annotations", md.get("annotations"));
        JsonNode spec = object.get("spec");
        if (spec != null && !spec.isNull() && !spec.isObject()) {
            throw ApiError.invalid("spec", "must be an object");
        }
        Set<String> known = SPEC_FIELDS.get(kind);
        if (known != null && spec != null && spec.isObject()) {
            spec.fieldNames().forEachRemaining(f -> {
                if (!known.contains(f)) {
                    throw ApiError.invalid("spec." + f, "unknown field for " + kind.kindName());
                }
            });
        }
        switch (kind) {
            case GIT_REPO -> validateGitRepo(spec);
            case CLUSTER_GROUP -> {
                if (spec != null && spec.has("selector") && !spec.get("selector").isNull()) {
                    checkSelector("spec.selector", spec.get("selector"));
                }
            }
            case CLUSTER -> {
                if (spec != null && spec.has("templateValues") && !spec.get("templateValues").isObject()) {
                    throw ApiError.invalid("spec.templateValues", "must be an object");
                }
                checkBoolean(spec, "spec", "paused");
            }
            case GIT_REPO_RESTRICTION -> validateRestriction(object);
            case CLUSTER_REGISTRATION_TOKEN -> {
                if (spec != null && spec.has("ttl")) {
                    checkTtl("spec.ttl", spec.get("ttl").asText());
                }
            }
            case SECRET -> checkSecretData(object.get("data"));
            default -> {
            }
        }
    }

    private static void validateRestriction(ObjectNode object) {
        for (String f : List.of("allowedServiceAccounts", "allowedRepoPatterns", "allowedClientSecretNames",
                "allowedTargetNamespaces")) {
            JsonNode list = object.get(f);
            if (list == null || list.isNull()) {
                continue;
            }
            if (!list.isArray()) {
                throw ApiError.invalid(f, "must be a list of strings");
            }
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isTextual()) {
                    throw ApiError.invalid(f + "[" + i + "]", "must be a string");
                }
                if (f.equals("allowedRepoPatterns")) {
                    try {
                        java.util.regex.Pattern.compile(list.get(i).asText());
                    } catch (java.util.regex.PatternSyntaxException e) {
                        throw ApiError.invalid(f + "[" + i + "]", "not a valid regular expression: " + e.getDescription());
                    }
                }
            }
        }
        for (String f : List.of("defaultServiceAccount", "defaultClientSecretName")) {
            if (object.has(f) && !object.get(f).isTextual() && !object.get(f).isNull()) {
                throw ApiError.invalid(f, "must be a string");
            }
        }
    }

    private static void validateGitRepo(JsonNode spec) {
        if (spec == null || !spec.isObject()) {
            throw ApiError.invalid("spec.repo", "required");
        }
        JsonNode repo = spec.get("repo");
        if (repo == null || !repo.isTextual() || repo.asText().isBlank()) {
            throw ApiError.invalid("spec.repo", "required: the URL of the git repository");
        }
        for (String f : List.of("branch", "revision", "targetNamespace", "clientSecretName", "serviceAccount",
                "helmSecretName", "helmRepoURLRegex")) {
            if (spec.has(f) && !spec.get(f).isTextual() && !spec.get(f).isNull()) {
                throw ApiError.invalid("spec." + f, "must be a string");
            }
        }
        for (String f : List.of("paused", "disablePolling", "keepResources", "deleteNamespace", "insecureSkipTLSVerify")) {
            checkBoolean(spec, "spec", f);
        }
        if (spec.hasNonNull("targetNamespace") && !spec.get("targetNamespace").asText().isEmpty()) {
            checkLabel("spec.targetNamespace", spec.get("targetNamespace").asText());
        }
        if (spec.hasNonNull("pollingInterval")) {
            parseDuration("spec.pollingInterval", spec.get("pollingInterval").asText());
        }
        JsonNode paths = spec.get("paths");
        if (paths != null && !paths.isNull()) {
            if (!paths.isArray()) {
                throw ApiError.invalid("spec.paths", "must be a list of strings");
            }
            for (int i = 0; i < paths.size(); i++) {
                if (!paths.get(i).isTextual()) {
                    throw ApiError.invalid("spec.paths[" + i + "]", "must be a string");
                }
            }
        }
        JsonNode targets = spec.get("targets");
        if (targets != null && !targets.isNull()) {
            if (!targets.isArray()) {
                throw ApiError.invalid("spec.targets", "must be a list");
            }
            for (int i = 0; i < targets.size(); i++) {
                String path = "spec.targets[" + i + "]";
                JsonNode t = targets.get(i);
                if (!t.isObject()) {
                    throw ApiError.invalid(path, "must be an object");
                }
                t.fieldNames().forEachRemaining(f -> {
                    if (!GIT_TARGET.contains(f)) {
                        throw ApiError.invalid(path + "." + f, "unknown field (allowed: " + String.join(", ", List.of(
                                "name", "clusterName", "clusterSelector", "clusterGroup", "clusterGroupSelector")) + ")");
                    }
                });
                for (String sel : List.of("clusterSelector", "clusterGroupSelector")) {
                    if (t.hasNonNull(sel)) {
                        checkSelector(path + "." + sel, t.get(sel));
                    }
                }
            }
        }
    }

    /** Validates a Kubernetes LabelSelector given as JSON. */
    public static void checkSelector(String path, JsonNode selector) {
        if (!selector.isObject()) {
            throw ApiError.invalid(path, "must be a label selector object (matchLabels, matchExpressions)");
        }
        selector.fieldNames().forEachRemaining(f -> {
            if (!f.equals("matchLabels") && !f.equals("matchExpressions")) {
                throw ApiError.invalid(path + "." + f, "unknown field (allowed: matchLabels, matchExpressions)");
            }
        });
        checkLabels(path + ".matchLabels", selector.get("matchLabels"));
        JsonNode exprs = selector.get("matchExpressions");
        if (exprs == null || exprs.isNull()) {
            return;
        }
        if (!exprs.isArray()) {
            throw ApiError.invalid(path + ".matchExpressions", "must be a list");
        }
        for (int i = 0; i < exprs.size(); i++) {
            String p = path + ".matchExpressions[" + i + "]";
            JsonNode e = exprs.get(i);
            String key = Json.text(e, "key");
            String op = Json.text(e, "operator");
            if (key == null) {
                throw ApiError.invalid(p + ".key", "required");
            }
            checkLabelKey(p + ".key", key);
            if (op == null || !SELECTOR_OPS.contains(op)) {
                throw ApiError.invalid(p + ".operator", "\"" + op + "\" is not a valid operator (In, NotIn, Exists, DoesNotExist)");
            }
            JsonNode values = e.get("values");
            int n = values == null || values.isNull() ? 0 : values.size();
            if ((op.equals("In") || op.equals("NotIn")) && n == 0) {
                throw ApiError.invalid(p + ".values", "must be non-empty when operator is " + op);
            }
            if ((op.equals("Exists") || op.equals("DoesNotExist")) && n > 0) {
                throw ApiError.invalid(p + ".values", "must be empty when operator is " + op);
            }
            for (int j = 0; j < n; j++) {
                checkLabelValue(p + ".values[" + j + "]", values.get(j).asText());
            }
        }
    }

    public static void checkLabels(String path, JsonNode labels) {
        if (labels == null || labels.isNull()) {
            return;
        }
        if (!labels.isObject()) {
            throw ApiError.invalid(path, "must be a map of strings");
        }
        labels.fields().forEachRemaining(e -> {
            checkLabelKey(path, e.getKey());
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw ApiError.invalid(path + "." + e.getKey(), "must be a string");
            }
            checkLabelValue(path + "." + e.getKey(), e.getValue().asText());
        });
    }

    public static void checkLabelKey(String path, String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
                throw ApiError.invalid(path, "invalid label key \"" + key + "\": prefix must be a DNS subdomain");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            throw ApiError.invalid(path, "invalid label key \"" + key
                    + "\": name part must be 1-63 characters of [A-Za-z0-9_.-], starting and ending alphanumeric");
        }
    }

    public static void checkLabelValue(String path, String value) {
        if (!value.isEmpty() && (value.length() > 63 || !LABEL_NAME.matcher(value).matches())) {
            throw ApiError.invalid(path, "invalid label value \"" + value
                    + "\": at most 63 characters of [A-Za-z0-9_.-], starting and ending alphanumeric");
        }
    }

    public static void checkSubdomain(String path, String name) {
        if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
            throw ApiError.invalid(path, "\"" + name + "\" is not a valid name: lower-case RFC 1123 subdomain "
                    + "(a-z, 0-9, '-', '.', starting and ending alphanumeric, at most 253 characters)");
        }
    }

    public static void checkLabel(String path, String name) {
        if (name == null || name.length() > 63 || !DNS1123_LABEL.matcher(name).matches()) {
            throw ApiError.invalid(path, "\"" + name + "\" is not a valid RFC 1123 label "
                    + "(a-z, 0-9, '-', starting and ending alphanumeric, at most 63 characters)");
        }
    }

    private static void checkStringMap(String path, JsonNode map) {
        if (map == null || map.isNull()) {
            return;
        }
        if (!map.isObject()) {
            throw ApiError.invalid(path, "must be a map of strings");
        }
        map.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode()) {
                throw ApiError.invalid(path + "." + e.getKey(), "must be a string");
            }
        });
    }

    private static void checkBoolean(JsonNode spec, String prefix, String field) {
        if (spec != null && spec.has(field) && !spec.get(field).isBoolean() && !spec.get(field).isNull()) {
            throw ApiError.invalid(prefix + "." + field, "must be true or false");
        }
    }

    /** The longest a registration or user token may live: longer ones are better revoked and re-issued. */
    public static final Duration MAX_TOKEN_TTL = Duration.ofDays(365);

    /** A token lifetime: a duration of at most {@link #MAX_TOKEN_TTL} (8760h). */
    public static Duration checkTtl(String path, String text) {
        Duration ttl = parseDuration(path, text);
        if (ttl.compareTo(MAX_TOKEN_TTL) > 0) {
            throw ApiError.invalid(path, "\"" + text + "\" is longer than the maximum of 8760h (one year)");
        }
        if (ttl.isZero()) {
            throw ApiError.invalid(path, "must be longer than 0");
        }
        return ttl;
    }

    /** Kubernetes Secret {@code data}: string values in base64 (plain text belongs in {@code stringData}). */
    static void checkSecretData(JsonNode data) {
        if (data == null || data.isNull()) {
            return;
        }
        if (!data.isObject()) {
            throw ApiError.invalid("data", "must be an object of base64 strings");
        }
        data.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw ApiError.invalid("data." + e.getKey(), "must be a base64 string");
            }
            try {
                java.util.Base64.getMimeDecoder().decode(e.getValue().asText());
                String compact = e.getValue().asText().replaceAll("\\s", "");
                if (!compact.matches("[A-Za-z0-9+/]*={0,2}") || compact.length() % 4 != 0) {
                    throw new IllegalArgumentException("not base64");
                }
            } catch (IllegalArgumentException bad) {
                throw ApiError.invalid("data." + e.getKey(), "is not valid base64 (put plain text in stringData)");
            }
        });
    }

    /** Parses a Go-style duration ({@code 15s}, {@code 1h30m}, {@code 500ms}). */
    public static Duration parseDuration(String path, String text) {
        if (text == null || !DURATION.matcher(text).matches()) {
            throw ApiError.invalid(path, "\"" + text + "\" is not a duration (examples: 30s, 15m, 1h30m)");
        }
        Duration total = Duration.ZERO;
        java.util.regex.Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)").matcher(text);
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            long nanos = switch (m.group(2)) {
                case "ns" -> (long) v;
                case "us", "µs" -> (long) (v * 1_000);
                case "ms" -> (long) (v * 1_000_000);
                case "s" -> (long) (v * 1_000_000_000L);
                case "m" -> (long) (v * 60_000_000_000L);
                default -> (long) (v * 3_600_000_000_000L);
            };
            total = total.plusNanos(nanos);
        }
        return total;
    }
}
