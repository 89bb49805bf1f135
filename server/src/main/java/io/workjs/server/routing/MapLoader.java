package io.workjs.server.routing;

import com.google.gson.JsonElement;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Reads a site's MAP and every MAP it mounts into one ordered list of routes. */
final class MapLoader {
    private static final String MAP = "MAP";

    /** What a mount hands down to the routes inside it; the top level has an empty one. */
    private record Scope(String prefix, String method, Map<String, JsonElement> defaults, String mountSource) {
    }

    private final Path siteDir;
    private final Consumer<String> warnings;
    private final Set<String> warnedFlags = new HashSet<>();
    private final List<String> mapStack = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();

    private MapLoader(Path siteDir, Consumer<String> warnings) {
        this.siteDir = siteDir;
        this.warnings = warnings;
    }

    /** All routes of {@code siteDir}'s MAP in MAP order, mount contents at the mount line. */
    static List<Route> load(Path siteDir, Consumer<String> warnings) {
        MapLoader loader = new MapLoader(siteDir, warnings);
        if (!Files.isRegularFile(siteDir.resolve(MAP))) {
            throw new MapException(MAP + ": not found in " + siteDir);
        }
        loader.loadMap(Path.of(""), new Scope("", Methods.ANY, Map.of(), null));
        return List.copyOf(loader.routes);
    }

    private void loadMap(Path folder, Scope scope) {
        String file = SitePaths.slashed(folder.resolve(MAP));
        mapStack.add(file);
        List<String> lines = read(file);
        for (int i = 0; i < lines.size(); i++) {
            // A UTF-8 byte order mark would otherwise glue itself to the first urlpath.
            String text = i == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(i);
            int number = i + 1;
            MapLine.parse(file, number, text).ifPresent(line -> addLine(folder, scope, line));
        }
        mapStack.removeLast();
    }

    private List<String> read(String file) {
        try {
            return Files.readAllLines(siteDir.resolve(file), StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw MapException.at(file, "is not UTF-8 text");
        } catch (IOException e) {
            throw MapException.at(file, "cannot read: " + e);
        }
    }

    private void addLine(Path folder, Scope scope, MapLine line) {
        String source = line.source();
        String path = UrlPaths.effective(scope.prefix(), line.urlpath(), source);
        PathPattern pattern = PathPattern.compile(path, source);
        String written = Methods.normalise(line.method());
        if (written == null) {
            throw MapException.at(source, "unknown method \"" + line.method() + "\"");
        }
        String method = combine(scope, written, source);
        boolean mount = line.target().startsWith(":");
        String target = mount ? null : SitePaths.target(folder, line.target(), source);
        Map<String, JsonElement> own = Flags.parse(line.flagsText(), source);
        warnAboutUnknown(own, source);
        Map<String, JsonElement> flags = new LinkedHashMap<>(scope.defaults());
        flags.putAll(own);
        if (!mount) {
            routes.add(new Route(path, method, pattern, siteDir, target, flags, source));
            return;
        }
        if (pattern.hasWildcard()) {
            throw MapException.at(source, "a mount urlpath cannot end in \"*\": \"" + line.urlpath() + "\"");
        }
        Path inner = SitePaths.mountFolder(folder, line.target().substring(1), source);
        mount(inner, new Scope(UrlPaths.prefixOf(path), method, flags, source));
    }

    private void mount(Path folder, Scope scope) {
        String file = SitePaths.slashed(folder.resolve(MAP));
        if (!Files.isRegularFile(siteDir.resolve(file))) {
            String name = folder.toString().isEmpty() ? "." : SitePaths.slashed(folder);
            throw MapException.at(scope.mountSource(), "mount folder \"" + name + "\" has no MAP file");
        }
        int start = mapStack.indexOf(file);
        if (start >= 0) {
            List<String> cycle = new ArrayList<>(mapStack.subList(start, mapStack.size()));
            cycle.add(file);
            throw MapException.at(scope.mountSource(), "mount cycle: " + String.join(" -> ", cycle));
        }
        loadMap(folder, scope);
    }

    // An explicit mount method is forced on "*" routes inside and must agree with explicit ones.
    private static String combine(Scope scope, String written, String source) {
        if (scope.method().equals(Methods.ANY) || scope.method().equals(written)) {
            return written;
        }
        if (written.equals(Methods.ANY)) {
            return scope.method();
        }
        throw MapException.at(source, "method " + written + " conflicts with " + scope.method()
                + " of the mount at " + scope.mountSource());
    }

    // WorkJS MAP files may use flags this server ignores; say so once, not on every line.
    private void warnAboutUnknown(Map<String, JsonElement> flags, String source) {
        for (String name : flags.keySet()) {
            if (!Flags.KNOWN.contains(name) && warnedFlags.add(name)) {
                warnings.accept(source + ": unknown flag \"" + name
                        + "\" is kept but not used by WorkJS for the JVM");
            }
        }
    }
}
