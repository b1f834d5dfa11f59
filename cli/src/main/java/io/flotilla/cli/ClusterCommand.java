package io.flotilla.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.registration.RegistrationService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Cluster administration.",
        subcommands = ClusterCommand.AllowReregistration.class)
final class ClusterCommand {

    @Command(name = "allow-reregistration", mixinStandardHelpOptions = true,
            description = "Let the next agent that registers with this cluster's name (and a valid registration token) "
                    + "replace its credential, e.g. after the agent lost its state dir. Once only; the old credential stops "
                    + "working when that happens.")
    static final class AllowReregistration implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", description = "Cluster name.")
        String name;

        @Override
        public Integer call() {
            String path = ApiClient.path(Kind.CLUSTER, server.namespace, name);
            try {
                ApiClient client = server.client();
                for (int attempt = 0; ; attempt++) {
                    ObjectNode cluster = client.get(path).orElseThrow(() -> new ApiClient.ApiFailure(404,
                            "cluster " + server.namespace + "/" + name + " does not exist"));
                    Json.metadata(cluster).with("annotations").put(RegistrationService.ALLOW_REREGISTRATION, "true");
                    cluster.remove("status");
                    try {
                        client.send("PUT", path, cluster);
                        System.err.println("cluster " + server.namespace + "/" + name
                                + ": the next registration under this name will replace its credential");
                        return 0;
                    } catch (ApiClient.ApiFailure e) {
                        if (e.code != 409 || attempt >= 5) {
                            throw e;
                        }
                    }
                }
            } catch (ApiClient.ApiFailure e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }
    }
}
