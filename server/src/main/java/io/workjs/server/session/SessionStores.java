package io.workjs.server.session;

import io.workjs.server.config.ServerConfig;
import java.nio.file.Path;

/**
 * The embedded session store: one file in the data folder. A cluster's nodes share theirs in
 * Redis instead (io.workjs.server.cluster.ClusterNode#sessions); WorkServer chooses.
 */
public final class SessionStores {
    /** The embedded store's file in the data folder. */
    public static final String STORE_FILE = "sessions.mv.db";

    private SessionStores() {
    }

    /** Opens the store this configuration asks for; the data folder is created owner-only if missing. */
    public static SessionStore open(ServerConfig config) {
        Path data = SecretFile.dataFolder(config.data());
        return MvSessionStore.open(data.resolve(STORE_FILE));
    }
}
