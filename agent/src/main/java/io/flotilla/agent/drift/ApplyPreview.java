package io.flotilla.agent.drift;

import io.flotilla.agent.model.ObjectRef;
import java.util.Map;

/** What a live object would become if the agent applied its desired configuration now (a server-side dry run). */
@FunctionalInterface
public interface ApplyPreview {
    /**
     * @param prepared the configuration the agent applies ({@link io.flotilla.agent.model.Ownership#prepare})
     * @param live     the object as the cluster holds it
     * @return the object after the apply; {@code live} itself when applying would change nothing
     */
    Map<String, Object> afterApply(ObjectRef ref, Map<String, Object> prepared, Map<String, Object> live);
}
