package io.flotilla.bundle.options;

import io.flotilla.bundle.options.BundleDeploymentOptions.ComparePatch;
import io.flotilla.bundle.options.BundleDeploymentOptions.DiffOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.DownstreamResource;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.KeySelector;
import io.flotilla.bundle.options.BundleDeploymentOptions.KustomizeOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.ValuesFrom;
import io.flotilla.bundle.options.BundleDeploymentOptions.YamlOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Fleet's {@code Merge(base, custom)} of deployment options (fleet-semantics §3.7), with two deliberate fixes
 * recorded in docs/fleet-compatibility.md:
 * <ul>
 *   <li>{@code "-"} in {@code defaultNamespace}, {@code namespace} or {@code serviceAccount} of {@code custom}
 *       clears the field (Fleet copies it literally, §9 item 10);</li>
 *   <li>{@code keepResources} and the helm flags {@code force}, {@code atomic}, {@code takeOwnership},
 *       {@code disablePreProcess}, {@code waitForJobs}, {@code disableDNS} take {@code custom}'s value when it is
 *       set, so an explicit {@code false} switches them off; unset keeps {@code base} (Fleet ORs them, §9 item 11).
 *       For every input Fleet can express (unset or {@code true}) the result equals Fleet's.</li>
 * </ul>
 * Pure: the inputs are immutable records and are never modified.
 */
public final class OptionsMerge {

    /** Written in a customization's namespace or service account to clear the inherited value. */
    public static final String CLEAR = "-";

    private OptionsMerge() {
    }

    public static BundleDeploymentOptions merge(BundleDeploymentOptions base, BundleDeploymentOptions custom) {
        Objects.requireNonNull(base, "base options");
        Objects.requireNonNull(custom, "custom options");
        BundleDeploymentOptions.Builder result = base.toBuilder()
                .defaultNamespace(overrideOrClear(base.defaultNamespace(), custom.defaultNamespace()))
                .namespace(overrideOrClear(base.namespace(), custom.namespace()))
                .serviceAccount(overrideOrClear(base.serviceAccount(), custom.serviceAccount()));
        if (custom.helm() != null) {
            result.helm(mergeHelm(base.helm() == null ? HelmOptions.empty() : base.helm(), custom.helm()));
        }
        if (custom.kustomize() != null) {
            String baseDir = base.kustomize() == null ? null : base.kustomize().dir();
            result.kustomize(new KustomizeOptions(override(baseDir, custom.kustomize().dir())));
        }
        if (custom.diff() != null) {
            List<ComparePatch> basePatches = base.diff() == null ? null : base.diff().comparePatches();
            result.diff(new DiffOptions(
                    byKey(basePatches, custom.diff().comparePatches(), OptionsMerge::comparePatchKey)));
        }
        if (custom.yaml() != null) {
            List<String> baseOverlays = base.yaml() == null ? null : base.yaml().overlays();
            result.yaml(new YamlOptions(concat(baseOverlays, custom.yaml().overlays())));
        }
        if (custom.forceSyncGeneration() > 0) {
            result.forceSyncGeneration(custom.forceSyncGeneration());
        }
        result.keepResources(overrideFlag(base.keepResources(), custom.keepResources()));
        if (custom.correctDrift() != null) {
            result.correctDrift(custom.correctDrift());
        }
        if (custom.downstreamResources() != null && !custom.downstreamResources().isEmpty()) {
            result.downstreamResources(byKey(base.downstreamResources(), custom.downstreamResources(),
                    OptionsMerge::downstreamResourceKey));
        }
        return result.build();
    }

    private static HelmOptions mergeHelm(HelmOptions base, HelmOptions custom) {
        HelmOptions.Builder result = base.toBuilder();
        if (custom.timeoutSeconds() > 0) {
            result.timeoutSeconds(custom.timeoutSeconds());
        } else if (custom.timeoutSeconds() < 0) {
            result.timeoutSeconds(0);
        }
        if (base.values() == null) {
            result.values(custom.values());
        } else if (custom.values() != null) {
            result.values(HelmValues.deepMerge(base.values(), custom.values()));
        }
        if (base.templateValues() == null) {
            result.templateValues(custom.templateValues());
        } else if (custom.templateValues() != null) {
            Map<String, String> merged = new LinkedHashMap<>(base.templateValues());
            merged.putAll(custom.templateValues());
            result.templateValues(merged);
        }
        if (custom.valuesFrom() != null && !custom.valuesFrom().isEmpty()) {
            result.valuesFrom(byKey(base.valuesFrom(), custom.valuesFrom(), OptionsMerge::valuesFromKey));
        }
        return result
                .repo(override(base.repo(), custom.repo()))
                .chart(override(base.chart(), custom.chart()))
                .version(override(base.version(), custom.version()))
                .releaseName(override(base.releaseName(), custom.releaseName()))
                .force(overrideFlag(base.force(), custom.force()))
                .atomic(overrideFlag(base.atomic(), custom.atomic()))
                .takeOwnership(overrideFlag(base.takeOwnership(), custom.takeOwnership()))
                .disablePreProcess(overrideFlag(base.disablePreProcess(), custom.disablePreProcess()))
                .waitForJobs(overrideFlag(base.waitForJobs(), custom.waitForJobs()))
                .disableDNS(overrideFlag(base.disableDNS(), custom.disableDNS()))
                .build();
    }

    private static String override(String base, String custom) {
        return custom == null || custom.isEmpty() ? base : custom;
    }

    private static String overrideOrClear(String base, String custom) {
        return CLEAR.equals(custom) ? null : override(base, custom);
    }

    private static Boolean overrideFlag(Boolean base, Boolean custom) {
        return custom != null ? custom : base;
    }

    private static <T> List<T> concat(List<T> base, List<T> custom) {
        if (base == null && custom == null) {
            return null;
        }
        List<T> result = new ArrayList<>(base == null ? List.of() : base);
        if (custom != null) {
            result.addAll(custom);
        }
        return result;
    }

    /**
     * Fleet's merge-by-key: a custom entry whose key matches a base entry replaces it in place (the last base
     * entry with that key), other custom entries are appended, entries without a key are always appended,
     * and of several custom entries with one key only the first counts.
     */
    private static <T> List<T> byKey(List<T> base, List<T> custom, Function<T, String> key) {
        if (custom == null || custom.isEmpty()) {
            return base;
        }
        List<T> result = new ArrayList<>(base == null ? List.of() : base);
        Map<String, Integer> baseIndex = new HashMap<>();
        for (int i = 0; i < result.size(); i++) {
            String k = key.apply(result.get(i));
            if (!k.isEmpty()) {
                baseIndex.put(k, i);
            }
        }
        Set<String> seen = new HashSet<>();
        for (T entry : custom) {
            String k = key.apply(entry);
            if (!k.isEmpty()) {
                if (!seen.add(k)) {
                    continue;
                }
                Integer index = baseIndex.get(k);
                if (index != null) {
                    result.set(index, entry);
                    continue;
                }
            }
            result.add(entry);
        }
        return result;
    }

    static String valuesFromKey(ValuesFrom v) {
        if (v.configMapKeyRef() != null) {
            return "configmap|" + selectorKey(v.configMapKeyRef());
        }
        if (v.secretKeyRef() != null) {
            return "secret|" + selectorKey(v.secretKeyRef());
        }
        return "";
    }

    private static String selectorKey(KeySelector s) {
        return nz(s.namespace()) + "|" + nz(s.name()) + "|" + nz(s.key());
    }

    static String comparePatchKey(ComparePatch p) {
        return nz(p.apiVersion()) + "|" + nz(p.kind()) + "|" + nz(p.namespace()) + "|" + nz(p.name());
    }

    static String downstreamResourceKey(DownstreamResource r) {
        return nz(r.kind()).toLowerCase(Locale.ROOT) + "|" + nz(r.name());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
