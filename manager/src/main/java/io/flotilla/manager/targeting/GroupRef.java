package io.flotilla.manager.targeting;

import java.util.Map;

/** A cluster's membership in one ClusterGroup: the group's name and the group object's own labels. */
public record GroupRef(String name, Map<String, String> labels) {

    /** What a cluster in no group is evaluated with: group name {@code ""} and no labels. */
    static final GroupRef NONE = new GroupRef("", null);
}
