package io.workjs.server.session;

import java.nio.file.Path;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Sessions in one H2 MVStore file. Every write commits before it returns, so a session set just
 * before the process is killed is there at the next start. A record is {@code lastUse + " " + json};
 * an expired one keeps only {@code lastUse + " "}, so its cookie cannot come back to life empty.
 */
public final class MvSessionStore implements SessionStore {
    private final MVStore store;
    private final MVMap<String, String> sessions;
    /** Ticket -> {@code expiresAt + " " + value}. */
    private final MVMap<String, String> tickets;

    private MvSessionStore(MVStore store) {
        this.store = store;
        this.sessions = store.openMap("sessions");
        this.tickets = store.openMap("tickets");
    }

    /** Opens (or creates) the store file; its folder must exist. */
    public static MvSessionStore open(Path file) {
        try {
            // No background writer: we commit ourselves, on every write.
            return new MvSessionStore(new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the session store " + file
                    + " (is another server using this data folder?): " + e.getMessage(), e);
        }
    }

    @Override
    public Stored load(String id) {
        return parse(sessions.get(id));
    }

    private static Stored parse(String record) {
        if (record == null) return null;
        int space = record.indexOf(' ');
        long lastUse = Long.parseLong(record.substring(0, space));
        String json = record.substring(space + 1);
        return new Stored(json.isEmpty() ? null : json, lastUse);
    }

    @Override
    public void save(String id, String json, long now) {
        sessions.put(id, now + " " + json);
        store.commit();
    }

    @Override
    public void delete(String id) {
        if (sessions.remove(id) != null) store.commit();
    }

    @Override
    public void touch(String id, long now) {
        String record = sessions.get(id);
        Stored stored = parse(record);
        if (stored == null || stored.expired()) return;
        // replace, not put: a sweep or a save that came in between wins
        if (sessions.replace(id, record, now + " " + stored.json())) store.commit();
    }

    @Override
    public void putTicket(String ticket, String value, long expiresAt) {
        tickets.put(ticket, expiresAt + " " + value);
        store.commit();
    }

    @Override
    public String takeTicket(String ticket, long now) {
        String record = tickets.remove(ticket);   // atomic: of two takers, one gets it
        if (record == null) return null;
        store.commit();
        int space = record.indexOf(' ');
        return Long.parseLong(record.substring(0, space)) > now ? record.substring(space + 1) : null;
    }

    @Override
    public int sweep(long expireBefore, long forgetBefore) {
        int expired = 0;
        boolean changed = false;
        for (Map.Entry<String, String> t : tickets.entrySet()) {
            // A ticket lives seconds; one never taken is dropped a sweep or so after it expired.
            long expiresAt = Long.parseLong(t.getValue().substring(0, t.getValue().indexOf(' ')));
            if (expiresAt < expireBefore) changed |= tickets.remove(t.getKey(), t.getValue());
        }
        for (Map.Entry<String, String> e : sessions.entrySet()) {
            // The sweep runs on its own thread: compare-and-set, so a session saved meanwhile stays.
            Stored stored = parse(e.getValue());
            if (stored.expired() && stored.lastUse() < forgetBefore) {
                changed |= sessions.remove(e.getKey(), e.getValue());
            } else if (!stored.expired() && stored.lastUse() < expireBefore
                    && sessions.replace(e.getKey(), e.getValue(), stored.lastUse() + " ")) {
                expired++;
                changed = true;
            }
        }
        if (changed) store.commit();
        return expired;
    }

    /** Number of records, refused ids included; for tests and diagnostics. */
    public int size() {
        return sessions.size();
    }

    @Override
    public void close() {
        store.close();
    }
}
