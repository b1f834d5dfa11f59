package io.flotilla.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Cluster registration tokens.",
        subcommands = TokenCommand.Create.class)
final class TokenCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a registration token and print it (this is the only time it is shown).")
    static final class Create implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", description = "Token name.")
        String name;

        @Option(names = "--ttl", defaultValue = "12h", description = "How long the token can be used (default: ${DEFAULT-VALUE}).")
        String ttl;

        @Override
        public Integer call() {
            ObjectNode token = Json.newObject(Kind.CLUSTER_REGISTRATION_TOKEN, server.namespace, name);
            token.putObject("spec").put("ttl", ttl);
            try {
                ObjectNode created = server.client().send("POST",
                        ApiClient.path(Kind.CLUSTER_REGISTRATION_TOKEN, server.namespace, null), token);
                System.out.println(Json.text(created.path("status"), "token"));
                System.err.println("token " + server.namespace + "/" + name + " expires at "
                        + Json.text(created.path("status"), "expiresAt") + "; it is not shown again");
                return 0;
            } catch (ApiClient.ApiFailure e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }
    }
}
