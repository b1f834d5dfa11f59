package io.flotilla.manager.git;

import io.flotilla.manager.git.GitFetchException.Reason;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The refs a remote advertises (ls-remote) and which of them a {@link GitSource} asks for. */
final class RemoteRefs {
    private static final Pattern HEX_REVISION = Pattern.compile("[0-9a-fA-F]{7,40}");
    private static final int MAX_LISTED_BRANCHES = 20;

    /**
     * What to fetch.
     *
     * @param ref      remote ref name, or {@code null} when the revision is a commit id
     * @param objectId the object the ref points at (a commit or an annotated tag), {@code null} for an abbreviated id
     * @param commitId the commit behind it, {@code null} when only a fetch can tell
     * @param revision the user's revision text, for abbreviated commit ids and messages
     */
    record Target(String ref, ObjectId objectId, ObjectId commitId, String revision) {
    }

    private final String safeUrl;
    private final Map<String, Ref> refs;

    private RemoteRefs(String safeUrl, Map<String, Ref> refs) {
        this.safeUrl = safeUrl;
        this.refs = refs;
    }

    static RemoteRefs list(RemoteAccess remote, GitSource source) throws GitFetchException {
        try {
            Map<String, Ref> refs = remote.configure(Git.lsRemoteRepository().setRemote(source.url())).callAsMap();
            return new RemoteRefs(source.safeUrl(), refs);
        } catch (GitAPIException | JGitInternalException e) {
            throw remote.failure(e);
        }
    }

    Target target(GitSource source) throws GitFetchException {
        if (source.branch() != null) {
            return branch(source.branch());
        }
        if (source.revision() != null) {
            return revision(source.revision());
        }
        return branch(defaultBranch());
    }

    private Target branch(String branch) throws GitFetchException {
        Ref ref = refs.get(Constants.R_HEADS + branch);
        if (ref == null || ref.getObjectId() == null) {
            List<String> branches = branches();
            throw new GitFetchException(Reason.UNKNOWN_BRANCH, "branch \"" + branch + "\" not found in " + safeUrl
                    + (branches.isEmpty() ? " (the repository has no branches)" : " (branches: " + listed(branches) + ")"));
        }
        return new Target(ref.getName(), ref.getObjectId(), ref.getObjectId(), null);
    }

    private Target revision(String revision) throws GitFetchException {
        Ref tag = refs.get(Constants.R_TAGS + revision);
        if (tag != null && tag.getObjectId() != null) {
            ObjectId commit = tag.getPeeledObjectId() != null ? tag.getPeeledObjectId()
                    : tag.isPeeled() ? tag.getObjectId() : null;
            return new Target(tag.getName(), tag.getObjectId(), commit, revision);
        }
        if (!HEX_REVISION.matcher(revision).matches()) {
            throw new GitFetchException(Reason.UNKNOWN_REVISION, "revision \"" + revision + "\" not found in "
                    + safeUrl + ": it is neither a tag there nor a commit id");
        }
        String hex = revision.toLowerCase(Locale.ROOT);
        if (hex.length() == Constants.OBJECT_ID_STRING_LENGTH) {
            ObjectId id = ObjectId.fromString(hex);
            return new Target(null, id, id, revision);
        }
        Optional<ObjectId> tip = refs.values().stream().map(Ref::getObjectId)
                .filter(id -> id != null && id.name().startsWith(hex)).findFirst();
        return tip.map(id -> new Target(null, id, id, revision)).orElseGet(() -> new Target(null, null, null, revision));
    }

    /** The branch the remote's HEAD points at. */
    private String defaultBranch() throws GitFetchException {
        Ref head = refs.get(Constants.HEAD);
        if (head != null && head.isSymbolic() && head.getTarget().getName().startsWith(Constants.R_HEADS)) {
            return head.getTarget().getName().substring(Constants.R_HEADS.length());
        }
        // servers that do not advertise symrefs: the branch at HEAD's commit, preferring main and master
        List<String> atHead = head == null || head.getObjectId() == null ? List.of() : branches().stream()
                .filter(b -> head.getObjectId().equals(refs.get(Constants.R_HEADS + b).getObjectId())).toList();
        for (String preferred : List.of("main", "master")) {
            if (atHead.contains(preferred)) {
                return preferred;
            }
        }
        if (!atHead.isEmpty()) {
            return atHead.get(0);
        }
        List<String> branches = branches();
        throw new GitFetchException(Reason.UNKNOWN_BRANCH, "cannot find the default branch of " + safeUrl
                + (branches.isEmpty() ? ": the repository has no branches"
                : ": set branch (branches: " + listed(branches) + ")"));
    }

    private List<String> branches() {
        return refs.keySet().stream().filter(n -> n.startsWith(Constants.R_HEADS))
                .map(n -> n.substring(Constants.R_HEADS.length())).sorted().toList();
    }

    private static String listed(List<String> names) {
        if (names.size() <= MAX_LISTED_BRANCHES) {
            return String.join(", ", names);
        }
        return names.stream().limit(MAX_LISTED_BRANCHES).collect(Collectors.joining(", "))
                + ", ... " + (names.size() - MAX_LISTED_BRANCHES) + " more";
    }
}
