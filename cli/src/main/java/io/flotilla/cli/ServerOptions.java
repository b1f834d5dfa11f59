package io.flotilla.cli;

import io.flotilla.manager.security.ClientConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Options every admin command shares. */
final class ServerOptions {
    @Option(names = "--server", description = "Manager URL (default: env FLOTILLA_SERVER, else the client config's server, "
            + "else https://127.0.0.1:8080).")
    URI server;

    @Option(names = "--config", description = "Client config: server URL, token and CA (default: env FLOTILLA_CONFIG or "
            + "~/.flotilla/config, written by 'flotilla manager' on its first start). The token may also come from env "
            + "FLOTILLA_TOKEN.")
    Path config;

    @Option(names = {"-n", "--namespace"}, defaultValue = "fleet-default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    ApiClient client() {
        return new ApiClient(settings());
    }

    ClientSettings settings() {
        return ClientSettings.resolve(server, config);
    }

    /**
     * Where and as whom a command talks to the manager: flags, then environment, then the client config.
     *
     * @param source the client config file used, or null
     */
    record ClientSettings(URI server, String token, String caPem, Path source) {
        static final String DEFAULT_SERVER = "https://127.0.0.1:8080";

        static ClientSettings resolve(URI serverFlag, Path configFlag) {
            Path file = configFlag != null ? configFlag : ClientConfig.defaultPath();
            ClientConfig config = null;
            if (Files.exists(file)) {
                try {
                    config = ClientConfig.load(file);
                } catch (IOException e) {
                    throw new ApiClient.ApiFailure(0, e.getMessage());
                }
            } else if (configFlag != null) {
                throw new ApiClient.ApiFailure(0, "client config " + file + " does not exist");
            }
            String envServer = System.getenv(ClientConfig.ENV_SERVER);
            URI server = serverFlag != null ? serverFlag
                    : envServer != null && !envServer.isBlank() ? URI.create(envServer)
                    : config != null && config.server() != null ? URI.create(config.server())
                    : URI.create(DEFAULT_SERVER);
            String envToken = System.getenv(ClientConfig.ENV_TOKEN);
            String token = envToken != null && !envToken.isBlank() ? envToken.trim() : config == null ? null : config.token();
            return new ClientSettings(server, token, config == null ? null : config.caPem(), config == null ? null : file);
        }

        /** Never print the token. */
        @Override
        public String toString() {
            return "ClientSettings[server=" + server + ", config=" + source + "]";
        }
    }
}
