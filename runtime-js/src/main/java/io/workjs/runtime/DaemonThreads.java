package io.workjs.runtime;

import java.util.concurrent.ThreadFactory;

/**
 * The one way this server makes its own threads: named (so a thread dump says whose they are)
 * and daemon (so a forgotten one never keeps the process alive after {@code stop()}).
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** A factory whose threads are all called {@code name}; each pool here has one thread. */
    public static ThreadFactory named(String name) {
        return task -> Thread.ofPlatform().name(name).daemon().unstarted(task);
    }

    /** Starts {@code task} on a new daemon thread called {@code name}. */
    public static Thread start(String name, Runnable task) {
        return Thread.ofPlatform().name(name).daemon().start(task);
    }
}
