package io.flotilla.manager.api;

import java.util.Arrays;
import java.util.Optional;

/** The object kinds of the {@code flotilla.io/v1alpha1} API, with their REST plurals. */
public enum Kind {
    GIT_REPO("GitRepo", "gitrepos", true),
    BUNDLE("Bundle", "bundles", false),
    BUNDLE_DEPLOYMENT("BundleDeployment", "bundledeployments", false),
    CLUSTER("Cluster", "clusters", true),
    CLUSTER_GROUP("ClusterGroup", "clustergroups", true),
    CLUSTER_REGISTRATION_TOKEN("ClusterRegistrationToken", "clusterregistrationtokens", true),
    GIT_REPO_RESTRICTION("GitRepoRestriction", "gitreporestrictions", true),
    SECRET("Secret", "secrets", true);

    public static final String GROUP = "flotilla.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    private final String kindName;
    private final String plural;
    private final boolean userWritable;

    Kind(String kindName, String plural, boolean userWritable) {
        this.kindName = kindName;
        this.plural = plural;
        this.userWritable = userWritable;
    }

    /** The {@code kind} field value, e.g. {@code GitRepo}. */
    public String kindName() {
        return kindName;
    }

    /** The REST path segment, e.g. {@code gitrepos}. */
    public String plural() {
        return plural;
    }

    /** Bundles and BundleDeployments are written by the manager only; the API serves them read-only. */
    public boolean userWritable() {
        return userWritable;
    }

    /** The apiVersion objects of this kind carry ({@code v1} for Secrets, as in Kubernetes). */
    public String apiVersion() {
        return this == SECRET ? "v1" : API_VERSION;
    }

    public static Optional<Kind> byPlural(String plural) {
        return Arrays.stream(values()).filter(k -> k.plural.equals(plural)).findFirst();
    }

    public static Optional<Kind> byKindName(String kindName) {
        return Arrays.stream(values()).filter(k -> k.kindName.equals(kindName)).findFirst();
    }
}
