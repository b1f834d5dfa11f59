package io.flotilla.bundle.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flotilla.bundle.options.BundleResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to prune after a scan (§2.7): every existing bundle of the GitRepo whose name the scan no longer
 * produced is deleted, and each object (same kind, name and namespace, read from a resource with the same file
 * name) that such a bundle shares with a new bundle is recorded in that new bundle's {@code overwrites}, so the
 * agent reinstalls it after the old bundle's removal.
 *
 * @param delete     names of the existing bundles to delete, in the order given
 * @param overwrites new bundle name → the objects it takes over; bundles without any are absent
 */
public record PrunePlan(List<String> delete, Map<String, List<OverwrittenResource>> overwrites) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern TEMPLATE_ACTION = Pattern.compile("\\{\\{[^}]+}}");

    /** A bundle already stored for the GitRepo (selected by its {@code flotilla.io/repo-name} label). */
    public record ExistingBundle(String name, List<BundleResource> resources) {
        public ExistingBundle {
            resources = List.copyOf(resources);
        }
    }

    public PrunePlan {
        delete = List.copyOf(delete);
        overwrites = Map.copyOf(overwrites);
    }

    /**
     * @param existing the GitRepo's stored bundles
     * @param scanned  the bundles the scan just produced
     */
    public static PrunePlan of(List<ExistingBundle> existing, List<ScannedBundle> scanned) {
        Set<String> fresh = new LinkedHashSet<>();
        scanned.forEach(b -> fresh.add(b.name()));
        List<String> delete = new ArrayList<>();
        Map<String, Set<OverwrittenResource>> shared = new LinkedHashMap<>();
        for (ExistingBundle old : existing) {
            if (fresh.contains(old.name())) {
                continue;
            }
            delete.add(old.name());
            for (BundleResource oldResource : old.resources()) {
                Optional<OverwrittenResource> oldObject = objectOf(oldResource);
                if (oldObject.isEmpty()) {
                    continue;
                }
                for (ScannedBundle bundle : scanned) {
                    for (BundleResource resource : bundle.resources()) {
                        if (resource.name().equals(oldResource.name())
                                && objectOf(resource).equals(oldObject)) {
                            shared.computeIfAbsent(bundle.name(), k -> new LinkedHashSet<>()).add(oldObject.get());
                        }
                    }
                }
            }
        }
        Map<String, List<OverwrittenResource>> overwrites = new LinkedHashMap<>();
        shared.forEach((name, objects) -> overwrites.put(name, List.copyOf(objects)));
        return new PrunePlan(delete, overwrites);
    }

    /**
     * Kind, name and namespace of the first YAML document of a resource, with template actions blanked out as
     * Fleet does; empty for files that are not Kubernetes objects (no kind) or do not parse.
     */
    static Optional<OverwrittenResource> objectOf(BundleResource resource) {
        String text;
        try {
            text = new String(ContentEncoding.decode(resource), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = YAML.readTree(TEMPLATE_ACTION.matcher(text).replaceAll("TEMPLATED"));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject() || root.path("kind").asText("").isEmpty()) {
            return Optional.empty();
        }
        JsonNode metadata = root.path("metadata");
        return Optional.of(new OverwrittenResource(root.path("kind").asText(),
                metadata.path("name").asText(""), metadata.path("namespace").asText("")));
    }
}
