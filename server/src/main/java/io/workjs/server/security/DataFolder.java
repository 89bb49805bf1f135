package io.workjs.server.security;

import io.workjs.server.config.ConfigException;
import io.workjs.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The data folder holds session state and the generated secret, so it must never be one that
 * the server serves: a CONF {@code data} inside {@code static/} stops start-up.
 */
public final class DataFolder {
    private DataFolder() {
    }

    /** Throws when the configured data folder lies in the site's static folder. */
    public static void check(ServerConfig config) {
        Path data = real(config.data());
        Path served = real(config.site().resolve("static"));
        if (data.startsWith(served)) {
            throw new ConfigException("CONF \"data\": " + config.data() + " is inside static/, which is served to anyone;"
                    + " keep the data folder (sessions, the secret) elsewhere, e.g. the default " + ServerConfig.DEFAULT_DATA);
        }
    }

    /** The path with links resolved as far as it exists, so a link into static/ is caught too. */
    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        for (Path p = absolute; p != null; p = p.getParent()) {
            try {
                return p.toRealPath().resolve(p.relativize(absolute));
            } catch (IOException e) {
                // this part does not exist yet: try its parent
            }
        }
        return absolute;
    }
}
