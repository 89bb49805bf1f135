package io.workjs.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {
    @TempDir
    Path temp;

    @Test
    void theGeneratedSecretIsOwnerOnlyAndReusedOnTheNextStart() throws Exception {
        Path data = temp.resolve("site/.workjs");
        String first = SecretFile.readOrCreate(data);
        assertTrue(first.length() >= 43, first);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(SecretFile.NAME))));
        assertEquals(first, SecretFile.readOrCreate(data));
    }
}
