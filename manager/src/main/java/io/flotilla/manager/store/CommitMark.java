package io.flotilla.manager.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The last resourceVersion the store committed, kept beside the store file so that a store file that went back in
 * time — truncated, emptied, replaced by an older copy; MVStore then opens its last intact version without a word —
 * is noticed at open instead of served. Written in place after every commit (one small write, no fsync: the same
 * guarantee as the commit it follows, so after a {@code kill -9} the mark is never ahead of the store).
 */
final class CommitMark implements AutoCloseable {
    static final String FILE_NAME = "flotilla.mv.mark";
    private static final int WIDTH = 20;

    private final Path file;
    private final FileChannel channel;
    private boolean failed;

    private CommitMark(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** The mark recorded in {@code dataDir}, or -1 when there is none (a new data dir, or a store older than marks). */
    static long recorded(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return -1;
        }
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? -1 : Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("commit mark " + file.toAbsolutePath() + " is unreadable (" + e.getMessage()
                    + "); delete it to start from the store file as it is", e);
        }
    }

    static CommitMark open(Path dataDir, long resourceVersion) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            CommitMark mark = new CommitMark(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
            mark.write(resourceVersion);
            return mark;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write commit mark " + file.toAbsolutePath(), e);
        }
    }

    /** Records a commit; a failure is logged by the caller once and does not undo the commit. */
    boolean write(long resourceVersion) {
        try {
            ByteBuffer text = ByteBuffer.wrap(String.format("%0" + WIDTH + "d%n", resourceVersion).getBytes(StandardCharsets.US_ASCII));
            while (text.hasRemaining()) {
                channel.write(text, text.position());
            }
            failed = false;
            return true;
        } catch (IOException e) {
            boolean first = !failed;
            failed = true;
            return !first;
        }
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was pending: every write went to the file when it was made
        }
    }
}
