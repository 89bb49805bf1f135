package io.workjs.server.resume;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The other nodes of a cluster, as resumption sees them: where a token that is not this node's
 * leads, and how this node gives up a connection whose client resumed on another. The cluster
 * implements it (io.workjs.server.cluster); one server alone has no elsewhere.
 */
public interface Elsewhere {

    /** A connection of this node has a new token: other nodes can find it by it. */
    void registered(String token, String connectionId);

    /** The token names nothing any more. */
    void retired(String token);

    /**
     * Claims the connection {@code token} names from the node that has it, alive (it hands the
     * connection over) or dead (its last state is taken over). Never fails: a refusal comes
     * back as an {@link Arrival} with a reason.
     */
    CompletionStage<Arrival> claim(String token, String sessionId, long clientReceived);

    /** What a connection that moved here resumes from; {@code reason} is non-null when it cannot. */
    record Arrival(String reason, String connectionId, String groupId, String state, String session, String joined, Departure departure) {
        static Arrival refused(String reason) {
            return new Arrival(reason, null, null, null, null, null, null);
        }

        public static Arrival refusal(String reason) {
            return refused(reason);
        }

        /** True when the node that had the connection died: what it alone had is lost. */
        public boolean nodeLost() {
            return departure == null;
        }
    }

    /**
     * What a live node hands over with a connection: how many of the client's messages it
     * received, the messages numbered from {@code next} on that the client has not got (their
     * frames, in order), and the position of the last group event it sent.
     */
    record Departure(String reason, String connectionId, long received, long next, List<String> messages, String lastEvent) {
        public static Departure refusal(String reason) {
            return new Departure(reason, null, 0, 0, List.of(), null);
        }
    }
}
