package io.flotilla.manager.security;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.security.policy.AccessPolicy;
import io.flotilla.manager.security.policy.ApiRequest;
import io.flotilla.manager.security.policy.Identity;
import io.flotilla.manager.security.policy.KubernetesAttributes;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes mode's admission, as an aggregated API server's: a bearer token that is not a manager user token is
 * a Kubernetes token, authenticated by a TokenReview and each request authorised by a SubjectAccessReview (the
 * upstream cluster's RBAC decides; {@link KubernetesAttributes} says what is asked). Manager user tokens still work.
 * Answers are cached for {@value #CACHE_SECONDS} s (keyed by the token's hash, never the token), so a burst of
 * requests costs one review; the reviews run on the worker pool, never on an event loop.
 */
final class KubernetesAdmission implements Admission {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesAdmission.class);
    static final int CACHE_SECONDS = 10;
    private static final int CACHE_ENTRIES = 4096;

    private final KubernetesClient client;
    private final Blocking pool;
    private final Admission userTokens;
    private final Clock clock;
    private final Map<String, Cached<User>> users = lru();
    private final Map<String, Cached<String>> decisions = lru();

    private record User(String name, List<String> groups, String uid) {
    }

    /** A cached answer: the value, or the refusal (null value). */
    private record Cached<T>(T value, String refusal, Instant until) {
    }

    KubernetesAdmission(KubernetesClient client, Blocking pool, Admission userTokens, Clock clock) {
        this.client = client;
        this.pool = pool;
        this.userTokens = userTokens;
        this.clock = clock;
    }

    @Override
    public Future<Identity> admit(String bearerToken, ApiRequest request) {
        if (bearerToken.startsWith(UserTokens.PREFIX)) {
            return userTokens.admit(bearerToken, request);
        }
        AccessPolicy.Decision reserved = AccessPolicy.reserved(request);
        if (reserved != null) {
            return Future.failedFuture(new AccessHandler.Denied(false, reserved.reason()));
        }
        return pool.run(() -> {
            User user = authenticate(bearerToken);
            Identity who = new Identity(user.name(), null);
            if (!"whoami".equals(request.resource())) {
                authorize(user, KubernetesAttributes.of(request));
            }
            return who;
        });
    }

    private User authenticate(String token) {
        String key = sha256(token);
        Cached<User> cached = fresh(users, key);
        if (cached == null) {
            User user = null;
            String refusal;
            try {
                TokenReview review = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                        .withNewSpec().withToken(token).endSpec().build());
                var status = review.getStatus();
                if (status != null && Boolean.TRUE.equals(status.getAuthenticated()) && status.getUser() != null) {
                    user = new User(status.getUser().getUsername(), status.getUser().getGroups() == null ? List.of()
                            : List.copyOf(status.getUser().getGroups()), status.getUser().getUid());
                    refusal = null;
                } else {
                    refusal = "the Kubernetes API did not authenticate this token"
                            + (status != null && status.getError() != null && !status.getError().isBlank()
                            ? " (" + status.getError() + ")" : "")
                            + "; use a token of the upstream cluster (kubectl create token …) or a manager user token";
                }
            } catch (KubernetesClientException e) {
                LOG.warn("TokenReview failed: {}", e.getMessage());
                throw new AccessHandler.Denied(true, "authentication failed: the Kubernetes API could not review the token");
            }
            cached = put(users, key, new Cached<>(user, refusal, clock.instant().plusSeconds(CACHE_SECONDS)));
        }
        if (cached.value() == null) {
            throw new AccessHandler.Denied(true, cached.refusal());
        }
        return cached.value();
    }

    private void authorize(User user, KubernetesAttributes what) {
        String key = user.name() + "|" + String.join(",", user.groups()) + "|" + what;
        Cached<String> cached = fresh(decisions, key);
        if (cached == null) {
            String refusal;
            try {
                SubjectAccessReviewBuilder review = new SubjectAccessReviewBuilder().withNewSpec()
                        .withUser(user.name()).withGroups(user.groups()).withUid(user.uid()).endSpec();
                if (what.nonResource()) {
                    review.editSpec().withNewNonResourceAttributes().withPath(what.path()).withVerb(what.verb())
                            .endNonResourceAttributes().endSpec();
                } else {
                    review.editSpec().withNewResourceAttributes().withGroup(what.group()).withResource(what.resource())
                            .withSubresource(what.subresource()).withNamespace(what.namespace()).withName(what.name())
                            .withVerb(what.verb()).endResourceAttributes().endSpec();
                }
                SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review.build());
                var status = answer.getStatus();
                boolean allowed = status != null && Boolean.TRUE.equals(status.getAllowed());
                refusal = allowed ? null : "\"" + user.name() + "\" may not " + what.describe() + " (Kubernetes RBAC"
                        + (status != null && status.getReason() != null && !status.getReason().isBlank()
                        ? ": " + status.getReason() : "") + ")";
            } catch (KubernetesClientException e) {
                LOG.warn("SubjectAccessReview failed: {}", e.getMessage());
                throw new AccessHandler.Denied(false, "authorisation failed: the Kubernetes API could not review the request");
            }
            cached = put(decisions, key, new Cached<>(refusal == null ? "allowed" : null, refusal,
                    clock.instant().plusSeconds(CACHE_SECONDS)));
        }
        if (cached.value() == null) {
            throw new AccessHandler.Denied(false, cached.refusal());
        }
    }

    private <T> Cached<T> fresh(Map<String, Cached<T>> cache, String key) {
        synchronized (cache) {
            Cached<T> c = cache.get(key);
            return c != null && clock.instant().isBefore(c.until()) ? c : null;
        }
    }

    private static <T> Cached<T> put(Map<String, Cached<T>> cache, String key, Cached<T> value) {
        synchronized (cache) {
            cache.put(key, value);
        }
        return value;
    }

    private static <T> Map<String, Cached<T>> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached<T>> eldest) {
                return size() > CACHE_ENTRIES;
            }
        };
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
