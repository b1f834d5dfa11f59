package io.flotilla.manager.gitops;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.reader.BundleReadException;
import io.flotilla.bundle.reader.BundleScanner;
import io.flotilla.bundle.reader.DrivenBundle;
import io.flotilla.bundle.reader.ScanRequest;
import io.flotilla.bundle.reader.ScannedBundle;
import io.flotilla.manager.api.Conditions;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.api.Validation;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.git.FetchResult;
import io.flotilla.manager.git.GitCredentials;
import io.flotilla.manager.git.GitAccessPolicy;
import io.flotilla.manager.git.GitFetchException;
import io.flotilla.manager.git.GitFetcher;
import io.flotilla.manager.git.GitSource;
import io.flotilla.manager.git.webhook.PushEvent;
import io.flotilla.manager.git.webhook.WebhookException;
import io.flotilla.manager.git.webhook.WebhookVerifier;
import io.flotilla.manager.policy.GitRepoRestrictions;
import io.flotilla.manager.store.StatusWriter;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreListener;
import io.flotilla.manager.store.StoreOp;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Follows GitRepos: polls each (or waits for a verified webhook), fetches new commits with the
 * {@link GitFetcher}, reads the checkout into bundles and stores them; bundles the commit no longer
 * produces are deleted (their BDs follow). If any fleet.yaml is invalid the commit is not applied at all:
 * the previous bundles stay and the GitRepo's conditions name the file, line and error. Timers run on
 * the manager's event loop; fetching and reading run on a bounded git worker pool, one sync per GitRepo at a time.
 */
public final class GitRepoController implements StoreListener {
    private static final Logger LOG = LoggerFactory.getLogger(GitRepoController.class);
    public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(15);
    /** A shorter {@code pollingInterval} is raised to this ("1ms" once meant ~700 store writes/s). */
    public static final Duration MIN_POLLING_INTERVAL = Duration.ofSeconds(1);
    /** After consecutive failures polls back off exponentially, up to this. */
    public static final Duration MAX_FAILURE_BACKOFF = Duration.ofMinutes(5);
    /** A healthy, unchanged repository records its last poll at most this often. */
    static final Duration POLL_STAMP_INTERVAL = Duration.ofMinutes(1);
    private static final TypeReference<List<DrivenBundle>> DRIVEN = new TypeReference<>() {
    };

    private final Vertx vertx;
    private final Context context;
    private final Store store;
    private final Blocking gitPool;
    private final GitFetcher fetcher;
    private final BundleScanner scanner;
    private final GitCredentialsLoader secrets;
    private final StatusWriter statusWriter;
    private final Clock clock;
    private final Map<ObjectKey, Follow> follows = new HashMap<>();
    private volatile boolean stopped;
    private final GitAccessPolicy access;
    private io.flotilla.manager.metrics.ManagerMetrics metrics;
    private io.flotilla.manager.events.EventRecorder events = io.flotilla.manager.events.EventRecorder.NONE;

    /** Event-loop state of one followed GitRepo. */
    private static final class Follow {
        long timer = -1;
        boolean syncing;
        boolean again;
        long generation = -1;
        ObjectNode gitRepo;
        /** Consecutive failed syncs; non-zero while backing off. */
        int failures;
        String lastFailure;
    }

    public GitRepoController(Vertx vertx, Context context, Store store, Blocking gitPool, GitFetcher fetcher,
                             BundleScanner scanner, Clock clock) {
        this(vertx, context, store, gitPool, fetcher, scanner, clock, GitAccessPolicy.strict());
    }

    /** @param access which remotes may be contacted (file://, loopback, private networks are off by default) */
    public GitRepoController(Vertx vertx, Context context, Store store, Blocking gitPool, GitFetcher fetcher,
                             BundleScanner scanner, Clock clock, GitAccessPolicy access) {
        this.access = access;
        this.vertx = vertx;
        this.context = context;
        this.store = store;
        this.gitPool = gitPool;
        this.fetcher = fetcher;
        this.scanner = scanner;
        this.secrets = new GitCredentialsLoader(store);
        this.statusWriter = new StatusWriter(store);
        this.clock = clock;
    }

    /** Fetches, fetch failures, fetch duration and bundles built as metrics; commits, failures and bundles as events. */
    public void observe(io.flotilla.manager.metrics.ManagerMetrics metrics, io.flotilla.manager.events.EventRecorder events) {
        this.metrics = metrics;
        this.events = events;
    }

    private void warn(ObjectKey key, String reason, String message) {
        events.warning("GitRepo", key.namespace(), key.name(), reason, message);
    }

    /** Starts following every stored GitRepo; later ones arrive through the store listener. */
    public void start(List<ObjectNode> gitRepos) {
        context.runOnContext(v -> gitRepos.forEach(r -> upsert(r.deepCopy())));
    }

    /** Stops following every GitRepo (polls cancelled; a fetch in flight finishes but schedules nothing more). */
    public Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            stopped = true;
            follows.values().forEach(f -> {
                if (f.timer >= 0) {
                    vertx.cancelTimer(f.timer);
                }
            });
            follows.clear();
            done.complete();
        });
        return done.future();
    }

    @Override
    public void onEvent(EventType type, ObjectNode object) {
        if (stopped) {
            return;
        }
        if (Json.kind(object).orElse(null) == Kind.GIT_REPO_RESTRICTION) {
            String namespace = Json.namespace(object);
            context.runOnContext(v -> follows.keySet().stream().filter(k -> k.namespace().equals(namespace)).toList()
                    .forEach(k -> sync(k, "GitRepoRestriction " + Json.name(object) + " " + type.name().toLowerCase())));
            return;
        }
        if (Json.kind(object).orElse(null) != Kind.GIT_REPO) {
            return;
        }
        ObjectNode copy = object.deepCopy();
        context.runOnContext(v -> {
            if (type == EventType.DELETED) {
                removed(copy);
            } else {
                upsert(copy);
            }
        });
    }

    private void upsert(ObjectNode gitRepo) {
        if (stopped) {
            return;
        }
        ObjectKey key = Json.key(gitRepo);
        Follow f = follows.computeIfAbsent(key, k -> new Follow());
        long generation = gitRepo.path("metadata").path("generation").asLong();
        f.gitRepo = gitRepo;
        if (generation == f.generation) {
            return; // a status write of ours
        }
        f.generation = generation;
        f.failures = 0; // a new spec gets a fresh start
        schedule(key, f);
        sync(key, "spec changed (generation " + generation + ")");
    }

    private void schedule(ObjectKey key, Follow f) {
        if (f.timer >= 0) {
            vertx.cancelTimer(f.timer);
            f.timer = -1;
        }
        JsonNode spec = f.gitRepo.path("spec");
        if (spec.path("disablePolling").asBoolean(false)) {
            return;
        }
        Duration interval = pollingInterval(key, spec);
        if (f.failures > 0) {
            // back off: interval × 2^(failures-1), at most MAX_FAILURE_BACKOFF; periodic polling resumes on success
            long factor = 1L << Math.min(f.failures - 1, 20);
            long delay = Math.min(MAX_FAILURE_BACKOFF.toMillis(), interval.toMillis() * factor);
            f.timer = vertx.setTimer(delay, id -> {
                f.timer = -1;
                sync(key, "retry after " + f.failures + " failed attempt(s)");
            });
            return;
        }
        f.timer = vertx.setPeriodic(interval.toMillis(), id -> sync(key, "polling"));
    }

    private static Duration pollingInterval(ObjectKey key, JsonNode spec) {
        String text = Json.text(spec, "pollingInterval");
        if (text == null || text.isBlank()) {
            return DEFAULT_POLLING_INTERVAL;
        }
        Duration parsed;
        try {
            parsed = Validation.parseDuration("spec.pollingInterval", text);
        } catch (RuntimeException e) {
            return DEFAULT_POLLING_INTERVAL;
        }
        if (parsed.isZero()) {
            return DEFAULT_POLLING_INTERVAL;
        }
        if (parsed.compareTo(MIN_POLLING_INTERVAL) < 0) {
            LOG.debug("{}: pollingInterval {} raised to the minimum of {}", key, text, MIN_POLLING_INTERVAL);
            return MIN_POLLING_INTERVAL;
        }
        return parsed;
    }

    private void removed(ObjectNode gitRepo) {
        if (stopped) {
            return;
        }
        ObjectKey key = Json.key(gitRepo);
        Follow f = follows.remove(key);
        if (f != null && f.timer >= 0) {
            vertx.cancelTimer(f.timer);
        }
        gitPool.run(() -> {
            List<StoreOp> ops = ownBundles(key).stream().map(b -> StoreOp.delete(Json.key(b), null)).toList();
            if (!ops.isEmpty()) {
                store.apply(ops);
            }
            LOG.info("{} deleted: {} bundles deleted with it", key, ops.size());
            return null;
        });
    }

    /** Fetches and applies the GitRepo now (polling tick, webhook, spec change); coalesces while one runs. */
    public void sync(ObjectKey key, String trigger) {
        Follow f = follows.get(key);
        if (f == null) {
            return;
        }
        if (f.syncing) {
            f.again = true;
            return;
        }
        f.syncing = true;
        ObjectNode gitRepo = f.gitRepo;
        gitPool.run(() -> syncBlocking(gitRepo, trigger, f.lastFailure)).onComplete(ar -> {
            if (ar.failed()) {
                LOG.error("{}: sync after {} failed unexpectedly", key, trigger, ar.cause());
            }
            f.syncing = false;
            String failure = ar.succeeded() ? ar.result() : String.valueOf(ar.cause());
            boolean wasFailing = f.failures > 0;
            f.failures = failure == null ? 0 : f.failures + 1;
            f.lastFailure = failure;
            if (follows.get(key) == f && (failure != null || wasFailing)) {
                schedule(key, f); // backoff, or periodic polling again
            }
            if (f.again && follows.get(key) == f) {
                f.again = false;
                sync(key, "change during the previous sync");
            }
        });
    }

    /** @return null when the repository is in sync (or refused by a restriction), else why not (its stalled message) */
    private String syncBlocking(ObjectNode written, String trigger, String previousFailure) {
        ObjectKey key = Json.key(written);
        long generation = written.path("metadata").path("generation").asLong();
        // GitRepoRestrictions of the namespace first (§2.6): a refused GitRepo is not fetched, its bundles stay
        GitRepoRestrictions.Decision decision = GitRepoRestrictions.decide(restrictions(key.namespace()),
                new GitRepoRestrictions.GitRepoFacts(Json.text(written.path("spec"), "repo"),
                        Json.text(written.path("spec"), "serviceAccount"), Json.text(written.path("spec"), "clientSecretName"),
                        Json.text(written.path("spec"), "targetNamespace")));
        if (!decision.accepted()) {
            LOG.warn("{}: refused by a GitRepoRestriction: {}", key, decision.refusal());
            refused(key, decision.refusal());
            return null;
        }
        boolean wasRefused = store.get(key).map(r -> RESTRICTION_VIOLATION.equals(conditionReason(r.path("status"), "Accepted")))
                .orElse(false);
        // the restrictions' defaults apply to a GitRepo that names no service account or client secret
        ObjectNode gitRepo = written.deepCopy();
        if (decision.serviceAccount() != null) {
            gitRepo.withObjectProperty("spec").put("serviceAccount", decision.serviceAccount());
        }
        if (decision.clientSecretName() != null) {
            gitRepo.withObjectProperty("spec").put("clientSecretName", decision.clientSecretName());
        }
        JsonNode spec = gitRepo.path("spec");
        String currentCommit = store.get(key).map(r -> Json.text(r.path("status"), "commit")).orElse(null);
        Long appliedGeneration = wasRefused ? -1L
                : store.get(key).map(r -> r.path("status").path("observedGeneration").asLong(-1)).orElse(-1L);
        GitSource source;
        try {
            GitCredentials credentials = secrets.gitCredentials(key.namespace(), Json.text(spec, "clientSecretName"));
            String ca = Json.text(spec, "caBundle");
            source = GitSource.forGitRepo(key.namespace() + "/" + key.name(), Json.text(spec, "repo"), Json.text(spec, "branch"),
                    Json.text(spec, "revision"), credentials, spec.path("insecureSkipTLSVerify").asBoolean(false),
                    ca == null ? null : decodeCa(ca));
        } catch (GitCredentialsLoader.SecretProblem e) {
            warn(key, "FetchFailed", "GitCredentials: " + e.getMessage());
            stalled(key, "GitCredentials", e.getMessage(), generation);
            return e.getMessage();
        }
        String refused = access.refusal(source.url());
        if (refused != null) {
            if (!refused.equals(previousFailure)) {
                LOG.warn("{}: {}", key, refused);
            }
            warn(key, "FetchFailed", "RemoteNotAllowed: " + refused);
            stalled(key, "RemoteNotAllowed", refused, generation);
            return refused;
        }
        try {
            String remote = fetcher.remoteCommit(source);
            if (remote.equals(currentCommit) && appliedGeneration == generation) {
                statusWriter.patchIfChanged(key, status -> {
                    Conditions.set(status, "GitPolling", true, "", "", clock.instant());
                    String last = Json.text(status, "lastPollingTriggered");
                    if (last == null || java.time.Duration.between(java.time.Instant.parse(last), clock.instant())
                            .compareTo(POLL_STAMP_INTERVAL) >= 0) {
                        status.put("lastPollingTriggered", clock.instant().toString());
                    }
                });
                return null;
            }
            LOG.info("{}: applying commit {} of {} ({})", key, remote, source.safeUrl(), trigger);
            statusWriter.patch(key, status -> status.withObjectProperty("display").put("state", "GitUpdating"));
            long fetchStart = System.nanoTime();
            FetchResult fetched = fetcher.fetch(source);
            if (metrics != null) {
                metrics.gitFetched(System.nanoTime() - fetchStart);
            }
            if (!fetched.commit().equals(currentCommit)) {
                events.normal("GitRepo", key.namespace(), key.name(), "CommitFetched",
                        "fetched commit " + fetched.commit() + " of " + source.safeUrl());
            }
            List<ScannedBundle> scanned = scanner.scan(scanRequest(gitRepo, fetched));
            if (scanned.isEmpty()) {
                throw new BundleReadException(BundleScanner.noResourcesMessage(scanRequest(gitRepo, fetched)));
            }
            int changed = writeBundles(key, scanned, BundleFactory.settings(gitRepo));
            if (metrics != null) {
                metrics.bundlesBuilt(scanned.size());
            }
            List<String> names = scanned.stream().map(b -> b.name()).sorted().toList();
            events.normal("GitRepo", key.namespace(), key.name(), "BundlesBuilt", scanned.size() + " bundle"
                    + (scanned.size() == 1 ? "" : "s") + " built from commit " + fetched.commit() + ": "
                    + String.join(", ", names.size() > 10 ? names.subList(0, 10) : names) + (names.size() > 10 ? ", ..." : ""));
            statusWriter.patch(key, status -> {
                status.put("commit", fetched.commit());
                status.put("observedGeneration", generation);
                status.put("lastPollingTriggered", clock.instant().toString());
                Conditions.set(status, "Accepted", true, "", "", clock.instant());
                Conditions.set(status, "GitPolling", true, "", "", clock.instant());
                Conditions.set(status, "Stalled", false, "", "", clock.instant());
                Conditions.set(status, "Reconciling", false, "", "", clock.instant());
                var display = status.withObjectProperty("display");
                display.remove("state");
                display.remove("error");
                status.put("gitJobStatus", "Current");
            });
            LOG.info("{}: commit {} applied: {} bundles, {} created/updated/deleted", key, fetched.commit(), scanned.size(),
                    changed);
        } catch (GitFetchException e) {
            String secret = Json.text(spec, "clientSecretName");
            String message = e.getMessage() + (e.reason() == GitFetchException.Reason.AUTH_FAILED && secret != null
                    ? " (credentials from secret " + key.namespace() + "/" + secret + ")" : "");
            if (message.equals(previousFailure)) {
                LOG.debug("{}: fetch failed again ({}): {}", key, e.reason(), message);
            } else {
                LOG.warn("{}: fetch failed ({}): {}; retrying with backoff", key, e.reason(), message);
            }
            if (metrics != null) {
                metrics.gitFetchFailed();
            }
            warn(key, "FetchFailed", reason(e.reason()) + ": " + message);
            stalled(key, reason(e.reason()), message, generation);
            return message;
        } catch (BundleReadException e) {
            if (!e.getMessage().equals(previousFailure)) {
                LOG.warn("{}: commit not applied, previous bundles stay: {}", key, e.getMessage());
            }
            if (metrics != null) {
                metrics.bundlesRefused();
            }
            warn(key, "BundleRefused", "commit not applied, the previous bundles stay: " + e.getMessage());
            stalled(key, "InvalidBundle", e.getMessage(), generation);
            return e.getMessage();
        } catch (IllegalArgumentException e) {
            if (!String.valueOf(e.getMessage()).equals(previousFailure)) {
                LOG.warn("{}: commit not applied: {}", key, e.getMessage());
            }
            warn(key, "InvalidSpec", "commit not applied: " + e.getMessage());
            stalled(key, "InvalidSpec", e.getMessage(), generation);
            return String.valueOf(e.getMessage());
        }
        return null;
    }

    private static String decodeCa(String caBundle) {
        if (caBundle.contains("-----BEGIN")) {
            return caBundle;
        }
        return new String(java.util.Base64.getMimeDecoder().decode(caBundle), StandardCharsets.UTF_8);
    }

    private static String reason(GitFetchException.Reason reason) {
        return switch (reason) {
            case AUTH_FAILED -> "AuthenticationFailed";
            case UNKNOWN_BRANCH -> "UnknownBranch";
            case UNKNOWN_REVISION -> "UnknownRevision";
            case UNREACHABLE -> "Unreachable";
            case INVALID_URL -> "InvalidURL";
            case OTHER -> "GitError";
        };
    }

    static final String RESTRICTION_VIOLATION = "RestrictionViolation";

    private List<GitRepoRestrictions.Restriction> restrictions(String namespace) {
        List<GitRepoRestrictions.Restriction> result = new ArrayList<>();
        for (ObjectNode r : store.list(Kind.GIT_REPO_RESTRICTION, namespace)) {
            result.add(new GitRepoRestrictions.Restriction(Json.name(r), strings(r.path("allowedServiceAccounts")),
                    strings(r.path("allowedRepoPatterns")), strings(r.path("allowedClientSecretNames")),
                    strings(r.path("allowedTargetNamespaces")), Json.text(r, "defaultServiceAccount"),
                    Json.text(r, "defaultClientSecretName")));
        }
        return result;
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(i -> out.add(i.asText()));
        return out;
    }

    private static String conditionReason(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(Json.text(c, "type"))) {
                return "False".equals(Json.text(c, "status")) ? Json.text(c, "reason") : null;
            }
        }
        return null;
    }

    /** Fleet's answer to a restriction violation: {@code Accepted} False with the rule, nothing fetched. */
    private void refused(ObjectKey key, String message) {
        statusWriter.patch(key, status -> {
            Conditions.set(status, "Accepted", false, RESTRICTION_VIOLATION, message, clock.instant());
            Conditions.set(status, "Stalled", true, RESTRICTION_VIOLATION, message, clock.instant());
            Conditions.set(status, "Ready", false, RESTRICTION_VIOLATION, message, clock.instant());
            var display = status.withObjectProperty("display");
            display.put("state", "Stalled");
            display.put("error", true);
            display.put("message", message);
        });
    }

    private void stalled(ObjectKey key, String reason, String message, long generation) {
        // the same failure again changes nothing: no write
        statusWriter.patchIfChanged(key, status -> {
            Conditions.set(status, "Stalled", true, reason, message, clock.instant());
            Conditions.set(status, "GitPolling", false, reason, message, clock.instant());
            Conditions.set(status, "Ready", false, reason, message, clock.instant());
            var display = status.withObjectProperty("display");
            display.put("state", "Stalled");
            display.put("error", true);
            display.put("message", message);
            status.put("gitJobStatus", "Failed");
        });
    }

    private ScanRequest scanRequest(ObjectNode gitRepo, FetchResult fetched) {
        JsonNode spec = gitRepo.path("spec");
        List<String> paths = new ArrayList<>();
        spec.path("paths").forEach(p -> paths.add(p.asText()));
        List<DrivenBundle> driven = List.of();
        if (spec.hasNonNull("bundles")) {
            try {
                driven = Json.MAPPER.readerFor(DRIVEN).readValue(spec.get("bundles"));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("spec.bundles: " + e.getMessage(), e);
            }
        }
        return ScanRequest.of(fetched.checkout(), Json.name(gitRepo)).withPaths(paths).withBundles(driven)
                .withCommit(fetched.commit()).withRepoLabels(Json.labels(gitRepo));
    }

    private List<ObjectNode> ownBundles(ObjectKey gitRepo) {
        return store.list(Kind.BUNDLE, gitRepo.namespace()).stream()
                .filter(b -> gitRepo.name().equals(Json.labels(b).get(BundleScanner.REPO_NAME_LABEL)))
                .toList();
    }

    /** Creates, updates and deletes this GitRepo's bundles in one atomic batch; returns how many changed. */
    private int writeBundles(ObjectKey key, List<ScannedBundle> scanned,
                             io.flotilla.manager.targeting.BundleTargetsBuilder.GitRepoSettings settings) {
        Map<String, ObjectNode> existing = ownBundles(key).stream()
                .collect(Collectors.toMap(Json::name, b -> b));
        List<StoreOp> ops = new ArrayList<>();
        Set<String> produced = new java.util.HashSet<>();
        for (ScannedBundle s : scanned) {
            ObjectNode bundle = BundleFactory.bundle(key.namespace(), s, settings);
            produced.add(s.name());
            ObjectNode current = existing.get(s.name());
            if (current == null) {
                ops.add(StoreOp.create(bundle));
            } else if (!Objects.equals(current.path("spec"), bundle.path("spec"))
                    || !sameLabelsIgnoringCommit(current, bundle)) {
                ops.add(StoreOp.update(bundle));
            }
        }
        existing.keySet().stream().filter(n -> !produced.contains(n))
                .forEach(n -> ops.add(StoreOp.delete(new ObjectKey(Kind.BUNDLE, key.namespace(), n), null)));
        if (!ops.isEmpty()) {
            store.apply(ops);
        }
        return ops.size();
    }

    /** A new commit alone changes only the commit label: that is not worth a rewrite of every bundle. */
    private static boolean sameLabelsIgnoringCommit(ObjectNode a, ObjectNode b) {
        Map<String, String> la = new HashMap<>(Json.labels(a));
        Map<String, String> lb = new HashMap<>(Json.labels(b));
        la.remove(BundleScanner.COMMIT_LABEL);
        lb.remove(BundleScanner.COMMIT_LABEL);
        return la.equals(lb);
    }

    // ---- webhooks ----------------------------------------------------------------------------------------

    /** The outcome of one webhook call, for the HTTP answer. */
    public record WebhookResult(int status, String message, List<ObjectKey> triggered) {
        static WebhookResult refused(int status, String message) {
            return new WebhookResult(status, message, List.of());
        }
    }

    /**
     * Verifies a push webhook against the secrets of the GitRepos that name one ({@code spec.webhookSecret}: a
     * secret whose key {@code token} holds the shared secret) and syncs every GitRepo the push is for.
     * Unverifiable requests get 401 and fetch nothing.
     */
    public Future<WebhookResult> webhook(Map<String, String> headers, byte[] body) {
        return gitPool.run(() -> {
            List<ObjectKey> triggered = new ArrayList<>();
            boolean verified = false;
            String lastRefusal = "no GitRepo has a webhookSecret: webhooks cannot be verified";
            for (ObjectNode repo : store.list(Kind.GIT_REPO, null)) {
                String secretName = Json.text(repo.path("spec"), "webhookSecret");
                if (secretName == null) {
                    continue;
                }
                String secret = secrets.value(Json.namespace(repo), secretName, "token").orElse(null);
                try {
                    var push = WebhookVerifier.verify(headers, body, secret);
                    verified = true;
                    if (push.isPresent() && matches(push.get(), repo)) {
                        triggered.add(Json.key(repo));
                    }
                } catch (WebhookException e) {
                    if (e.status() == 400) {
                        return WebhookResult.refused(400, e.getMessage());
                    }
                    lastRefusal = e.getMessage();
                }
            }
            if (!verified) {
                return WebhookResult.refused(401, lastRefusal);
            }
            return new WebhookResult(200, triggered.isEmpty() ? "verified; no GitRepo follows this repository and branch"
                    : "syncing " + triggered.stream().map(ObjectKey::toString).collect(Collectors.joining(", ")), triggered);
        }).onSuccess(result -> context.runOnContext(v -> result.triggered().forEach(k -> sync(k, "webhook"))));
    }

    private static boolean matches(PushEvent push, ObjectNode repo) {
        JsonNode spec = repo.path("spec");
        GitSource source = GitSource.forGitRepo(Json.namespace(repo) + "/" + Json.name(repo), Json.text(spec, "repo"),
                Json.text(spec, "branch"), Json.text(spec, "revision"), null, false, null);
        return push.matches(source);
    }
}
