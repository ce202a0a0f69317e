package glassbox.data;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The download path against a local HTTP server (loopback only): a good file lands under its name, a wrong
 * checksum or a connection cut mid-file leaves nothing behind, a failing mirror falls through to the next,
 * and the search order and the not-found message.
 */
class DownloadTest {
    @TempDir
    Path tmp;
    HttpServer server;
    String base;
    /** path -> body; a path under /cut/ sends half its body then drops the connection. */
    final Map<String, byte[]> files = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = files.get(ex.getRequestURI().getPath());
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            boolean cut = ex.getRequestURI().getPath().startsWith("/cut/");
            boolean stall = ex.getRequestURI().getPath().startsWith("/stall/");
            ex.sendResponseHeaders(200, body.length);
            OutputStream o = ex.getResponseBody();
            o.write(body, 0, cut || stall ? body.length / 2 : body.length);
            o.flush();
            if (stall) {
                try {
                    Thread.sleep(2000); // longer than the client's idle timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            // A handler that fails makes the server close the connection: the client sees it cut mid-file.
            if (cut) throw new IOException("cut mid-file on purpose");
            o.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private DataOptions offlineOptions() {
        return DataOptions.defaults().withEnv(k -> null).withHome(tmp.resolve("home")).withWorkDir(tmp)
                .withLocalInstalls(false).withProgress(false).withLog(null).withTimeout(Duration.ofSeconds(5));
    }

    private static DataFile file(String name, byte[] body, List<String> urls) {
        return new DataFile(name, body.length, urls, List.of(KnownHash.file(Checksums.sha256(body), "test")));
    }

    private List<String> leftovers(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }

    @Test
    void goodFileIsVerifiedAndRenamed() throws IOException {
        byte[] body = Fixtures.randomBytes(new java.util.Random(1), 300_000, 256);
        files.put("/a/f.bin", body);
        Path dir = tmp.resolve("dl");
        Path got = Downloader.fetch(file("f.bin", body, List.of(base + "a/f.bin")), List.of(base + "a/f.bin"), dir, offlineOptions());
        assertArrayEquals(body, Files.readAllBytes(got));
        assertEquals(List.of("f.bin"), leftovers(dir));
    }

    @Test
    void wrongChecksumLeavesNothing() throws IOException {
        byte[] body = "the real bytes".getBytes();
        files.put("/f.bin", "tampered bytes".getBytes());
        Path dir = tmp.resolve("dl");
        IOException e = assertThrows(IOException.class,
                () -> Downloader.fetch(file("f.bin", body, List.of()), List.of(base + "f.bin"), dir, offlineOptions()));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(Checksums.sha256(body)), e.getMessage());
        assertEquals(List.of(), leftovers(dir));
    }

    @Test
    void connectionCutMidFileLeavesNothingAndNextMirrorWins() throws IOException {
        byte[] body = Fixtures.randomBytes(new java.util.Random(2), 1_000_000, 256);
        files.put("/cut/f.bin", body);
        Path dir = tmp.resolve("dl");
        IOException e = assertThrows(IOException.class,
                () -> Downloader.fetch(file("f.bin", body, List.of()), List.of(base + "cut/f.bin"), dir, offlineOptions()));
        assertTrue(e.getMessage().contains("cut/f.bin") && e.getMessage().contains("connection lost after"), e.getMessage());
        assertEquals(List.of(), leftovers(dir));

        // cut, then 404, then a good mirror: the good one is used
        files.put("/good/f.bin", body);
        Path got = Downloader.fetch(file("f.bin", body, List.of()),
                List.of(base + "cut/f.bin", base + "missing/f.bin", base + "good/f.bin"), dir, offlineOptions());
        assertArrayEquals(body, Files.readAllBytes(got));
        assertEquals(List.of("f.bin"), leftovers(dir));
    }

    @Test
    void stalledConnectionTimesOut() throws IOException {
        byte[] body = Fixtures.randomBytes(new java.util.Random(3), 200_000, 256);
        files.put("/stall/f.bin", body);
        Path dir = tmp.resolve("dl");
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> Downloader.fetch(file("f.bin", body, List.of()),
                List.of(base + "stall/f.bin"), dir, offlineOptions().withTimeout(Duration.ofMillis(500))));
        assertTrue(e.getMessage().contains("connection lost after") && e.getMessage().contains("timed out"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 1_900_000_000L, "gave up before the server resumed");
        assertEquals(List.of(), leftovers(dir));
    }

    @Test
    void datasetDownloadsIntoTheCacheThenLoadsFromIt() throws IOException {
        // a tiny IDX data set published on the local server under mnist/
        Path src = tmp.resolve("published");
        Fixtures.writeIdxSet(src, 20, 4, 4, true, 5);
        List<DataFile> dfs = new ArrayList<>();
        for (String n : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            byte[] b = Files.readAllBytes(src.resolve(n));
            files.put("/mnist/" + n, b);
            dfs.add(file(n, b, List.of(base + "mnist/" + n)));
        }
        DatasetInfo info = new DatasetInfo("tiny", "tiny test set", "mnist", Catalog.DIGITS, DatasetInfo.Format.IDX, dfs);
        DataOptions o = offlineOptions().withMirror(base);
        Sources.Found f = Datasets.locate(info, o);
        assertEquals(o.cacheDir(), f.root().dir());
        Dataset d = Datasets.load(info, Split.TRAIN, f);
        assertEquals(20, d.size());
        // second time: found in the cache, no server needed
        server.stop(0);
        Sources.Found again = Datasets.locate(info, offlineOptions().withDownload(false));
        assertEquals("user cache", again.root().origin());
    }

    @Test
    void searchOrderDataDirThenEnvThenCache() throws IOException {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        Fixtures.writeIdxSet(a.resolve("mnist"), 10, 2, 2, true, 1);
        Fixtures.writeIdxSet(b.resolve("mnist"), 10, 2, 2, false, 2);
        Fixtures.writeIdxSet(tmp.resolve("home/.cache/glassbox/mnist"), 10, 2, 2, true, 3);
        DataOptions o = offlineOptions().withDownload(false);
        assertEquals("user cache", Datasets.locate(Catalog.MNIST, o).root().origin());
        DataOptions withEnv = o.withEnv(k -> k.equals(DataOptions.ENV) ? b.toString() : null);
        assertEquals(DataOptions.ENV, Datasets.locate(Catalog.MNIST, withEnv).root().origin());
        // uncompressed files are accepted too
        assertTrue(Datasets.locate(Catalog.MNIST, withEnv).path("train-images-idx3-ubyte.gz").toString().endsWith("ubyte"));
        assertEquals("--data", Datasets.locate(Catalog.MNIST, withEnv.withDataDir(a)).root().origin());
    }

    @Test
    void notFoundOfflineSaysWhichFilesWhere() {
        DataOptions o = offlineOptions().withDownload(false);
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> Datasets.locate(Catalog.MNIST, o));
        String m = e.getMessage();
        assertTrue(m.contains(o.cacheDir().resolve("mnist").toString()), m);
        for (DataFile f : Catalog.MNIST.files()) {
            assertTrue(m.contains(f.name()) && m.contains(f.officialSha256()) && m.contains(f.urls().getFirst()), m);
        }
        assertTrue(m.contains("GLASSBOX_DATA: not set") && m.contains("--data: not given"), m);

        DatasetNotFoundException c = assertThrows(DatasetNotFoundException.class,
                () -> Datasets.locate(Catalog.CIFAR10, o.withDataDir(tmp.resolve("mine"))));
        assertTrue(c.getMessage().contains("Put cifar-10-binary.tar.gz") && c.getMessage().contains(tmp.resolve("mine").toString()),
                c.getMessage());
    }

    @Test
    void offlineDownloadFailureKeepsTheHelpfulMessage() {
        // the mirror refuses every file (404): the message still says what to put where, and why it failed
        DataOptions o = offlineOptions().withMirror(base + "nothing/");
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> Datasets.locate(Catalog.MNIST, o));
        assertTrue(e.getMessage().contains("download failed") && e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains("Put these 4 files"), e.getMessage());
    }

    @Test
    void aFailedDownloadLeavesNoEmptyCacheFolder() {
        // refused (404) and unreachable (nothing listens on port 1): the cache folders are created only for a file
        for (String mirror : new String[]{base + "nothing/", "http://127.0.0.1:1/"}) {
            DataOptions o = offlineOptions().withMirror(mirror);
            assertThrows(DatasetNotFoundException.class, () -> Datasets.locate(Catalog.MNIST, o));
            assertFalse(java.nio.file.Files.exists(o.downloadDir()), "left behind: " + o.downloadDir());
        }
    }
}
