package io.workjs.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves a route's page. Pages are read on each request (they are small, and an edit shows on
 * reload); with the {@code ws} flag the client's script tag goes in first thing in the head, so
 * {@code worksocket} is defined before any script of the page runs.
 */
final class Pages {
    static final String CLIENT_TAG = "<script src=\"" + ClientScript.PATH + "\"></script>";
    private static final Pattern HEAD = Pattern.compile("<head(?:\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern HTML = Pattern.compile("<html(?:\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOCTYPE = Pattern.compile("<!doctype[^>]*>", Pattern.CASE_INSENSITIVE);

    private Pages() {
    }

    /** Sends the page; runs on a worker thread because it reads a file. */
    static void send(HttpServerExchange exchange, Path page, boolean withClient) throws IOException {
        String html = Files.readString(page, StandardCharsets.UTF_8);
        if (withClient) html = withClient(html);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseSender().send(html, StandardCharsets.UTF_8);
    }

    /** Inserts the client's script tag after the head tag, else after html, else after the doctype, else first. */
    static String withClient(String html) {
        for (Pattern tag : new Pattern[] {HEAD, HTML, DOCTYPE}) {
            Matcher m = tag.matcher(html);
            if (m.find()) return html.substring(0, m.end()) + CLIENT_TAG + html.substring(m.end());
        }
        return CLIENT_TAG + html;
    }
}
