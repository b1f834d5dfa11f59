package io.flotilla.manager.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CustomResourceDefinitions of the {@code flotilla.io/v1alpha1} API as the manager ships them: the plain YAML
 * files of {@code charts/flotilla-crds/templates}, copied onto the class path under {@value #DIRECTORY} by the
 * build, so the manager can install or upgrade exactly what the Helm chart installs. Each document parses with
 * fabric8's {@code Serialization.unmarshal(yaml, CustomResourceDefinition.class)}.
 */
public final class CrdManifests {
    /** Class-path directory of the CRD files. */
    public static final String DIRECTORY = "flotilla-crds";
    /** Plural of the cluster-scoped kind that holds bundle contents (one object per content id). */
    public static final String CONTENTS = "contents";
    /** Every CRD, in the order they are applied (each file is {@code <plural>.flotilla.io.yaml}). */
    public static final List<String> PLURALS = List.of("gitrepos", "bundles", "bundledeployments", "clusters",
            "clustergroups", "clusterregistrationtokens", "gitreporestrictions", CONTENTS);

    private CrdManifests() {
    }

    /** {@code <plural>.flotilla.io}, the CRD's name. */
    public static String crdName(String plural) {
        return plural + ".flotilla.io";
    }

    /** The class-path resource of one CRD. */
    public static String resource(String plural) {
        return DIRECTORY + "/" + crdName(plural) + ".yaml";
    }

    /** The YAML of the CRD for {@code plural}. */
    public static String yaml(String plural) {
        String resource = resource(plural);
        try (InputStream in = CrdManifests.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("CRD " + resource + " is missing from the class path (the manager "
                        + "jar is built with charts/flotilla-crds/templates as a resource directory)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Every CRD's YAML, one document each, in {@link #PLURALS} order. */
    public static List<String> yamlDocuments() {
        return PLURALS.stream().map(CrdManifests::yaml).toList();
    }
}
