package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "user-token", mixinStandardHelpOptions = true,
        description = "Bearer tokens for people and tools (REST, SSE, status stream), role admin or viewer. Admin only.",
        subcommands = {UserTokenCommand.Create.class, UserTokenCommand.ListTokens.class, UserTokenCommand.Revoke.class})
final class UserTokenCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user token and print it (this is the only time it is shown; only its hash is kept).")
    static final class Create implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", description = "Token name (who or what uses it, e.g. ci or dashboard).")
        String name;

        @Option(names = "--role", defaultValue = "viewer", description = "admin or viewer (default: ${DEFAULT-VALUE}): "
                + "viewers read everything but Secrets and tokens, and write nothing.")
        String role;

        @Option(names = "--ttl", description = "Expire after this long (e.g. 720h); default: never.")
        String ttl;

        @Override
        public Integer call() {
            ObjectNode body = Json.object().put("name", name).put("role", role);
            if (ttl != null) {
                body.put("ttl", ttl);
            }
            try {
                ObjectNode created = server.client().send("POST", "/auth/v1/usertokens", body);
                System.out.println(Json.text(created, "token"));
                System.err.println("user token " + name + " (role " + Json.text(created, "role") + ")"
                        + (created.hasNonNull("expiresAt") ? " expires at " + Json.text(created, "expiresAt") : "")
                        + "; it is not shown again. Use it as FLOTILLA_TOKEN or 'Authorization: Bearer <token>'.");
                return 0;
            } catch (ApiClient.ApiFailure e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List user tokens (names and roles, never the tokens).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Override
        public Integer call() {
            try {
                ObjectNode answer = server.client().send("GET", "/auth/v1/usertokens", null);
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("NAME", "ROLE", "CREATED", "EXPIRES"));
                for (JsonNode t : answer.path("items")) {
                    rows.add(List.of(t.path("name").asText(), t.path("role").asText(), t.path("createdAt").asText(""),
                            t.path("expiresAt").asText("never")));
                }
                System.out.print(Tables.render(rows));
                return 0;
            } catch (ApiClient.ApiFailure e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a user token: requests with it are refused at once.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", description = "Token name.")
        String name;

        @Override
        public Integer call() {
            try {
                server.client().send("DELETE", "/auth/v1/usertokens/" + name, null);
                System.err.println("user token " + name + " revoked");
                return 0;
            } catch (ApiClient.ApiFailure e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }
    }
}
