package io.flotilla.e2e.support;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;

/** A Kubernetes API an agent deploys to in a test: fabric8's CRUD mock server or a real k3s. */
public interface DownstreamCluster extends AutoCloseable {
    Path kubeconfig();

    KubernetesClient client();

    @Override
    void close();
}
