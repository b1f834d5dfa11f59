package io.flotilla.cli;

import io.flotilla.manager.api.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an object.")
final class DeleteCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "Kind: gitrepos, clusters, clustergroups, tokens.")
    String kind;

    @Parameters(index = "1", description = "Name.")
    String name;

    @Override
    public Integer call() {
        try {
            Kind k = ApiClient.kind(kind);
            server.client().send("DELETE", ApiClient.path(k, server.namespace, name), null);
            System.out.println(k.plural() + "/" + name + " deleted");
            return 0;
        } catch (IllegalArgumentException | ApiClient.ApiFailure e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
