package io.workjs.runtime;

import java.util.List;

/** A loaded `.ws` file: the functions a client may call, or why it could not be loaded. */
public final class Controller {
    private final String file;
    private final List<String> functions;
    private final String error;

    Controller(String file, List<String> functions, String error) {
        this.file = file;
        this.functions = List.copyOf(functions);
        this.error = error;
    }

    /**
     * A loaded controller with these callable functions, for a transport driven by Java
     * {@link ConnectionEvents} instead of the runtime (the bench's raw peer).
     */
    public static Controller of(String file, List<String> functions) {
        return new Controller(file, functions, null);
    }

    /** The controller's path relative to the site directory, e.g. {@code chat.ws}. */
    public String file() {
        return file;
    }

    /** Names a client may call (lifecycle functions excluded). */
    public List<String> functions() {
        return functions;
    }

    /** Why loading failed, with file and line; null when the controller loaded. */
    public String error() {
        return error;
    }

    /** True when the controller loaded and can accept connections. */
    public boolean ok() {
        return error == null;
    }

    @Override
    public String toString() {
        return ok() ? file + " " + functions : file + " (failed: " + error + ")";
    }
}
