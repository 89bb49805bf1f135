package io.workjs.server.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The generated session secret: 256 random bits in {@code <data>/secret}, created on first start
 * and read on every later one. The folder is 0700 and the file 0600 (owner only), set as they
 * are created so no one else can ever read them.
 */
public final class SecretFile {
    static final String NAME = "secret";
    private static final Logger LOG = Logger.getLogger("workjs.sessions");

    private SecretFile() {
    }

    /** Creates the data folder owner-only if missing; existing folders keep their permissions. */
    public static Path dataFolder(Path data) {
        try {
            if (!Files.isDirectory(data)) Files.createDirectories(data, ownerOnly("rwx------"));
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + data + ": " + e.getMessage(), e);
        }
    }

    /** The secret kept in the data folder, generated and written first if there is none. */
    public static String readOrCreate(Path data) {
        Path file = dataFolder(data).resolve(NAME);
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                try {
                    Files.writeString(Files.createFile(file, ownerOnly("rw-------")),
                            Base64.getUrlEncoder().withoutPadding().encodeToString(key) + "\n");
                } catch (FileAlreadyExistsException raced) {
                    // another start wrote it first: use theirs
                }
            }
            warnIfOthersCanRead(file);
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.length() < 32) throw new IOException("it holds fewer than 32 characters; delete it to make a new one");
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the session secret " + file + ": " + e.getMessage(), e);
        }
    }

    /** A secret file someone made readable by others still works, but an operator should know. */
    private static void warnIfOthersCanRead(Path file) throws IOException {
        if (!posix()) return;
        Set<java.nio.file.attribute.PosixFilePermission> p = Files.getPosixFilePermissions(file);
        if (p.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ) || p.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
            LOG.warning("the session secret " + file + " is readable by others (" + PosixFilePermissions.toString(p)
                    + "): chmod 600 it; anyone who reads it can forge sessions");
        }
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }
}
