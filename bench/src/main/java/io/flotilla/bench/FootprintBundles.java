package io.flotilla.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bundles of {@code agent-footprint}: each directory deploys 10 small objects into its own namespace
 * (6 ConfigMaps, 1 Secret, a ClusterIP and a headless Service, 1 Deployment) as raw YAML; {@link #toHelm} turns
 * one into a local Helm chart of the same 10 objects.
 */
final class FootprintBundles implements LocalGitServer.BundleWriter {
    static final int OBJECTS_PER_BUNDLE = 10;
    private static final String PAYLOAD = "x".repeat(200);

    @Override
    public void write(int b, Path dir) throws IOException {
        String bundle = LocalGitServer.bundleDir(b);
        // A directory is a bundle of its own only with a fleet.yaml (Fleet's scan rule).
        Files.writeString(dir.resolve("fleet.yaml"), "defaultNamespace: footprint-" + bundle + "\n");
        Files.writeString(dir.resolve("objects.yaml"), objects(bundle, "\"" + PAYLOAD + "\"", "1"));
    }

    /** Replaces a bundle's raw YAML with a local Helm chart rendering the same kinds of objects. */
    static void toHelm(int b, Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("objects.yaml"));
        Files.writeString(dir.resolve("Chart.yaml"), """
                apiVersion: v2
                name: footprint
                description: ten small objects
                version: 0.1.0
                """);
        Files.writeString(dir.resolve("values.yaml"), "replicas: 1\npayload: \"" + PAYLOAD + "\"\n");
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/objects.yaml"),
                objects("{{ .Release.Name }}", "{{ .Values.payload | quote }}", "{{ .Values.replicas }}"));
    }

    /** Ten objects; {@code prefix}, {@code payload} and {@code replicas} are YAML (or Helm template) snippets. */
    private static String objects(String prefix, String payload, String replicas) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            yaml.append("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: %s-config-%d
                    data:
                      index: "%d"
                      payload: %s
                    ---
                    """.formatted(prefix, i, i, payload));
        }
        yaml.append("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: %1$s-secret
                type: Opaque
                data:
                  password: bm90LWEtc2VjcmV0
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s-web
                spec:
                  selector:
                    app: %1$s-web
                  ports:
                  - name: http
                    port: 80
                    targetPort: 8080
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s-web-headless
                spec:
                  clusterIP: None
                  selector:
                    app: %1$s-web
                  ports:
                  - name: http
                    port: 8080
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s-web
                spec:
                  replicas: %2$s
                  selector:
                    matchLabels:
                      app: %1$s-web
                  template:
                    metadata:
                      labels:
                        app: %1$s-web
                    spec:
                      containers:
                      - name: web
                        image: registry.invalid/footprint/web:1.0
                        ports:
                        - containerPort: 8080
                        resources:
                          requests:
                            cpu: 10m
                            memory: 16Mi
                """.formatted(prefix, replicas));
        return yaml.toString();
    }
}
