package io.workjs.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * What the process does on SIGTERM (and {@code docker stop}): the first starts a drain
 * ({@link WorkServer#drain}), then stops the server and exits 0; a second cuts the drain short
 * and stops at once; a third exits without waiting for anything. SIGINT (Ctrl-C) stops at once,
 * through the JVM's shutdown hook.
 */
final class Shutdown {
    private static final Logger LOG = Logger.getLogger("workjs");

    private Shutdown() {
    }

    static void install(WorkServer server) {
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "workjs-shutdown"));
        AtomicInteger terms = new AtomicInteger();
        Thread drainer = new Thread(() -> {
            try {
                server.drain();
                Thread.interrupted();   // a second SIGTERM that came as the drain ended
                server.stop();
            } finally {
                System.exit(0);
            }
        }, "workjs-drain");
        Signal.handle(new Signal("TERM"), signal -> {
            switch (terms.incrementAndGet()) {
                case 1 -> {
                    LOG.info("SIGTERM: draining (a second SIGTERM stops at once)");
                    drainer.start();
                }
                case 2 -> drainer.interrupt();
                default -> Runtime.getRuntime().halt(1);
            }
        });
    }
}
