package io.flotilla.manager.store;

import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A store file that went back in time (truncated to half, emptied, replaced by an older copy) is refused at open with
 * a message naming the file and the way back, instead of being served with most objects missing (as it was: a copy
 * truncated to 50 % started with 1 of 6,804 objects and no warning).
 */
class MvStoreDamageTest {
    @TempDir
    Path dir;

    private void fill(int objects) {
        try (MvStoreStore store = MvStoreStore.open(dir)) {
            for (int i = 0; i < objects; i++) {
                var cm = Json.newObject(Kind.GIT_REPO, "fleet-default", "repo-" + i);
                cm.putObject("spec").put("repo", "https://git.example.com/r" + i + ".git");
                store.create(cm);
            }
        }
    }

    @Test
    void aStoreTruncatedToHalfIsRefusedWithTheWayBack() throws Exception {
        fill(300);
        Path file = dir.resolve(MvStoreStore.FILE_NAME);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertThatThrownBy(() -> MvStoreStore.open(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("committed up to 300")
                .hasMessageContaining("Restore the data directory from a backup").hasMessageContaining(CommitMark.FILE_NAME);
    }

    @Test
    void anEmptiedStoreIsRefused() throws Exception {
        fill(10);
        Files.write(dir.resolve(MvStoreStore.FILE_NAME), new byte[0]);
        assertThatThrownBy(() -> MvStoreStore.open(dir)).hasMessageContaining("holds resourceVersion 0")
                .hasMessageContaining("committed up to 10");
    }

    @Test
    void anOlderCopyIsRefusedUntilTheMarkIsDeletedOnPurpose() throws Exception {
        fill(5);
        Path older = dir.resolveSibling(dir.getFileName() + "-older.mv.db");
        Files.copy(dir.resolve(MvStoreStore.FILE_NAME), older, StandardCopyOption.REPLACE_EXISTING);
        try (MvStoreStore store = MvStoreStore.open(dir)) {
            store.create(Json.newObject(Kind.CLUSTER_GROUP, "fleet-default", "later"));
        }
        Files.copy(older, dir.resolve(MvStoreStore.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> MvStoreStore.open(dir)).hasMessageContaining("holds resourceVersion 5")
                .hasMessageContaining("committed up to 6");

        Files.delete(dir.resolve(CommitMark.FILE_NAME));
        try (MvStoreStore store = MvStoreStore.open(dir)) {
            assertThat(store.list(Kind.GIT_REPO, null)).hasSize(5);
        }
    }

    @Test
    void anIntactStoreOpensAgainAndAStoreFromBeforeMarksIsAccepted() throws Exception {
        fill(3);
        try (MvStoreStore store = MvStoreStore.open(dir)) {
            assertThat(store.list(Kind.GIT_REPO, null)).hasSize(3);
        }
        Files.delete(dir.resolve(CommitMark.FILE_NAME)); // as a data dir written by an earlier version
        try (MvStoreStore store = MvStoreStore.open(dir)) {
            assertThat(store.list(Kind.GIT_REPO, null)).hasSize(3);
        }
        assertThat(CommitMark.recorded(dir)).isEqualTo(3);
    }
}
