package io.flotilla.manager.registration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.store.MvStoreStore;
import io.flotilla.manager.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Credentials are looked up by key: with thousands of Secrets, an unknown or foreign credential costs a read or two
 * and no listing (a scan of every Secret took 18 ms with 5,000 of them, on the thread REST shares).
 */
class RegistrationLookupTest {
    @TempDir
    Path dir;
    MvStoreStore real;
    final AtomicInteger lists = new AtomicInteger();
    final AtomicInteger gets = new AtomicInteger();
    RegistrationService registration;

    @BeforeEach
    void open() {
        real = MvStoreStore.open(dir);
        // the real store, with its list and get calls counted
        Store counted = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[]{Store.class}, (p, m, args) -> {
            if (m.getName().equals("list")) {
                lists.incrementAndGet();
            } else if (m.getName().equals("get")) {
                gets.incrementAndGet();
            }
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        registration = new RegistrationService(counted, Clock.systemUTC(), "sha256:" + "ab".repeat(32));
    }

    @AfterEach
    void close() {
        real.close();
    }

    @Test
    void unknownAndForeignCredentialsCostNoScan() {
        for (int i = 0; i < 2000; i++) {
            ObjectNode s = Json.newObject(Kind.SECRET, "fleet-default", "git-" + i);
            s.putObject("data").put("password", "p" + i);
            real.create(s);
        }
        ObjectNode token = Json.newObject(Kind.CLUSTER_REGISTRATION_TOKEN, "fleet-default", "t");
        token.putObject("spec").put("ttl", "1h");
        String value = registration.issueToken(token).token();
        assertThat(value).as("the token carries the CA pin").endsWith("." + "ab".repeat(32));
        String c1 = registration.register(value, "c1", Map.of()).credential();
        registration.register(value, "c2", Map.of());

        lists.set(0);
        gets.set(0);
        assertThatThrownBy(() -> registration.authenticate("fleet-default", "c2", c1))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.code()).isEqualTo(AuthException.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> registration.authenticate("fleet-default", "c2", "flc2.fleet-default.c9.nope"))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.code()).isEqualTo(AuthException.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> registration.authenticate("fleet-default", "c2", "flc1.nope"))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.code()).isEqualTo(AuthException.Code.UNAUTHENTICATED));
        registration.authenticate("fleet-default", "c1", c1);
        assertThat(lists).as("no listing").hasValue(0);
        assertThat(gets.get()).as("one read per check").isLessThanOrEqualTo(4);
    }
}
