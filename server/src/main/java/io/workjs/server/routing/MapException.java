package io.workjs.server.routing;

/**
 * A MAP file (or a mount it names) cannot be loaded. The message always starts with the
 * site-relative file and, when a line is to blame, its number: {@code modules/chat/MAP:3: ...}.
 */
public final class MapException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MapException(String message) {
        super(message);
    }

    /** Builds the exception for a problem at {@code source} ("file:line" or just "file"). */
    static MapException at(String source, String problem) {
        return new MapException(source + ": " + problem);
    }
}
