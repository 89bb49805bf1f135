package io.workjs.server.routing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One route of the loaded MAP, with mount prefixes, methods and default flags already applied. */
public final class Route {
    private final String pattern;
    private final String method;
    private final PathPattern compiled;
    private final Path page;
    private final Path controller;
    private final String target;
    private final Map<String, JsonElement> flags;
    private final String source;

    Route(String pattern, String method, PathPattern compiled, Path siteDir, String target,
            Map<String, JsonElement> flags, String source) {
        this.pattern = pattern;
        this.method = method;
        this.compiled = compiled;
        this.page = siteDir.resolve(target + ".html");
        this.controller = siteDir.resolve(target + ".ws");
        this.target = target;
        Map<String, JsonElement> copy = new LinkedHashMap<>();
        flags.forEach((name, value) -> copy.put(name, value.deepCopy()));
        this.flags = Collections.unmodifiableMap(copy);
        this.source = source;
    }

    /** The full urlpath after mounting, as written, e.g. {@code /mod/chat/:room}. */
    public String pattern() {
        return pattern;
    }

    /** The upper-case HTTP method, or {@code *} for any. */
    public String method() {
        return method;
    }

    /** The page file, {@code <site>/<target>.html} (it may not exist). */
    public Path page() {
        return page;
    }

    /** The controller file, {@code <site>/<target>.ws} (it may not exist). */
    public Path controller() {
        return controller;
    }

    /** The target relative to the site directory, without extension, e.g. {@code modules/chat/room}. */
    public String target() {
        return target;
    }

    /**
     * Whether this route takes WebSocket upgrades: its {@code ws} flag is on for GET, the only
     * method an upgrade may use (RFC 6455, section 4.1). The one place this is decided.
     */
    public boolean websocket() {
        return flag("ws", "GET");
    }

    /** Whether flag {@code name} is on for a request using {@code requestMethod}. */
    public boolean flag(String name, String requestMethod) {
        return Flags.isOn(flags.get(name), requestMethod.toUpperCase(Locale.ROOT));
    }

    /** The raw flags, the route's own merged over its mounts' defaults; values are copies. */
    public Map<String, JsonElement> flags() {
        Map<String, JsonElement> copy = new LinkedHashMap<>();
        // JsonElements are mutable, so hand out copies to keep the route unchanged.
        flags.forEach((name, value) -> copy.put(name, value.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    /** Where the route was written, e.g. {@code modules/chat/MAP:3}. */
    public String source() {
        return source;
    }

    /** Params for the decoded request segments, or null when the path does not fit. */
    Map<String, String> match(List<String> segments) {
        return compiled.match(segments);
    }

    /** A start-up listing line such as {@code GET  /chat/:room  -> chat  {"ws":"t"}}. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(method).append("  ").append(pattern).append("  -> ").append(target);
        if (!flags.isEmpty()) {
            JsonObject json = new JsonObject();
            flags.forEach(json::add);
            line.append("  ").append(json);
        }
        return line.toString();
    }
}
