package io.flotilla.bundle.reader;

import io.flotilla.bundle.fleetyaml.FleetYaml;
import io.flotilla.bundle.options.BundleResource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One bundle read from a checkout.
 *
 * @param name             the bundle name (§2.4)
 * @param dir              the bundle directory relative to the checkout root ({@code .} for the root)
 * @param fleetYamlPath    the options file (fleet.yaml, fleet.yml or a driven-scan options file) relative
 *                         to the checkout root, or null when there is none
 * @param fleetYamlContent its bytes, or null
 * @param fleetYaml        the parsed options file (all defaults when there is none), with the values files
 *                         merged into {@code helm.values} as Fleet does at read time (§2.5)
 * @param resources        the bundle's files, sorted by name (§2.3)
 * @param labels           GitRepo labels, {@code flotilla.io/repo-name}, {@code flotilla.io/commit}, then
 *                         the fleet.yaml {@code labels:} (which win on conflict)
 * @param contentId        Fleet's manifestID of the resources (§5.4)
 * @param valuesFiles      the helm values files the fleet.yaml names (bundle and targets), by the path
 *                         written there, with their UTF-8 text; they are not among the resources
 */
public record ScannedBundle(
        String name,
        Path dir,
        Path fleetYamlPath,
        byte[] fleetYamlContent,
        FleetYaml fleetYaml,
        List<BundleResource> resources,
        Map<String, String> labels,
        String contentId,
        Map<String, String> valuesFiles) {

    public ScannedBundle {
        resources = List.copyOf(resources);
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        fleetYamlContent = fleetYamlContent == null ? null : fleetYamlContent.clone();
        valuesFiles = Collections.unmodifiableMap(new LinkedHashMap<>(valuesFiles));
    }

    @Override
    public byte[] fleetYamlContent() {
        return fleetYamlContent == null ? null : fleetYamlContent.clone();
    }

    /** Sum of the resources' original sizes in bytes. */
    public long size() {
        return resources.stream().mapToLong(r -> ContentEncoding.decode(r).length).sum();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScannedBundle other)) {
            return false;
        }
        return name.equals(other.name) && dir.equals(other.dir) && Objects.equals(fleetYamlPath, other.fleetYamlPath)
                && Arrays.equals(fleetYamlContent, other.fleetYamlContent) && fleetYaml.equals(other.fleetYaml)
                && resources.equals(other.resources)
                && labels.equals(other.labels) && contentId.equals(other.contentId)
                && valuesFiles.equals(other.valuesFiles);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dir, fleetYamlPath, Arrays.hashCode(fleetYamlContent), fleetYaml, resources, labels,
                contentId, valuesFiles);
    }

    @Override
    public String toString() {
        return "ScannedBundle[name=" + name + ", dir=" + dir + ", fleetYamlPath=" + fleetYamlPath
                + ", resources=" + resources.stream().map(BundleResource::name).toList()
                + ", labels=" + labels + ", contentId=" + contentId + "]";
    }
}
