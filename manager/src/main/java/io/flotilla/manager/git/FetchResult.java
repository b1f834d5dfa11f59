package io.flotilla.manager.git;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A checked-out commit.
 *
 * @param commit   full commit id (40 hex characters)
 * @param checkout working tree holding exactly that commit; it also contains a hidden {@code .git} directory
 */
public record FetchResult(String commit, Path checkout) {
    public FetchResult {
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(checkout, "checkout");
    }
}
