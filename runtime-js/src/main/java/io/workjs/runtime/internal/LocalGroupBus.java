package io.workjs.runtime.internal;

import io.workjs.runtime.GroupBus;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The groups of one process with one JS loop: a map from group id to its members. Only the loop
 * thread touches it, so it needs no locking. An event's bytes are handed to every member's peer
 * as they are: encoded once, never copied per member.
 */
public final class LocalGroupBus implements GroupBus {
    private final Map<String, Map<String, Member>> groups = new HashMap<>();
    private java.util.function.Consumer<String> sizesChanged = controller -> { };

    @Override
    public void join(String group, Member member) {
        groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(member.id(), member);
        sizesChanged.accept(controllerOf(group));
    }

    @Override
    public void leave(String group, Member member) {
        Map<String, Member> members = groups.get(group);
        if (members == null || !members.remove(member.id(), member)) return;
        if (members.isEmpty()) groups.remove(group);
        sizesChanged.accept(controllerOf(group));
    }

    @Override
    public Map<String, Integer> sizes(String controller) {
        String prefix = controller + "\0";
        Map<String, Integer> sizes = new HashMap<>();
        for (Map.Entry<String, Map<String, Member>> g : groups.entrySet()) {
            if (g.getKey().startsWith(prefix)) sizes.put(g.getKey().substring(prefix.length()), g.getValue().size());
        }
        return sizes;
    }

    @Override
    public void watchSizes(java.util.function.Consumer<String> changed) {
        this.sizesChanged = changed;
    }

    private static String controllerOf(String group) {
        int nul = group.indexOf('\0');
        return nul < 0 ? group : group.substring(0, nul);
    }

    @Override
    public void publish(String group, ByteBuffer utf8) {
        Map<String, Member> members = groups.get(group);
        if (members == null) return;
        for (Member m : members.values()) m.peer().send(utf8);
    }

    @Override
    public Collection<String> ids(String group) {
        Map<String, Member> members = groups.get(group);
        return members == null ? List.of() : Collections.unmodifiableSet(members.keySet());
    }

    @Override
    public Member member(String group, String id) {
        Map<String, Member> members = groups.get(group);
        return members == null ? null : members.get(id);
    }

    /** Number of groups with members; for tests. */
    int groupCount() {
        return groups.size();
    }
}
