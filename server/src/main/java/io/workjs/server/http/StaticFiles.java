package io.workjs.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.server.handlers.resource.ResourceManager;
import io.undertow.util.ETag;
import io.undertow.util.Headers;
import io.undertow.util.MimeMappings;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The site's {@code static/} folder at {@code /static/}. Symbolic links are not followed, and
 * dotfiles, controllers ({@code .ws}), MAP and CONF are never served, wherever they sit.
 */
final class StaticFiles implements HttpHandler {
    /** Browsers may reuse a file this long before revalidating it with its ETag. */
    static final int CACHE_SECONDS = 600;

    private final HttpHandler resources;
    private final boolean development;

    /** In {@code development} mode a browser revalidates every file on every use ({@code no-cache}), so an edit shows at once. */
    StaticFiles(Path staticDir, boolean development) {
        this.development = development;
        if (!Files.isDirectory(staticDir)) {
            resources = exchange -> exchange.setStatusCode(StatusCodes.NOT_FOUND).endExchange();
            return;
        }
        ResourceManager manager = PathResourceManager.builder()
                .setBase(staticDir)
                .setFollowLinks(false)
                .setCaseSensitive(true)
                .setETagFunction(StaticFiles::etag)
                .build();
        MimeMappings mime = MimeMappings.builder(true)
                .addMapping("mjs", "text/javascript")
                .addMapping("js", "text/javascript")
                .addMapping("json", "application/json")
                .addMapping("map", "application/json")
                .addMapping("svg", "image/svg+xml")
                .addMapping("webp", "image/webp")
                .addMapping("woff2", "font/woff2")
                .addMapping("wasm", "application/wasm")
                .build();
        this.resources = new ResourceHandler(manager)
                .setDirectoryListingEnabled(false)
                .setCacheTime(development ? null : CACHE_SECONDS)
                .setMimeMappings(mime);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (hidden(exchange.getRelativePath())) {
            exchange.setStatusCode(StatusCodes.NOT_FOUND);
            exchange.endExchange();
            return;
        }
        if (development) exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        resources.handleRequest(exchange);
    }

    /** True for paths that must never reach a browser. */
    static boolean hidden(String path) {
        for (String segment : path.replace('\\', '/').split("/")) {
            if (segment.startsWith(".") || segment.endsWith(".ws") || segment.equals("MAP") || segment.equals("CONF")) return true;
        }
        return false;
    }

    private static ETag etag(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new ETag(false, Long.toHexString(a.lastModifiedTime().toMillis()) + "-" + Long.toHexString(a.size()));
        } catch (IOException e) {
            return null;
        }
    }
}
