package io.flotilla.manager.registration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.store.MvStoreStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fleet's registration flow on the real embedded store: a ClusterRegistrationToken written to the store directly
 * (as {@code kubectl apply} does in Kubernetes mode) gets a token whose value is kept in the Secret of its name, which
 * registers a cluster; deleting the token removes that Secret; a token made through the API, and a Secret of that
 * name that belongs to someone else, are left alone.
 */
class RegistrationTokenControllerTest {
    @TempDir
    Path dir;
    MvStoreStore store;
    RegistrationService registration;
    RegistrationTokenController controller;

    @BeforeEach
    void open() {
        store = MvStoreStore.open(dir);
        registration = new RegistrationService(store, Clock.systemUTC(), "sha256:" + "ab".repeat(32));
        controller = new RegistrationTokenController(store, registration);
        controller.start();
    }

    @AfterEach
    void close() throws Exception {
        controller.close();
        store.close();
    }

    private static ObjectNode token(String name) {
        ObjectNode token = Json.newObject(Kind.CLUSTER_REGISTRATION_TOKEN, "fleet-default", name);
        token.putObject("spec").put("ttl", "1h");
        return token;
    }

    private String value(String secretName) {
        ObjectNode secret = store.get(new ObjectKey(Kind.SECRET, "fleet-default", secretName)).orElse(null);
        return secret == null ? null
                : new String(Base64.getDecoder().decode(secret.path("data").path("value").asText()), StandardCharsets.UTF_8);
    }

    @Test
    void aTokenWrittenToTheStoreGetsItsValueInASecretThatRegistersAndGoesWithTheToken() {
        store.create(token("edge"));
        await().atMost(Duration.ofSeconds(10)).until(() -> value("edge") != null);
        String value = value("edge");
        assertThat(value).startsWith("flt1.fleet-default.edge.").endsWith("." + "ab".repeat(32));
        assertThat(store.get(new ObjectKey(Kind.CLUSTER_REGISTRATION_TOKEN, "fleet-default", "edge")).orElseThrow()
                .path("status").path("expiresAt").asText()).isNotEmpty();
        ObjectNode secret = store.get(new ObjectKey(Kind.SECRET, "fleet-default", "edge")).orElseThrow();
        assertThat(new String(Base64.getDecoder().decode(secret.path("data").path("values").asText()), StandardCharsets.UTF_8))
                .isEqualTo("token: " + value + "\n");

        RegistrationService.Registration registered = registration.register(value, "downstream-1", Map.of("env", "dev"));
        assertThat(registered.clusterName()).isEqualTo("downstream-1");

        store.delete(new ObjectKey(Kind.CLUSTER_REGISTRATION_TOKEN, "fleet-default", "edge"), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> value("edge") == null);
        assertThat(store.get(new ObjectKey(Kind.SECRET, "fleet-default", "flotilla-token-edge"))).isEmpty();
    }

    @Test
    void aTokenMadeThroughTheApiIsShownOnceAndNeverWrittenToASecret() throws Exception {
        RegistrationService.IssuedToken issued = registration.issueToken(token("api"));
        assertThat(issued.token()).startsWith("flt1.fleet-default.api.");
        controller.close();
        controller = new RegistrationTokenController(store, registration);
        controller.start(); // a restart looks at every token again
        Thread.sleep(500);
        assertThat(store.get(new ObjectKey(Kind.SECRET, "fleet-default", "api"))).isEmpty();
    }

    @Test
    void aSecretOfThatNameBelongingToSomeoneElseIsNotOverwritten() throws Exception {
        ObjectNode theirs = Json.newObject(Kind.SECRET, "fleet-default", "taken");
        theirs.putObject("data").put("value", Base64.getEncoder().encodeToString("theirs".getBytes(StandardCharsets.UTF_8)));
        store.create(theirs);
        store.create(token("taken"));
        Thread.sleep(500);
        assertThat(value("taken")).isEqualTo("theirs");
        assertThat(store.get(new ObjectKey(Kind.CLUSTER_REGISTRATION_TOKEN, "fleet-default", "taken")).orElseThrow()
                .path("status").path("expiresAt").isMissingNode()).as("no token issued").isTrue();
    }
}
