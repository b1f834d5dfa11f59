package io.flotilla.bundle.options;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Fleet's BundleDeploymentOptions: shared by the bundle spec (fleet.yaml top level), every target and
 * customization, and the merged options of a BundleDeployment.
 *
 * <p>Components are declared in Fleet's JSON order; that order is part of the deploymentID hash
 * ({@link DeploymentIds}). {@code null} means "not set" for every reference component.
 * Serialisation follows Go's {@code omitempty}: empty strings, lists and maps and zero/false
 * primitives are omitted; pointer-like fields ({@code helm.values}, {@code namespaceLabels},
 * {@code namespaceAnnotations}, {@code createNamespace}) are written whenever non-null.
 *
 * <p>{@code keepResources} and the helm booleans {@code force}, {@code takeOwnership},
 * {@code waitForJobs}, {@code atomic}, {@code disablePreProcess}, {@code disableDNS} are nullable
 * {@link Boolean}s: {@code null} means "inherit" and an explicit {@code false} lets a customization
 * switch them off (Fleet ORs them; see docs/fleet-compatibility.md and {@link OptionsMerge}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BundleDeploymentOptions(
        @JsonProperty("yaml") YamlOptions yaml,
        @JsonProperty("kustomize") KustomizeOptions kustomize,
        @JsonProperty("defaultNamespace") String defaultNamespace,
        @JsonProperty("namespace") String namespace,
        @JsonProperty("helm") HelmOptions helm,
        @JsonProperty("serviceAccount") String serviceAccount,
        @JsonProperty("createNamespace") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean createNamespace,
        @JsonProperty("forceSyncGeneration") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long forceSyncGeneration,
        @JsonProperty("diff") DiffOptions diff,
        @JsonProperty("keepResources") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean keepResources,
        @JsonProperty("deleteNamespace") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean deleteNamespace,
        @JsonProperty("ignore") IgnoreOptions ignore,
        @JsonProperty("correctDrift") CorrectDrift correctDrift,
        @JsonProperty("namespaceLabels") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> namespaceLabels,
        @JsonProperty("namespaceAnnotations") @JsonInclude(JsonInclude.Include.NON_NULL)
        Map<String, String> namespaceAnnotations,
        @JsonProperty("deleteCRDResources") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean deleteCRDResources,
        @JsonProperty("downstreamResources") List<DownstreamResource> downstreamResources,
        @JsonProperty("overwrites") Object overwrites,
        @JsonProperty("allowedTargetNamespaceSelector") LabelSelectorSpec allowedTargetNamespaceSelector) {

    public BundleDeploymentOptions {
        namespaceLabels = Copies.map(namespaceLabels);
        namespaceAnnotations = Copies.map(namespaceAnnotations);
        downstreamResources = Copies.list(downstreamResources);
        overwrites = Copies.deep(overwrites);
    }

    private static final BundleDeploymentOptions EMPTY = builder().build();

    /** Options with nothing set. */
    public static BundleDeploymentOptions empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Effective value of {@code keepResources} ({@code null} counts as false). */
    public boolean keepsResources() {
        return Boolean.TRUE.equals(keepResources);
    }

    /** {@code yaml}: names of {@code overlays/<name>} directories applied to raw manifests, in order. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record YamlOptions(@JsonProperty("overlays") List<String> overlays) {
        public YamlOptions {
            overlays = Copies.list(overlays);
        }
    }

    /** {@code kustomize}: the directory holding kustomization.yaml. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record KustomizeOptions(@JsonProperty("dir") String dir) {
    }

    /** {@code helm}: chart source, values and Helm flags, in Fleet's JSON order. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record HelmOptions(
            @JsonProperty("valuesFiles") List<String> valuesFiles,
            @JsonProperty("chart") String chart,
            @JsonProperty("repo") String repo,
            @JsonProperty("releaseName") String releaseName,
            @JsonProperty("version") String version,
            @JsonProperty("timeoutSeconds") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int timeoutSeconds,
            @JsonProperty("values") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> values,
            @JsonProperty("templateValues") Map<String, String> templateValues,
            @JsonProperty("valuesFrom") List<ValuesFrom> valuesFrom,
            @JsonProperty("force") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean force,
            @JsonProperty("takeOwnership") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean takeOwnership,
            @JsonProperty("maxHistory") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxHistory,
            @JsonProperty("waitForJobs") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean waitForJobs,
            @JsonProperty("atomic") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean atomic,
            @JsonProperty("disablePreProcess") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean disablePreProcess,
            @JsonProperty("disableDNS") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean disableDNS,
            @JsonProperty("skipSchemaValidation") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
            boolean skipSchemaValidation,
            @JsonProperty("disableDependencyUpdate") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
            boolean disableDependencyUpdate) {

        public HelmOptions {
            valuesFiles = Copies.list(valuesFiles);
            values = Copies.deepMap(values);
            templateValues = Copies.map(templateValues);
            valuesFrom = Copies.list(valuesFrom);
        }

        private static final HelmOptions EMPTY = builder().build();

        /** {@code helm: {}}. */
        public static HelmOptions empty() {
            return EMPTY;
        }

        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            return new Builder(this);
        }

        /** Mutable builder; {@link #build()} makes immutable copies. */
        public static final class Builder {
            private List<String> valuesFiles;
            private String chart;
            private String repo;
            private String releaseName;
            private String version;
            private int timeoutSeconds;
            private Map<String, Object> values;
            private Map<String, String> templateValues;
            private List<ValuesFrom> valuesFrom;
            private Boolean force;
            private Boolean takeOwnership;
            private int maxHistory;
            private Boolean waitForJobs;
            private Boolean atomic;
            private Boolean disablePreProcess;
            private Boolean disableDNS;
            private boolean skipSchemaValidation;
            private boolean disableDependencyUpdate;

            private Builder() {
            }

            private Builder(HelmOptions h) {
                valuesFiles = h.valuesFiles;
                chart = h.chart;
                repo = h.repo;
                releaseName = h.releaseName;
                version = h.version;
                timeoutSeconds = h.timeoutSeconds;
                values = h.values;
                templateValues = h.templateValues;
                valuesFrom = h.valuesFrom;
                force = h.force;
                takeOwnership = h.takeOwnership;
                maxHistory = h.maxHistory;
                waitForJobs = h.waitForJobs;
                atomic = h.atomic;
                disablePreProcess = h.disablePreProcess;
                disableDNS = h.disableDNS;
                skipSchemaValidation = h.skipSchemaValidation;
                disableDependencyUpdate = h.disableDependencyUpdate;
            }

            public Builder valuesFiles(List<String> v) { valuesFiles = v; return this; }
            public Builder chart(String v) { chart = v; return this; }
            public Builder repo(String v) { repo = v; return this; }
            public Builder releaseName(String v) { releaseName = v; return this; }
            public Builder version(String v) { version = v; return this; }
            public Builder timeoutSeconds(int v) { timeoutSeconds = v; return this; }
            public Builder values(Map<String, Object> v) { values = v; return this; }
            public Builder templateValues(Map<String, String> v) { templateValues = v; return this; }
            public Builder valuesFrom(List<ValuesFrom> v) { valuesFrom = v; return this; }
            public Builder force(Boolean v) { force = v; return this; }
            public Builder takeOwnership(Boolean v) { takeOwnership = v; return this; }
            public Builder maxHistory(int v) { maxHistory = v; return this; }
            public Builder waitForJobs(Boolean v) { waitForJobs = v; return this; }
            public Builder atomic(Boolean v) { atomic = v; return this; }
            public Builder disablePreProcess(Boolean v) { disablePreProcess = v; return this; }
            public Builder disableDNS(Boolean v) { disableDNS = v; return this; }
            public Builder skipSchemaValidation(boolean v) { skipSchemaValidation = v; return this; }
            public Builder disableDependencyUpdate(boolean v) { disableDependencyUpdate = v; return this; }

            public HelmOptions build() {
                return new HelmOptions(valuesFiles, chart, repo, releaseName, version, timeoutSeconds, values,
                        templateValues, valuesFrom, force, takeOwnership, maxHistory, waitForJobs, atomic,
                        disablePreProcess, disableDNS, skipSchemaValidation, disableDependencyUpdate);
            }
        }
    }

    /** {@code helm.valuesFrom[]}: exactly one of the two references is normally set. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ValuesFrom(
            @JsonProperty("configMapKeyRef") KeySelector configMapKeyRef,
            @JsonProperty("secretKeyRef") KeySelector secretKeyRef) {
    }

    /** A {@code {name, namespace, key}} reference to a ConfigMap or Secret entry. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record KeySelector(
            @JsonProperty("name") String name,
            @JsonProperty("namespace") String namespace,
            @JsonProperty("key") String key) {
    }

    /** {@code diff}: what drift detection ignores. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record DiffOptions(@JsonProperty("comparePatches") List<ComparePatch> comparePatches) {
        public DiffOptions {
            comparePatches = Copies.list(comparePatches);
        }
    }

    /** {@code diff.comparePatches[]}: selects an object and the parts of it ignored by drift checks. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ComparePatch(
            @JsonProperty("apiVersion") String apiVersion,
            @JsonProperty("kind") String kind,
            @JsonProperty("name") String name,
            @JsonProperty("namespace") String namespace,
            @JsonProperty("jsonPointers") List<String> jsonPointers,
            @JsonProperty("operations") List<Operation> operations) {
        public ComparePatch {
            jsonPointers = Copies.list(jsonPointers);
            operations = Copies.list(operations);
        }
    }

    /** A JSON-patch-like operation; {@code op} is usually {@code remove}, or {@code ignore}. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Operation(
            @JsonProperty("op") String op,
            @JsonProperty("path") String path,
            @JsonProperty("value") String value) {
    }

    /** {@code ignore.conditions}: condition matchers (type/status maps) excluded from readiness. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record IgnoreOptions(@JsonProperty("conditions") List<Map<String, String>> conditions) {
        public IgnoreOptions {
            conditions = conditions == null ? null : conditions.stream().map(Copies::map).toList();
        }
    }

    /** {@code correctDrift}. */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record CorrectDrift(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("force") boolean force,
            @JsonProperty("keepFailHistory") boolean keepFailHistory) {
    }

    /** {@code downstreamResources[]}: a Secret or ConfigMap copied to the downstream cluster. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record DownstreamResource(@JsonProperty("kind") String kind, @JsonProperty("name") String name) {
    }

    /** Mutable builder; {@link #build()} makes immutable copies. */
    public static final class Builder {
        private YamlOptions yaml;
        private KustomizeOptions kustomize;
        private String defaultNamespace;
        private String namespace;
        private HelmOptions helm;
        private String serviceAccount;
        private Boolean createNamespace;
        private long forceSyncGeneration;
        private DiffOptions diff;
        private Boolean keepResources;
        private boolean deleteNamespace;
        private IgnoreOptions ignore;
        private CorrectDrift correctDrift;
        private Map<String, String> namespaceLabels;
        private Map<String, String> namespaceAnnotations;
        private boolean deleteCRDResources;
        private List<DownstreamResource> downstreamResources;
        private Object overwrites;
        private LabelSelectorSpec allowedTargetNamespaceSelector;

        private Builder() {
        }

        private Builder(BundleDeploymentOptions o) {
            yaml = o.yaml;
            kustomize = o.kustomize;
            defaultNamespace = o.defaultNamespace;
            namespace = o.namespace;
            helm = o.helm;
            serviceAccount = o.serviceAccount;
            createNamespace = o.createNamespace;
            forceSyncGeneration = o.forceSyncGeneration;
            diff = o.diff;
            keepResources = o.keepResources;
            deleteNamespace = o.deleteNamespace;
            ignore = o.ignore;
            correctDrift = o.correctDrift;
            namespaceLabels = o.namespaceLabels;
            namespaceAnnotations = o.namespaceAnnotations;
            deleteCRDResources = o.deleteCRDResources;
            downstreamResources = o.downstreamResources;
            overwrites = o.overwrites;
            allowedTargetNamespaceSelector = o.allowedTargetNamespaceSelector;
        }

        public Builder yaml(YamlOptions v) { yaml = v; return this; }
        public Builder kustomize(KustomizeOptions v) { kustomize = v; return this; }
        public Builder defaultNamespace(String v) { defaultNamespace = v; return this; }
        public Builder namespace(String v) { namespace = v; return this; }
        public Builder helm(HelmOptions v) { helm = v; return this; }
        public Builder serviceAccount(String v) { serviceAccount = v; return this; }
        public Builder createNamespace(Boolean v) { createNamespace = v; return this; }
        public Builder forceSyncGeneration(long v) { forceSyncGeneration = v; return this; }
        public Builder diff(DiffOptions v) { diff = v; return this; }
        public Builder keepResources(Boolean v) { keepResources = v; return this; }
        public Builder deleteNamespace(boolean v) { deleteNamespace = v; return this; }
        public Builder ignore(IgnoreOptions v) { ignore = v; return this; }
        public Builder correctDrift(CorrectDrift v) { correctDrift = v; return this; }
        public Builder namespaceLabels(Map<String, String> v) { namespaceLabels = v; return this; }
        public Builder namespaceAnnotations(Map<String, String> v) { namespaceAnnotations = v; return this; }
        public Builder deleteCRDResources(boolean v) { deleteCRDResources = v; return this; }
        public Builder downstreamResources(List<DownstreamResource> v) { downstreamResources = v; return this; }
        public Builder overwrites(Object v) { overwrites = v; return this; }
        public Builder allowedTargetNamespaceSelector(LabelSelectorSpec v) {
            allowedTargetNamespaceSelector = v;
            return this;
        }

        public BundleDeploymentOptions build() {
            return new BundleDeploymentOptions(yaml, kustomize, defaultNamespace, namespace, helm, serviceAccount,
                    createNamespace, forceSyncGeneration, diff, keepResources, deleteNamespace, ignore, correctDrift,
                    namespaceLabels, namespaceAnnotations, deleteCRDResources, downstreamResources, overwrites,
                    allowedTargetNamespaceSelector);
        }
    }
}
