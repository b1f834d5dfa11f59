package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.agent.hooks.DeletePolicy;
import io.flotilla.agent.hooks.HelmHooks;
import io.flotilla.agent.hooks.Hook;
import io.flotilla.agent.hooks.HookCompletion;
import io.flotilla.agent.hooks.HookPhase;
import io.flotilla.agent.hooks.HookPlan;
import io.flotilla.agent.hooks.InvalidHookException;
import io.flotilla.agent.model.Maps;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.model.Ownership;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Helm hooks of a BundleDeployment in phases, as {@code helm install/upgrade/uninstall} would: per hook in
 * order, delete an earlier object of its name ({@code before-hook-creation}), create it with the BD's ownership
 * label, and wait until it has finished ({@link HookCompletion}) within {@code helm.timeoutSeconds} (Helm's 300 s
 * when 0). A failed hook stops its phase (and is deleted if {@code hook-failed}); when every hook of a phase
 * succeeded, those with {@code hook-succeeded} are deleted, last first. Hooks are never part of the BD's owned
 * objects. Waits poll the object with a growing pause (up to {@link #MAX_POLL}). Blocking: called by the
 * {@link Deployer} on the agent's worker thread.
 */
final class HookRunner {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
    static final Duration FIRST_POLL = Duration.ofMillis(100);
    static final Duration MAX_POLL = Duration.ofSeconds(1);
    /** Helm's wording; one of the failures §7.1 reports as {@code NotReady} ({@link ObjectError#objectInvalid}). */
    static final String TIMED_OUT = "timed out waiting for the condition";

    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);

    private final ApiResources api;

    HookRunner(ApiResources api) {
        this.api = api;
    }

    /**
     * The hooks of one apply. It installs when no deploymentID of the BD was applied before (no record, or only a
     * failed first attempt), otherwise it upgrades.
     */
    Run forApply(DeploymentRequest request, Optional<OwnedState> previous) {
        boolean upgrade = previous.map(OwnedState::deploymentId).filter(id -> !id.isEmpty()).isPresent();
        return new Run(request.bdName(), request.objects(),
                upgrade ? HelmHooks.Action.UPGRADE : HelmHooks.Action.INSTALL, request.options());
    }

    /** The delete hooks of a recorded BD. */
    Run forDelete(OwnedState state) {
        return new Run(state.bdName(), state.objects(), HelmHooks.Action.UPGRADE, state.options());
    }

    /** {@code helm.timeoutSeconds}, Helm's 300 s when not positive. */
    static Duration timeout(BundleDeploymentOptions options) {
        int seconds = options.helm() == null ? 0 : options.helm().timeoutSeconds();
        return seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TIMEOUT;
    }

    static boolean atomic(BundleDeploymentOptions options) {
        return options.helm() != null && Boolean.TRUE.equals(options.helm().atomic());
    }

    /** One apply's (or deletion's) hooks: the plan, or why the objects' hook annotations cannot be planned. */
    final class Run {
        private final String bd;
        private final List<Map<String, Object>> objects;
        private final HelmHooks.Action action;
        private final Duration timeout;
        private final boolean atomic;
        private final HookPlan plan;
        private final ObjectError invalid;

        private Run(String bd, List<Map<String, Object>> objects, HelmHooks.Action action,
                    BundleDeploymentOptions options) {
            this.bd = bd;
            this.objects = objects;
            this.action = action;
            this.timeout = HookRunner.timeout(options);
            this.atomic = HookRunner.atomic(options);
            HookPlan planned = null;
            ObjectError error = null;
            try {
                planned = HelmHooks.plan(objects, action);
                if (!planned.skipped().isEmpty()) {
                    LOG.debug("BD {}: not applied (test, rollback or unknown hooks): {}", bd, planned.skipped());
                }
            } catch (InvalidHookException e) {
                error = new ObjectError(e.ref(), 422, e.getMessage());
            }
            this.plan = planned;
            this.invalid = error;
        }

        /** The objects of the release: everything but hooks. */
        List<Map<String, Object>> objects() {
            return plan != null ? plan.objects() : HelmHooks.releaseObjects(objects);
        }

        boolean upgrade() {
            return action == HelmHooks.Action.UPGRADE;
        }

        boolean atomic() {
            return atomic;
        }

        /** Why the hooks cannot be planned (an invalid weight), or null. */
        ObjectError invalid() {
            return invalid;
        }

        /** Runs {@code pre-install} or {@code pre-upgrade}; the error that stopped it, or null. */
        ObjectError runPre() {
            return invalid != null ? invalid : run(bd, plan.pre(), timeout);
        }

        /** Runs {@code post-install} or {@code post-upgrade}; the error that stopped it, or null. */
        ObjectError runPost() {
            return invalid != null ? invalid : run(bd, plan.post(), timeout);
        }

        ObjectError runPreDelete() {
            return invalid != null ? invalid : run(bd, plan.preDelete(), timeout);
        }

        ObjectError runPostDelete() {
            return invalid != null ? invalid : run(bd, plan.postDelete(), timeout);
        }
    }

    /** Runs one phase; returns the error that stopped it (naming the hook), or null when every hook succeeded. */
    ObjectError run(String bd, HookPhase phase, Duration timeout) {
        if (phase.isEmpty()) {
            return null;
        }
        LOG.info("BD {}: running {} hooks {}", bd, phase.event(), phase.hooks());
        for (Hook hook : phase.hooks()) {
            Failure failure = runOne(bd, hook, timeout);
            if (failure != null) {
                String message = phase.event() + " hook " + hook.ref().id() + " failed: " + failure.message;
                if (hook.deletes(DeletePolicy.HOOK_FAILED)) {
                    Failure notDeleted = delete(bd, hook, timeout);
                    if (notDeleted != null) {
                        message += "; deleting it (hook-failed) failed: " + notDeleted.message;
                    }
                }
                LOG.warn("BD {}: {}", bd, message);
                return new ObjectError(hook.ref(), failure.code, message);
            }
            LOG.info("BD {}: {} hook {} succeeded", bd, phase.event(), hook.ref().id());
        }
        List<Hook> hooks = phase.hooks();
        for (int i = hooks.size() - 1; i >= 0; i--) {
            Hook hook = hooks.get(i);
            if (hook.deletes(DeletePolicy.HOOK_SUCCEEDED)) {
                Failure notDeleted = delete(bd, hook, timeout);
                if (notDeleted != null) {
                    return new ObjectError(hook.ref(), notDeleted.code, phase.event() + " hook " + hook.ref().id()
                            + " succeeded but deleting it (hook-succeeded) failed: " + notDeleted.message);
                }
            }
        }
        return null;
    }

    /** Why a hook failed: the API's HTTP code (0 when the hook itself failed) and message. */
    private record Failure(int code, String message) {
    }

    private Failure runOne(String bd, Hook hook, Duration timeout) {
        ObjectRef ref = hook.ref();
        if (hook.deletes(DeletePolicy.BEFORE_HOOK_CREATION)) {
            Failure notDeleted = delete(bd, hook, timeout);
            if (notDeleted != null) {
                return notDeleted;
            }
        }
        try {
            api.kind(ref).resource(api.fromMap(Ownership.prepare(hook.object(), bd))).create();
        } catch (KubernetesClientException e) {
            return failure(e);
        }
        return await(ref, timeout);
    }

    /** Waits until the created hook has finished; null when it succeeded. */
    private Failure await(ObjectRef ref, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_POLL.toNanos();
        KubernetesClientException lastError = null;
        while (true) {
            try {
                HookCompletion completion = HookCompletion.of(api.get(ref));
                lastError = null;
                if (completion.done()) {
                    return completion.state() == HookCompletion.State.SUCCEEDED ? null
                            : new Failure(0, completion.message());
                }
            } catch (KubernetesClientException e) {
                // Transient API errors are retried until the deadline.
                lastError = e;
            }
            Failure stopped = pause(deadline, pause, lastError);
            if (stopped != null) {
                return stopped;
            }
            pause = Math.min(pause * 2, MAX_POLL.toNanos());
        }
    }

    /**
     * Deletes the hook's object if it exists (never a CRD, as Helm) and waits until it is gone; null when it is.
     * An object of that name without this BD's label is not ours to delete.
     */
    private Failure delete(String bd, Hook hook, Duration timeout) {
        ObjectRef ref = hook.ref();
        if (ref.isCrd()) {
            return null;
        }
        String uid;
        try {
            Map<String, Object> live = api.get(ref);
            if (live == null) {
                return null;
            }
            if (!Ownership.isOwnedBy(live, bd)) {
                return new Failure(409, ref.id() + " exists and is not owned by us");
            }
            uid = Maps.string(live, "metadata", "uid");
            api.object(ref).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            return e.getCode() == 404 ? null : failure(e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_POLL.toNanos();
        KubernetesClientException lastError = null;
        while (true) {
            try {
                Map<String, Object> live = api.get(ref);
                if (live == null || !uid.equals(Maps.string(live, "metadata", "uid"))) {
                    return null;
                }
                lastError = null;
            } catch (KubernetesClientException e) {
                lastError = e;
            }
            Failure stopped = pause(deadline, pause, lastError);
            if (stopped != null) {
                return stopped;
            }
            pause = Math.min(pause * 2, MAX_POLL.toNanos());
        }
    }

    /** Parks for {@code pause} (at most until the deadline); a failure when the deadline passed or on interrupt. */
    private static Failure pause(long deadline, long pause, KubernetesClientException lastError) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return lastError != null ? failure(lastError) : new Failure(0, TIMED_OUT);
        }
        LockSupport.parkNanos(Math.min(pause, left));
        if (Thread.currentThread().isInterrupted()) {
            return new Failure(0, "interrupted while waiting (agent stopping)");
        }
        return null;
    }

    private static Failure failure(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
        return new Failure(e.getCode(), message);
    }
}
