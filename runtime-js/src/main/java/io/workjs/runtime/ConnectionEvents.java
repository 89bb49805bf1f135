package io.workjs.runtime;

import java.util.Map;

/**
 * What the transport tells the runtime about its connections. The runtime implements it
 * ({@link JsRuntime}); the transport calls it from its I/O threads, and no method waits for
 * JavaScript. A resumable connection keeps its {@link Inbound} across sockets: the transport
 * reports its drops and returns there ({@link Inbound#detached()}, {@link Inbound#resumed()}).
 */
public interface ConnectionEvents {

    /**
     * A request was upgraded to a connection of {@code controller}: init() runs on the loop before
     * any frame. {@code sessionId} is the verified session of the upgrade's cookie, or null. The
     * transport hands the connection's frames and its close to the returned {@link Inbound}.
     */
    Inbound opened(Peer peer, Controller controller, Map<String, String> context, String sessionId);

    /**
     * A connection moved here from another node (its client resumed here): its {@code this} is
     * made from {@code stateJson}, its state after its last completed call there, it joins
     * {@code groupId} again without init(), getting the group's events after {@code after} (or
     * none missed, when null), and back() runs. Otherwise as {@link #opened}.
     */
    Inbound restored(Peer peer, String groupId, String stateJson, String sessionId, String after);
}
