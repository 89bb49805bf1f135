package io.workjs.server.routing;

import java.util.Locale;
import java.util.Set;

/** The HTTP verbs a MAP line may name, plus {@code *} for "any". */
final class Methods {
    static final String ANY = "*";
    private static final Set<String> KNOWN =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private Methods() {
    }

    /** The upper-case method or {@code *}, or null when {@code written} is neither. */
    static String normalise(String written) {
        String upper = written.toUpperCase(Locale.ROOT);
        return upper.equals(ANY) || KNOWN.contains(upper) ? upper : null;
    }

    /** Whether a route declared for {@code routeMethod} serves a request using {@code requestMethod}. */
    static boolean accepts(String routeMethod, String requestMethod) {
        // HEAD is GET without the body, so every GET route answers it too.
        return routeMethod.equals(ANY)
                || routeMethod.equals(requestMethod)
                || (routeMethod.equals("GET") && requestMethod.equals("HEAD"));
    }
}
