package io.workjs.runtime;

import java.time.InstantSource;

/**
 * Everything the runtime uses from outside itself, handed over once at start. Each is an
 * interface the server chooses an implementation of, so that a cluster, a database or a metrics
 * registry plugs in here instead of into the runtime's internals.
 *
 * @param sessions where {@code this.sess} keeps its data
 * @param groups   who is in which group, and delivery of a group's events
 * @param database the database behind {@code this.db}
 * @param metrics  where the runtime reports its own work
 * @param clock    the wall clock (rate limits read it per frame)
 * @param batches  told when the loop starts and ends a batch of turns (the transport writes then)
 */
public record RuntimeServices(SessionData sessions, GroupBus groups, Database database, Metrics metrics,
        InstantSource clock, LoopBatches batches) {

    /** No sessions, an in-process group bus, no database, no metrics, the system clock, frames written at once. */
    public static RuntimeServices defaults() {
        return new RuntimeServices(SessionData.NONE, GroupBus.inProcess(), Database.NONE, Metrics.NONE, InstantSource.system(),
                LoopBatches.NONE);
    }

    public RuntimeServices withSessions(SessionData sessions) {
        return new RuntimeServices(sessions, groups, database, metrics, clock, batches);
    }

    public RuntimeServices withGroups(GroupBus groups) {
        return new RuntimeServices(sessions, groups, database, metrics, clock, batches);
    }

    public RuntimeServices withDatabase(Database database) {
        return new RuntimeServices(sessions, groups, database, metrics, clock, batches);
    }

    public RuntimeServices withMetrics(Metrics metrics) {
        return new RuntimeServices(sessions, groups, database, metrics, clock, batches);
    }

    public RuntimeServices withClock(InstantSource clock) {
        return new RuntimeServices(sessions, groups, database, metrics, clock, batches);
    }

    public RuntimeServices withBatches(LoopBatches batches) {
        return new RuntimeServices(sessions, groups, database, metrics, clock, batches);
    }
}
