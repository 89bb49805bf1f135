package io.workjs.server.dev;

import io.workjs.runtime.DaemonThreads;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches a site folder, and every folder in it, for changed files (development mode). A burst
 * of changes (an editor writing three files, a save that writes twice) reaches the listener as
 * one set, once no change has come for {@link #QUIET_MILLIS}, or {@link #MAX_WAIT_MILLIS} after
 * the first at the latest. Dotfiles and dot-folders, and the data folder, are not watched.
 *
 * <p>The JDK's {@link WatchService}: on Linux it is inotify underneath, events within
 * milliseconds, and it is enough here; its one gap, no recursive watch, is filled by registering
 * each folder, new ones as they appear. (On macOS the JDK polls every few seconds; a reload
 * comes that much later.) If the OS drops events (an overflow), the listener gets the site
 * folder itself, meaning "anything may have changed".
 */
public final class SiteWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.dev");
    static final long QUIET_MILLIS = 150;
    static final long MAX_WAIT_MILLIS = 1000;

    private final Path site;
    private final Path data;
    private final WatchService service;
    private final Map<WatchKey, Path> folders = new HashMap<>();
    private final Consumer<Set<Path>> listener;
    private final Thread thread;

    private SiteWatcher(Path site, Path data, Consumer<Set<Path>> listener) throws IOException {
        this.site = site;
        this.data = data;
        this.listener = listener;
        this.service = site.getFileSystem().newWatchService();
        registerTree(site);
        this.thread = DaemonThreads.start("workjs-watch", this::run);
    }

    /** Starts watching {@code site} (leaving out {@code data}); {@code listener} gets each burst's files, absolute, on the watcher's thread. */
    public static SiteWatcher start(Path site, Path data, Consumer<Set<Path>> listener) throws IOException {
        return new SiteWatcher(site.toAbsolutePath().normalize(), data.toAbsolutePath().normalize(), listener);
    }

    private void registerTree(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(top) && ignored(dir)) return FileVisitResult.SKIP_SUBTREE;
                folders.put(dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE), dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Dotfiles, dot-folders and the data folder (with everything in them). */
    boolean ignored(Path path) {
        if (path.startsWith(data)) return true;
        Path relative = site.relativize(path);
        for (Path part : relative) if (part.toString().startsWith(".")) return true;
        return false;
    }

    private void run() {
        Set<Path> changed = new LinkedHashSet<>();
        long firstNanos = 0;
        try {
            while (true) {
                WatchKey key;
                if (changed.isEmpty()) {
                    key = service.take();
                } else {
                    long left = Math.min(QUIET_MILLIS, MAX_WAIT_MILLIS - (System.nanoTime() - firstNanos) / 1_000_000);
                    key = left > 0 ? service.poll(left, TimeUnit.MILLISECONDS) : null;
                    if (key == null) {
                        deliver(Set.copyOf(changed));
                        changed.clear();
                        continue;
                    }
                }
                if (changed.isEmpty()) firstNanos = System.nanoTime();
                collect(key, changed);
            }
        } catch (ClosedWatchServiceException | InterruptedException stopped) {
            // closed: the server is stopping
        }
    }

    private void collect(WatchKey key, Set<Path> changed) {
        Path folder = folders.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW || folder == null) {
                changed.add(site);   // events were lost: anything may have changed
                continue;
            }
            Path path = folder.resolve((Path) event.context());
            if (ignored(path)) continue;
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(path)) {
                try {
                    registerTree(path);   // a new folder: watched from now on, and what is in it counts as changed
                    try (var inside = Files.walk(path)) {
                        inside.filter(Files::isRegularFile).filter(p -> !ignored(p)).forEach(changed::add);
                    }
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "dev: cannot watch new folder " + site.relativize(path), e);
                }
                continue;
            }
            changed.add(path);
        }
        if (!key.reset()) folders.remove(key);   // the folder is gone
    }

    private void deliver(Set<Path> changed) {
        try {
            listener.accept(changed);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "dev: reloading after a change failed", e);
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.fine("dev: closing the watcher: " + e);
        }
        thread.interrupt();
    }
}
