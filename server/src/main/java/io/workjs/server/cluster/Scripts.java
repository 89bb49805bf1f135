package io.workjs.server.cluster;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Lua scripts of a group's operations. Each runs atomically in Redis, so one round trip
 * appends to the group's stream, updates its members and publishes on its channel, and every
 * node sees the group's entries in the stream's one order. Called by their SHA; Redis forgets
 * scripts when it restarts, so {@link #load} runs again on every return of Redis, before
 * anything is resent, and a NOSCRIPT answer counts as Redis being down (it cannot be otherwise).
 */
final class Scripts {
    /**
     * KEYS: stream, members, publishers, channel, the node's groups, states. ARGV: max length,
     * run, operation number, type, field, rest, node, the group's id, then for a {@code m}
     * operation one or more (member id, session, state, first), where first is 1 when the node
     * had not stated that member yet, and 2 when its session id changed since (its record takes
     * the new one). Applies an operation once (a retried one is answered with
     * nil), returns the new entry's id. A {@code m} operation's publication lists its members as
     * lines, {@code ID \n STATE} each (a state is one line of JSON); its stream entry holds
     * none, since whoever reads the stream reads the members after it ({@link #SYNC}), and so a
     * group's stream stays as small as its events. A member is kept as a record,
     * {@code NODE \n SESSION \n JOINED} (JOINED: the id of its first entry, where a replay for
     * it may start), written once, and its state, written on each change: a state costs one
     * HSET. Its node remembers the group, so that the members of a node that dies can be found
     * and let go ({@link #LEAVE_IF}).
     */
    static final String APPLY = """
            local last = redis.call('HGET', KEYS[3], ARGV[2])
            if last and tonumber(last) >= tonumber(ARGV[3]) then return false end
            redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
            redis.call('EXPIRE', KEYS[3], 86400)
            local function sized(group, change)
              local nul = string.find(group, '\\0', 1, true)
              if not nul then return end
              local sizes = 'workjs:sizes:' .. string.sub(group, 1, nul - 1)
              local key = string.sub(group, nul + 1)
              local n = redis.call('HINCRBY', sizes, key, change)
              if n <= 0 then redis.call('HDEL', sizes, key) end
              redis.call('PUBLISH', 'workjs:sizes', string.sub(group, 1, nul - 1) .. '\\n' .. key .. '\\n' .. math.max(n, 0))
            end
            local t = ARGV[4]
            local body = t .. '\\n' .. ARGV[2] .. ':' .. ARGV[3] .. '\\n' .. ARGV[7] .. '\\n' .. ARGV[5] .. '\\n' .. ARGV[6]
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'b', body)
            redis.call('EXPIRE', KEYS[1], 86400)
            if t == 'm' then
              local lines = {}
              for i = 9, #ARGV, 4 do lines[#lines + 1] = ARGV[i] .. '\\n' .. ARGV[i + 2] end
              body = body .. table.concat(lines, '\\n')
            end
            if t == 'm' then
              local first = false
              for i = 9, #ARGV, 4 do
                if ARGV[i + 3] == '1' then
                  first = true
                  if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[7] .. '\\n' .. ARGV[i + 1] .. '\\n' .. id) == 1 then sized(ARGV[8], 1) end
                elseif ARGV[i + 3] == '2' then
                  local v = redis.call('HGET', KEYS[2], ARGV[i])
                  if v then
                    local a = string.find(v, '\\n', 1, true)
                    local b = string.find(v, '\\n', a + 1, true)
                    redis.call('HSET', KEYS[2], ARGV[i], string.sub(v, 1, a) .. ARGV[i + 1] .. string.sub(v, b))
                  end
                end
                redis.call('HSET', KEYS[6], ARGV[i], ARGV[i + 2])
              end
              if first then redis.call('SADD', KEYS[5], ARGV[8]) end
            elseif t == 'l' then
              redis.call('HDEL', KEYS[6], ARGV[5])
              if redis.call('HDEL', KEYS[2], ARGV[5]) == 1 then sized(ARGV[8], -1) end
            end
            redis.call('SPUBLISH', KEYS[4], id .. '\\n' .. body)
            return id
            """;

    /**
     * KEYS: stream, members, channel, states. ARGV: max length, run, member id, node, group id.
     * Removes the member if it is still that node's (it did not move to another node meanwhile)
     * and announces its leave like {@link #APPLY}; returns the member's record and state
     * ({@link MemberRecord}), or nil when it was not that node's. The one claim that lets exactly
     * one node run the member's exit().
     */
    static final String LEAVE_IF = """
            local v = redis.call('HGET', KEYS[2], ARGV[3])
            if not v or string.sub(v, 1, #ARGV[4] + 1) ~= ARGV[4] .. '\\n' then return false end
            redis.call('HDEL', KEYS[2], ARGV[3])
            local state = redis.call('HGET', KEYS[4], ARGV[3]) or '{}'
            redis.call('HDEL', KEYS[4], ARGV[3])
            local nul = string.find(ARGV[5], '\\0', 1, true)
            if nul then
              local sizes = 'workjs:sizes:' .. string.sub(ARGV[5], 1, nul - 1)
              local key = string.sub(ARGV[5], nul + 1)
              local n = redis.call('HINCRBY', sizes, key, -1)
              if n <= 0 then redis.call('HDEL', sizes, key) end
              redis.call('PUBLISH', 'workjs:sizes', string.sub(ARGV[5], 1, nul - 1) .. '\\n' .. key .. '\\n' .. math.max(n, 0))
            end
            local body = 'l\\n' .. ARGV[2] .. ':0\\n' .. ARGV[4] .. '\\n' .. ARGV[3] .. '\\n'
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'b', body)
            redis.call('SPUBLISH', KEYS[3], id .. '\\n' .. body)
            return v .. '\\n' .. state
            """;

    /**
     * KEYS: members, the new node's groups, states. ARGV: member id, the node it was on, the node
     * it moves to, the group's id. Takes the member over if it is still the first node's; returns
     * its record as it was and its state ({@link MemberRecord}), or nil. The claim that lets exactly one node resume a dead node's
     * connection, against the {@link #LEAVE_IF} of the node letting it go.
     */
    static final String MOVE = """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if not v or string.sub(v, 1, #ARGV[2] + 1) ~= ARGV[2] .. '\\n' then return false end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3] .. string.sub(v, #ARGV[2] + 1))
            redis.call('SADD', KEYS[2], ARGV[4])
            return v .. '\\n' .. (redis.call('HGET', KEYS[3], ARGV[1]) or '{}')
            """;

    /** KEYS: stream, members, states. The stream's last id ('0-0' when empty) and every member (id, record and state, ...). */
    static final String SYNC = """
            local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            local id = '0-0'
            if #last > 0 then id = last[1][1] end
            local members = redis.call('HGETALL', KEYS[2])
            for i = 2, #members, 2 do members[i] = members[i] .. '\\n' .. (redis.call('HGET', KEYS[3], members[i - 1]) or '{}') end
            return {id, members}
            """;

    /**
     * KEYS: stream. ARGV: the last id seen. Whether that entry is gone (1: the stream was trimmed
     * past it or lost), and every entry after it.
     */
    static final String CATCH_UP = """
            local lost = 0
            if ARGV[1] ~= '0-0' and #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 then lost = 1 end
            return {lost, redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+')}
            """;

    private static final byte[] ONE = {'1'};
    private static final byte[] ZERO = {'0'};
    private static final byte[] TWO = {'2'};

    private final Redis redis;
    private volatile String apply;
    private volatile String sync;
    private volatile String catchUp;
    private volatile String leaveIf;
    private volatile String move;

    Scripts(Redis redis) {
        this.redis = redis;
    }

    /** Loads the scripts into Redis (again); completes when all three are there. */
    CompletionStage<Void> load() {
        var a = Redis.call(() -> redis.async().scriptLoad(APPLY));
        var s = Redis.call(() -> redis.async().scriptLoad(SYNC));
        var c = Redis.call(() -> redis.async().scriptLoad(CATCH_UP));
        var l = Redis.call(() -> redis.async().scriptLoad(LEAVE_IF));
        var mv = Redis.call(() -> redis.async().scriptLoad(MOVE));
        return a.thenCombine(s, (x, y) -> {
            apply = x;
            sync = y;
            return null;
        }).thenCombine(c, (x, z) -> {
            catchUp = z;
            return null;
        }).thenCombine(l, (x, w) -> {
            leaveIf = w;
            return null;
        }).thenCombine(mv, (x, v) -> {
            move = v;
            return null;
        });
    }

    /** Runs one operation: its entry id, or null when Redis had applied it already. */
    CompletableFuture<byte[]> apply(int maxLength, Op op, String node) {
        String group = Keys.group(op.groupId());
        String[] keys = {Keys.stream(group), Keys.members(group), Keys.publishers(group), Keys.channel(group), Keys.nodeGroups(node),
                Keys.states(group)};
        byte[][] args = new byte[8 + 4 * op.states().size()][];
        args[0] = bytes(Integer.toString(maxLength));
        args[1] = bytes(op.run());
        args[2] = bytes(Long.toString(op.number()));
        args[3] = bytes(String.valueOf(op.type()));
        args[4] = bytes(op.field());
        args[5] = op.rest();
        args[6] = bytes(node);
        args[7] = bytes(op.groupId());
        int i = 8;
        for (Op.State state : op.states()) {
            args[i++] = bytes(state.member());
            args[i++] = bytes(state.session() == null ? "" : state.session());
            args[i++] = bytes(state.json());
            args[i++] = state.first() ? ONE : state.renewed() ? TWO : ZERO;
        }
        return Redis.call(() -> redis.async().<byte[]>evalsha(apply, ScriptOutputType.VALUE, keys, args));
    }

    /** Lets a dead node's member go if it is still that node's: its record ({@code NODE\nSESSION\nSTATE}), or null. */
    CompletableFuture<byte[]> leaveIf(int maxLength, String groupId, String memberId, String deadNode, String run) {
        String group = Keys.group(groupId);
        String[] keys = {Keys.stream(group), Keys.members(group), Keys.channel(group), Keys.states(group)};
        return Redis.call(() -> redis.async().<byte[]>evalsha(leaveIf, ScriptOutputType.VALUE, keys, bytes(Integer.toString(maxLength)),
                bytes(run), bytes(memberId), bytes(deadNode), bytes(groupId)));
    }

    /** Takes a member over from {@code from} to {@code to}: its record as it was, or null when it was not {@code from}'s. */
    CompletableFuture<byte[]> move(String groupId, String memberId, String from, String to) {
        String group = Keys.group(groupId);
        String[] keys = {Keys.members(group), Keys.nodeGroups(to), Keys.states(group)};
        return Redis.call(() -> redis.async().<byte[]>evalsha(move, ScriptOutputType.VALUE, keys, bytes(memberId), bytes(from), bytes(to),
                bytes(groupId)));
    }

    /** The group's last entry id and its members. */
    CompletableFuture<List<Object>> sync(String group) {
        return Redis.call(() -> redis.async().<List<Object>>evalsha(sync, ScriptOutputType.MULTI, Keys.stream(group), Keys.members(group),
                Keys.states(group)));
    }

    /** Whether entries after {@code last} were lost, and those that are there. */
    CompletableFuture<List<Object>> catchUp(String group, StreamId last) {
        return Redis.call(() -> redis.async().<List<Object>>evalsha(catchUp, ScriptOutputType.MULTI, new String[] {Keys.stream(group)},
                bytes(last.toString())));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
