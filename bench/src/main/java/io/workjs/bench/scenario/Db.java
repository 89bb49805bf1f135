package io.workjs.bench.scenario;

import io.workjs.bench.Settings;
import io.workjs.bench.load.Client;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.report.Result;
import java.time.Duration;

/**
 * A database round trip per call (bench/README.md, db): each call stores a message in its
 * room and returns the room's last 10 messages, two statements on the server's database.
 * Closed loop like {@link Rpc}, with fewer calls in flight: enough to keep every connection of
 * the database pool busy, not so many that latency is only queueing.
 */
public final class Db {

    /** The rooms; connection i is in room i % ROOMS, and its calls store and read that room's messages. */
    static final int ROOMS = 10;

    /** What every call sends: the message to store (its room is the connection's group). */
    static final String PAYLOAD = "{\"name\":\"bench-user-0042\",\"text\":\"hello from the load generator, stored and read back\"}";

    private Db() {
    }

    /**
     * Runs scenario {@code name} calling the bench handler's {@code function} (dbSay: the
     * synchronous API; dbSayLater: the Promise API) for {@code warmup}, then measures.
     */
    public static Result run(String name, String function, ServerProcess server, Client client, Settings settings,
                             Duration warmup) throws Exception {
        try (RpcLoad load = RpcLoad.start(client, server, settings.dbConnections(), settings.dbDepth(), function, PAYLOAD,
                i -> "room" + (i % ROOMS))) {
            return Rpc.measure(name, server, settings, settings.dbConnections(), warmup, load);
        }
    }
}
