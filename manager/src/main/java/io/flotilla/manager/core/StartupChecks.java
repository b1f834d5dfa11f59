package io.flotilla.manager.core;

import io.flotilla.manager.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Start-up failures turned into one clear sentence each, and a failed start cleaned up so the process can exit at
 * once (a data dir in use, a port in use, a data dir that cannot be created or written, an unreadable store).
 */
public final class StartupChecks {
    private StartupChecks() {
    }

    /** Why the manager did not start; the message is meant to be printed as it is. */
    public static final class StartupFailure extends RuntimeException {
        public StartupFailure(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** Creates the data dir when needed and proves it writable (a write, not a permission check: root ignores those). */
    public static void dataDir(Path dir) {
        Path abs = dir.toAbsolutePath();
        try {
            Files.createDirectories(abs);
        } catch (FileAlreadyExistsException e) {
            throw new StartupFailure("data directory " + abs + " cannot be created: " + e.getFile() + " exists and is not a directory", e);
        } catch (AccessDeniedException e) {
            throw new StartupFailure("data directory " + abs + " cannot be created: permission denied on " + e.getFile(), e);
        } catch (FileSystemException e) {
            throw new StartupFailure("data directory " + abs + " cannot be created: " + reason(e), e);
        } catch (IOException e) {
            throw new StartupFailure("data directory " + abs + " cannot be created: " + e.getMessage(), e);
        }
        try {
            Path probe = Files.createTempFile(abs, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new StartupFailure("data directory " + abs + " is not writable by this user ("
                    + (e instanceof FileSystemException fs ? reason(fs) : e.getMessage()) + ")", e);
        }
    }

    private static String reason(FileSystemException e) {
        return e.getReason() != null ? e.getReason() : e instanceof NoSuchFileException ? "no such file or directory"
                : e.getClass().getSimpleName();
    }

    /** The listen error, said plainly. */
    public static Throwable listenFailure(String host, int port, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String where = host + ":" + port;
        if (root instanceof BindException || String.valueOf(root.getMessage()).contains("Address already in use")) {
            String msg = String.valueOf(root.getMessage());
            return new StartupFailure("cannot listen on " + where + ": " + (msg.contains("in use")
                    ? "the port is in use (another manager or program?); choose another with --listen"
                    : msg + " (is " + host + " an address of this machine?)"), e);
        }
        return new StartupFailure("cannot listen on " + where + ": " + root.getMessage(), e);
    }

    /**
     * Undoes a failed start: stops what was built (which closes the store and Vert.x), or else closes the store and
     * Vert.x; completes when done. Vert.x is closed from a plain thread: a future completed while its own
     * event loop shuts down would never be delivered (the start-up used to hang on {@code RejectedExecutionException}).
     */
    public static CompletableFuture<Void> abandon(Vertx vertx, Supplier<Future<Void>> stopBuilt, Store store) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                if (stopBuilt != null) {
                    stopBuilt.get().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } else {
                    if (store != null) {
                        store.close();
                    }
                    vertx.close().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (Exception | LinkageError ignored) {
                // failing already: the start-up's cause is what matters
            }
            done.complete(null);
        }, "flotilla-startup-abort");
        closer.setDaemon(true);
        closer.start();
        return done;
    }
}
