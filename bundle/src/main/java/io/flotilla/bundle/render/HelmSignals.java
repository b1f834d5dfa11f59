package io.flotilla.bundle.render;

import com.marcnuri.helm.Helm;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the JVM back the shutdown and diagnostic signals that Helm's Go code takes.
 *
 * <p>helm-java's native {@code template} (its {@code install} path) calls Go's
 * {@code signal.Notify(c, SIGINT, SIGTERM, SIGKILL, SIGQUIT)} on every call and never {@code signal.Stop}. In a
 * Go library loaded into another process ({@code -buildmode=c-shared}) that replaces the process-wide handlers of
 * those signals with Go's, and Go does not pass on an asynchronous signal it is handling: it only goes to the
 * channel. So once a chart was rendered, SIGTERM and SIGINT no longer reach the JVM (no shutdown hooks, the
 * process only ends on SIGKILL), and neither does SIGQUIT (no thread dump, jcmd and jstack cannot start the
 * attach listener). {@code libjsig} does not help: it only chains the signals the JVM uses internally (SIGSEGV,
 * SIGBUS, ...), not the shutdown signals.
 *
 * <p>Go installs its handler for a signal once per process, on the first {@code Notify} of it; later calls only
 * add channels. So the dispositions are recorded once, after the library is loaded and before the first render,
 * and put back with {@code sigaction} after each call into helm-java: from then on Go never sees those signals.
 * A signal that arrives during the first render call itself, before the handlers are put back, is still lost.
 * Every helm-java call of Flotilla goes through {@link #call}.
 */
final class HelmSignals {

    private static final Logger LOG = LoggerFactory.getLogger(HelmSignals.class);

    /** The same numbers on Linux and macOS. */
    private static final int[] SIGNALS = {1, 2, 3, 15};
    private static final String[] NAMES = {"SIGHUP", "SIGINT", "SIGQUIT", "SIGTERM"};
    /** More than {@code struct sigaction} needs on Linux (152 bytes on x86_64 and aarch64) and on macOS (16). */
    private static final int SIGACTION_SIZE = 512;

    /** The C library's {@code sigaction}; the struct is kept opaque apart from the handler, its first field. */
    public interface LibC extends Library {
        int sigaction(int signum, Pointer act, Pointer oldact);
    }

    private static volatile HelmSignals instance;

    private final LibC libc;
    private final Memory[] saved;
    private boolean restoredOnce;

    private HelmSignals(LibC libc, Memory[] saved) {
        this.libc = libc;
        this.saved = saved;
    }

    /** Runs one helm-java call and puts back the signal handlers it took. */
    static <T> T call(Callable<T> helmCall) throws Exception {
        HelmSignals signals = get();
        try {
            return helmCall.call();
        } finally {
            signals.restore();
        }
    }

    private static HelmSignals get() {
        HelmSignals s = instance;
        if (s == null) {
            synchronized (HelmSignals.class) {
                s = instance;
                if (s == null) {
                    s = record();
                    instance = s;
                }
            }
        }
        return s;
    }

    /**
     * Loads the Go library first (its start-up only adds {@code SA_ONSTACK} to the existing handlers, which Go needs
     * when a handler runs on one of its threads), then records the dispositions.
     */
    private static HelmSignals record() {
        if (!Platform.isLinux() && !Platform.isMac()) {
            return new HelmSignals(null, null);
        }
        try {
            Helm.version().call();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("helm-java version call failed before recording signal handlers", e);
        }
        LibC libc;
        try {
            libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Cannot reach the C library's sigaction ({}): SIGTERM and SIGINT may not stop this process"
                    + " once a Helm chart was rendered", e.toString());
            return new HelmSignals(null, null);
        }
        Memory[] saved = new Memory[SIGNALS.length];
        for (int i = 0; i < SIGNALS.length; i++) {
            saved[i] = new Memory(SIGACTION_SIZE);
            saved[i].clear();
            if (libc.sigaction(SIGNALS[i], null, saved[i]) != 0) {
                saved[i] = null;
            }
        }
        return new HelmSignals(libc, saved);
    }

    private synchronized void restore() {
        if (libc == null) {
            return;
        }
        List<String> restored = new ArrayList<>();
        try (Memory current = new Memory(SIGACTION_SIZE)) {
            for (int i = 0; i < SIGNALS.length; i++) {
                if (saved[i] == null) {
                    continue;
                }
                current.clear();
                if (libc.sigaction(SIGNALS[i], null, current) != 0) {
                    continue;
                }
                if (Pointer.nativeValue(current.getPointer(0)) != Pointer.nativeValue(saved[i].getPointer(0))) {
                    if (libc.sigaction(SIGNALS[i], saved[i], null) == 0) {
                        restored.add(NAMES[i]);
                    } else {
                        LOG.warn("Cannot give {} back to the JVM after Helm's Go code took it", NAMES[i]);
                    }
                }
            }
        }
        if (!restored.isEmpty()) {
            if (restoredOnce) {
                LOG.warn("Helm's Go code took {} again; gave them back to the JVM", restored);
            } else {
                LOG.debug("Gave {} back to the JVM after Helm's Go code took them", restored);
            }
            restoredOnce = true;
        }
    }
}
