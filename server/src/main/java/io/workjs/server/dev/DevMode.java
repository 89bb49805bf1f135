package io.workjs.server.dev;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.workjs.runtime.Controller;
import io.workjs.runtime.JsRuntime;
import io.workjs.server.http.Routes;
import io.workjs.server.routing.MapException;
import io.workjs.server.routing.Route;
import io.workjs.server.routing.RouteMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Development mode (CONF {@code servermode: "development"}, {@code --dev}; docs/OPERATIONS.md):
 * each burst of changes the {@link SiteWatcher} reports is applied while the server runs.
 * <ul>
 * <li>a {@code .ws} file, or a module one requires: loaded again on the JS loop; open
 *     connections keep their {@code this} and group and run the new code from their next call;</li>
 * <li>a MAP (the site's or a mounted one): the routes are loaded again;</li>
 * <li>a route's page, or any file under {@code static/}: the pages showing it are told to
 *     reload ({@code ["_reload", {"files": [...]}]}, which the shipped client obeys and the
 *     original ignores as an unknown event).</li>
 * </ul>
 * An edit that fails (a syntax error, a bad MAP line, a {@code require} of a missing file)
 * leaves the previous version serving; the error is logged with its file and line, and the
 * pages of that controller (for MAP, every page) get {@code ["_error", {"code":
 * "RELOAD_FAILED", ...}]}.
 */
public final class DevMode implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.dev");
    /** The event that tells a page to reload; the original client ignores it. */
    public static final String RELOAD = "_reload";
    public static final String RELOAD_FAILED = "RELOAD_FAILED";

    private final Path site;
    private final JsRuntime runtime;
    private final Map<Path, Controller> controllers;
    private final AtomicReference<Routes> routes;
    private final SiteWatcher watcher;

    private DevMode(Path site, Path data, JsRuntime runtime, Map<Path, Controller> controllers,
            AtomicReference<Routes> routes) throws IOException {
        this.site = site.toAbsolutePath().normalize();
        this.runtime = runtime;
        this.controllers = controllers;
        this.routes = routes;
        this.watcher = SiteWatcher.start(this.site, data, this::changed);
        LOG.info("development mode: watching " + this.site + " for changes");
    }

    /**
     * Watches {@code site} and applies its changes to {@code runtime}, to {@code controllers}
     * (each loaded controller by its file; replaced on reload) and to {@code routes}.
     */
    public static DevMode start(Path site, Path data, JsRuntime runtime, Map<Path, Controller> controllers,
            AtomicReference<Routes> routes) throws IOException {
        return new DevMode(site, data, runtime, controllers, routes);
    }

    /** One burst of changed files (absolute; the site folder itself when anything may have changed). */
    void changed(Set<Path> files) {
        boolean everything = files.contains(site);
        List<String> names = new ArrayList<>();
        for (Path f : files) if (!f.equals(site)) names.add(relative(f));
        if (everything || names.stream().anyMatch(n -> n.equals("MAP") || n.endsWith("/MAP"))) reloadRoutes();
        if (names.contains("CONF")) LOG.warning("dev: CONF changed; restart the server to apply it");
        Set<Path> reload = new LinkedHashSet<>();
        if (everything || runtime.forgetModules(names)) {
            for (String file : runtime.controllers()) reload.add(site.resolve(file));   // a module changed: all see the new one
        }
        for (Path f : files) if (f.toString().endsWith(".ws") && (controllers.containsKey(f) || usedByRoute(f))) reload.add(f);
        for (Path f : reload) reloadController(f);
        Set<String> reloadPages = new LinkedHashSet<>();
        boolean everyPage = everything;
        for (String n : names) {
            if (n.startsWith("static/")) everyPage = true;
            else if (isPage(site.resolve(n))) reloadPages.add(n);
        }
        if (everyPage) tellReload(null, names);
        else if (!reloadPages.isEmpty()) tellReload(controllersShowing(reloadPages), names);
    }

    private void reloadRoutes() {
        RouteMap loaded;
        try {
            loaded = RouteMap.load(site, warning -> LOG.warning("dev: " + warning));
        } catch (MapException e) {
            LOG.severe("dev: MAP not reloaded, the previous routes keep serving: " + e.getMessage());
            tellFailed(null, e.getMessage());
            return;
        }
        for (Route route : loaded.routes()) {
            if (route.websocket() && !controllers.containsKey(route.controller())) {
                Controller c = runtime.load(route.controller());
                controllers.put(route.controller(), c);
                if (!c.ok()) LOG.severe("dev: controller " + c.error() + " (WebSocket upgrades on " + route.pattern() + " are refused until it is fixed)");
            }
        }
        routes.set(new Routes(loaded, route -> controllers.get(route.controller())));
        LOG.info("dev: routes reloaded (" + loaded.routes().size() + ")");
    }

    private void reloadController(Path file) {
        if (!Files.isRegularFile(file)) {
            LOG.warning("dev: " + relative(file) + " is gone; its previous version keeps serving its connections");
            return;
        }
        Controller before = controllers.get(file);
        Controller now = runtime.load(file);
        if (now.ok()) {
            controllers.put(file, now);
            LOG.info("dev: reloaded " + now.file() + " " + now.functions());
            return;
        }
        // the previous version keeps serving (a file that never loaded stays refused)
        if (before == null) controllers.put(file, now);
        LOG.severe("dev: " + now.error() + (before != null && before.ok() ? " (the previous version keeps serving)" : ""));
        tellFailed(List.of(relative(file)), now.error());
    }

    private boolean usedByRoute(Path file) {
        return routes.get().map().routes().stream().anyMatch(r -> r.websocket() && r.controller().equals(file));
    }

    private boolean isPage(Path file) {
        return routes.get().map().routes().stream().anyMatch(r -> r.page().equals(file));
    }

    /** The controllers of the WebSocket routes whose page is one of {@code pages}: only their pages have a socket to be told on. */
    private Set<String> controllersShowing(Set<String> pages) {
        Set<String> files = new LinkedHashSet<>();
        for (Route r : routes.get().map().routes()) {
            if (r.websocket() && pages.contains(relative(r.page()))) files.add(relative(r.controller()));
        }
        return files;
    }

    private void tellReload(Collection<String> controllerFiles, List<String> changed) {
        JsonArray files = new JsonArray();
        for (String n : changed) files.add(n);
        JsonObject param = new JsonObject();
        param.add("files", files);
        JsonArray frame = new JsonArray();
        frame.add(RELOAD);
        frame.add(param);
        if (controllerFiles == null || !controllerFiles.isEmpty()) runtime.tell(controllerFiles, frame.toString());
    }

    private void tellFailed(Collection<String> controllerFiles, String error) {
        JsonObject param = new JsonObject();
        param.addProperty("code", RELOAD_FAILED);
        param.addProperty("message", error);
        JsonArray frame = new JsonArray();
        frame.add("_error");
        frame.add(param);
        runtime.tell(controllerFiles, frame.toString());
    }

    private String relative(Path file) {
        return site.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    @Override
    public void close() {
        watcher.close();
    }
}
