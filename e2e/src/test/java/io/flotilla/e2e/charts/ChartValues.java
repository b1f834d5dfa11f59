package io.flotilla.e2e.charts;

/** The values the chart tests render with: what users set, beyond the defaults. */
final class ChartValues {
    static final String MANAGER_NS = "flotilla-system";
    static final String AGENT_NS = "flotilla-system";

    /** The agent chart has no usable defaults: it must be told where the manager is and who it is. */
    static final String AGENT_MINIMAL = """
            managerURL: https://flotilla.example.com:8443
            clusterName: edge-1
            token: flotilla-token.fleet-default.agents.s3cr3t
            """;

    static final String MANAGER_CUSTOM = """
            replicas: 2
            image: {repository: registry.example.com/flotilla/flotilla, tag: "0.1.0-rc1", pullPolicy: Always}
            imagePullSecrets: [{name: registry-credentials}]
            crds: {install: true}
            leaderElection: {leaseName: flotilla-leader, leaseDuration: 30s, renewDeadline: 20s, retryPeriod: 5s}
            tls: {secretName: flotilla-tls}
            service: {type: LoadBalancer, port: 8443, loadBalancerSourceRanges: [10.0.0.0/8]}
            extraArgs: [--offline-timeout=30s, --heartbeat-interval=10s]
            extraEnv: [{name: TZ, value: UTC}]
            resources: {requests: {cpu: "1", memory: 1Gi}, limits: {memory: 2Gi}}
            nodeSelector: {node-role.kubernetes.io/control-plane: ""}
            tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
            affinity:
              podAntiAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 100
                  podAffinityTerm:
                    topologyKey: kubernetes.io/hostname
                    labelSelector: {matchLabels: {app.kubernetes.io/name: flotilla}}
            podAnnotations: {prometheus.io/scrape: "true"}
            priorityClassName: system-cluster-critical
            """;

    static final String AGENT_CUSTOM = """
            managerURL: https://flotilla.example.com:8443
            clusterName: edge-2
            clusterLabels: {env: prod, region: eu-west}
            existingSecret: agent-registration
            existingSecretKey: value
            image: {repository: registry.example.com/flotilla/flotilla, tag: "0.1.0-rc1"}
            rbac:
              restricted:
                enabled: true
                namespaces: [apps, web]
            extraEnv: [{name: HTTPS_PROXY, value: "http://proxy.example.com:3128"}]
            extraVolumes: [{name: manager-ca, configMap: {name: flotilla-manager-ca}}]
            extraVolumeMounts: [{name: manager-ca, mountPath: /etc/flotilla/ca, readOnly: true}]
            resources: {requests: {cpu: 100m, memory: 256Mi}, limits: {memory: 384Mi}}
            nodeSelector: {kubernetes.io/os: linux}
            tolerations: [{key: edge, operator: Equal, value: "true", effect: NoExecute}]
            metrics: {enabled: true, port: 9102}
            """;

    private ChartValues() {
    }
}
