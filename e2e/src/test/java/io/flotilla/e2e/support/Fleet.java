package io.flotilla.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.agent.Agent;
import io.flotilla.agent.AgentConfig;
import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.targeting.ClusterNamespaces;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An in-process fleet for end-to-end tests: a manager on loopback, a git daemon, and per cluster a real
 * kube-apiserver (or a k3s) with a real agent registered against the manager.
 */
public final class Fleet implements AutoCloseable {
    public static final String NS = "fleet-default";
    public final Manager manager;
    public final GitDaemonServer git;
    public final RestClient rest;
    public final Map<String, DownstreamCluster> clusters = new LinkedHashMap<>();
    public final Map<String, Agent> agents = new LinkedHashMap<>();
    private final Path dir;
    private final String token;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public Fleet(Path dir) throws Exception {
        this.dir = dir;
        manager = Manager.start(ManagerConfig.defaults(dir.resolve("data"), "127.0.0.1", 0)
                        .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500))
                        .withGitAccess(io.flotilla.manager.git.GitAccessPolicy.allowingLoopback())) // the git daemon is on 127.0.0.1
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        git = new GitDaemonServer(dir.resolve("origin"));
        rest = RestClient.of(manager.adminConfigFile());
        RestClient.Reply t = rest.call("POST", "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/clusterregistrationtokens",
                "{\"metadata\":{\"name\":\"e2e\"}}");
        token = t.body().path("status").path("token").asText();
    }

    /** A downstream cluster on a real kube-apiserver of its own, with an in-process agent registered for it. */
    public KubeCluster addCluster(String name, Map<String, String> labels) throws Exception {
        KubeCluster cluster = new KubeCluster(name, dir);
        addCluster(name, labels, cluster);
        return cluster;
    }

    /** Registers an agent for an existing downstream cluster (e.g. a k3s container). */
    public void addCluster(String name, Map<String, String> labels, DownstreamCluster cluster) throws Exception {
        clusters.put(name, cluster);
        agents.put(name, startAgent(name, labels));
    }

    /** A cluster (real kube-apiserver) whose agent the test runs itself (e.g. as a child JVM it can kill). */
    public KubeCluster addKubeCluster(String name) throws Exception {
        KubeCluster cluster = new KubeCluster(name, dir);
        clusters.put(name, cluster);
        return cluster;
    }

    public String token() {
        return token;
    }

    /** Agents started from now on serve Prometheus metrics here ({@code HOST:PORT}; null: none). */
    public String agentMetricsListen;

    public Agent startAgent(String name, Map<String, String> labels) throws Exception {
        return Agent.start(new AgentConfig(managerUrl(), token, name, labels,
                clusters.get(name).kubeconfig(), dir.resolve("agent-" + name), Duration.ofSeconds(2))
                        .withMetricsListen(agentMetricsListen))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** The URL agents and the CLI reach the manager at (https unless the manager serves cleartext). */
    public URI managerUrl() throws java.io.IOException {
        return URI.create(rest.config().server());
    }

    public void stopAgent(String name) throws Exception {
        Agent agent = agents.remove(name);
        if (agent != null) {
            agent.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    public void createGitRepo(String name, String targetsJson) throws Exception {
        RestClient.Reply r = rest.call("POST", "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/gitrepos",
                "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"repo\":\"" + git.url() + "\",\"branch\":\"main\","
                        + "\"pollingInterval\":\"1s\",\"targets\":" + targetsJson + "}}");
        if (r.code() != 201) {
            throw new IllegalStateException("GitRepo not created: " + r.body());
        }
    }

    /** The stored BD of {@code bundle} on {@code cluster}, or null. */
    public JsonNode bd(String bundle, String cluster) {
        return manager.store().get(new ObjectKey(Kind.BUNDLE_DEPLOYMENT, ClusterNamespaces.of(NS, cluster), bundle))
                .map(o -> (JsonNode) o).orElse(null);
    }

    public ObjectNode object(Kind kind, String name) {
        return manager.store().get(new ObjectKey(kind, NS, name)).orElseThrow();
    }

    /** Read-modify-write as a client does: retried when the manager wrote the Cluster's status in between. */
    public void relabel(String cluster, Map<String, String> labels) {
        for (int attempt = 0; ; attempt++) {
            ObjectNode c = object(Kind.CLUSTER, cluster);
            Json.metadata(c).set("labels", Json.MAPPER.valueToTree(labels));
            try {
                manager.store().update(c);
                return;
            } catch (io.flotilla.manager.store.StoreException.Conflict e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (String a : new ArrayList<>(agents.keySet())) {
            stopAgent(a);
        }
        manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        git.close();
        clusters.values().forEach(DownstreamCluster::close);
    }
}
