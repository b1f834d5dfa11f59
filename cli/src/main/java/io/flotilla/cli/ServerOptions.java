package io.flotilla.cli;

import picocli.CommandLine.Option;

import java.net.URI;

/** Options every admin command shares. */
final class ServerOptions {
    @Option(names = "--server", defaultValue = "${env:FLOTILLA_SERVER:-http://127.0.0.1:8080}",
            description = "Manager URL (default: env FLOTILLA_SERVER or ${DEFAULT-VALUE}).")
    URI server;

    @Option(names = {"-n", "--namespace"}, defaultValue = "fleet-default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    ApiClient client() {
        return new ApiClient(server);
    }
}
