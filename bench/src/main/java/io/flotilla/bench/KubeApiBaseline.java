package io.flotilla.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.flotilla.manager.store.kube.BundledCrds;
import io.flotilla.manager.store.kube.KubernetesStore;
import io.flotilla.testkit.KubeApiServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the API server alone can do on this machine: the 2,500 BundleDeployments of 50 × 50 (the shape the manager
 * writes), created by a plain fabric8 client with the manager's write concurrency, then each given a status as an
 * agent's report does. No manager, no agents: the floor under kube-50x50's delivery time.
 */
final class KubeApiBaseline {
    private static final ResourceDefinitionContext BDS = new ResourceDefinitionContext.Builder().withGroup("flotilla.io")
            .withVersion("v1alpha1").withKind("BundleDeployment").withPlural("bundledeployments").withNamespaced(true).build();

    private KubeApiBaseline() {
    }

    /** {create ms, create + status ms} for {@code clusters × bundles} BDs with {@code concurrency} writers. */
    static double[] measure(int clusters, int bundles, int concurrency) throws Exception {
        Path dir = Files.createTempDirectory("flotilla-bench-kube-baseline");
        try (KubeApiServer kube = KubeApiServer.start("baseline", dir.resolve("kube"))) {
            KubernetesClient client = kube.client();
            KubernetesStore.open(client, BundledCrds.load(), 4).close(); // installs the CRDs and waits for them
            for (int c = 0; c < clusters; c++) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns(c)).endMetadata().build())
                        .create();
            }
            ExecutorService writers = Executors.newFixedThreadPool(concurrency);
            try {
                long start = System.nanoTime();
                List<GenericKubernetesResource> created = run(writers, clusters, bundles, (c, b) ->
                        client.genericKubernetesResources(BDS).inNamespace(ns(c)).resource(bd(c, b)).create());
                double createMs = (System.nanoTime() - start) / 1e6;
                int[] i = {0};
                run(writers, clusters, bundles, (c, b) -> {
                    GenericKubernetesResource bd = created.get(c * bundles + b);
                    bd.getAdditionalProperties().put("status", Map.of("appliedDeploymentID", "v1:abc", "ready", true,
                            "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
                    return client.genericKubernetesResources(BDS).inNamespace(ns(c)).resource(bd).updateStatus();
                });
                return new double[] {createMs, (System.nanoTime() - start) / 1e6};
            } finally {
                writers.shutdownNow();
            }
        } finally {
            BenchManager.deleteTree(dir);
        }
    }

    private interface Write {
        GenericKubernetesResource apply(int cluster, int bundle);
    }

    private static List<GenericKubernetesResource> run(ExecutorService writers, int clusters, int bundles, Write write)
            throws Exception {
        List<Future<GenericKubernetesResource>> futures = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            for (int b = 0; b < bundles; b++) {
                int cc = c;
                int bb = b;
                futures.add(writers.submit(() -> write.apply(cc, bb)));
            }
        }
        List<GenericKubernetesResource> results = new ArrayList<>();
        for (Future<GenericKubernetesResource> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    private static String ns(int cluster) {
        return "cluster-fleet-default-c" + cluster;
    }

    private static GenericKubernetesResource bd(int cluster, int bundle) {
        GenericKubernetesResource bd = new GenericKubernetesResource();
        bd.setApiVersion("flotilla.io/v1alpha1");
        bd.setKind("BundleDeployment");
        bd.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("fleet-b" + bundle)
                .withNamespace(ns(cluster)).withLabels(Map.of("flotilla.io/bundle-name", "fleet-b" + bundle,
                        "flotilla.io/bundle-namespace", "fleet-default", "flotilla.io/repo-name", "fleet")).build());
        bd.getAdditionalProperties().put("spec", Map.of("deploymentID", "s-abc:" + bundle, "stagedDeploymentID", "s-abc:" + bundle,
                "contentId", "s-abc", "options", Map.of("defaultNamespace", "app" + bundle),
                "stagedOptions", Map.of("defaultNamespace", "app" + bundle)));
        return bd;
    }
}
