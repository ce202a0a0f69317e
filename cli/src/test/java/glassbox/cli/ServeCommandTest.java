package glassbox.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./glassbox serve refuses what cannot work before it listens (the server itself is tested in the explorer module). */
class ServeCommandTest {
    @TempDir
    static Path dir;

    @Test
    void impossiblePortAndMissingModelAreOneLine() {
        CliRun r = CliRun.of("serve", "--model", dir.resolve("none.gbx").toString(), "--port", "70000");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("glassbox serve: Invalid value for option '--port': must be a whole number from 0 to 65535, got 70000"), r.err());
        r = CliRun.of("serve", "--model", dir.resolve("none.gbx").toString(), "--port", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("glassbox serve: no model file " + dir.resolve("none.gbx")), r.err());
    }
}
