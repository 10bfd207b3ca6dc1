package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's python3 from the site's own image, in the page, with the translator on and off: a
 * script through the standard library's process, thread, pipe, signal, socket and compression
 * code (subprocess spawns through glibc's clone3 path, multiprocessing forks workers), its output
 * compared with the same image's python3 under qemu-riscv64-static.
 */
class PythonTest {
    static final String SCRIPT = """
            import os, sys, subprocess, threading, json, hashlib, zlib, re, signal, select, socket, tempfile, shutil
            import multiprocessing
            out = []
            out.append(subprocess.run(['echo', 'spawned'], capture_output=True, text=True).stdout.strip())
            out.append(subprocess.run('echo $((6*7)) | cat', shell=True, capture_output=True, text=True).stdout.strip())
            r = []
            ts = [threading.Thread(target=lambda i=i: r.append(sum(range(i * 1000)))) for i in range(4)]
            [t.start() for t in ts]
            [t.join() for t in ts]
            out.append(sorted(r))
            pid = os.fork()
            if pid == 0:
                os._exit(7)
            out.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
            rd, wr = os.pipe()
            os.write(wr, b'through a pipe')
            os.close(wr)
            out.append(select.select([rd], [], [], 5)[0] == [rd])
            out.append(os.read(rd, 100).decode())
            got = []
            signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
            os.kill(os.getpid(), signal.SIGUSR1)
            out.append(got)
            out.append(hashlib.sha256(b'friscy').hexdigest())
            out.append(len(zlib.compress(b'friscy' * 10000)))
            out.append(json.dumps({'x': [1, 2.5, None], 'y': 'z'}, sort_keys=True))
            out.append(re.sub(r'(\\d+)', lambda m: str(int(m.group(1)) * 2), 'a1b22c333'))
            d = tempfile.mkdtemp()
            with open(os.path.join(d, 'f'), 'w') as f:
                f.write('data')
            shutil.copy(os.path.join(d, 'f'), os.path.join(d, 'g'))
            out.append(sorted(os.listdir(d)))
            shutil.rmtree(d)
            a, b = socket.socketpair()
            a.sendall(b'unix')
            out.append(b.recv(10).decode())
            srv = socket.socket()
            srv.bind(('127.0.0.1', 0))
            srv.listen()
            c = socket.create_connection(srv.getsockname())
            s2, _ = srv.accept()
            c.sendall(b'tcp')
            out.append(s2.recv(10).decode())
            with multiprocessing.Pool(2) as p:
                out.append(p.map(abs, [-1, -2, -3]))
            print(out)
            """;

    /** The script's output from the image's python3 under qemu: the reference for both modes. */
    private static String expected;

    @BeforeAll
    static void runUnderQemu(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root);
        CpuBenchTest.exec(List.of("tar", "-xzf", Browser.site().resolve("images/python.tar.gz").toString(),
                "-C", root.toString()));
        expected = CpuBenchTest.exec(List.of("qemu-riscv64-static", "-L", root.toString(),
                root.resolve("usr/bin/python3").toString(), "-c", SCRIPT));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    @SuppressWarnings("unchecked")
    void standardLibraryScriptMatchesQemu(boolean jit) {

        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.navigate(Browser.baseUrl() + "embed.html"); // any page that loads friscy.js
            long t0 = System.nanoTime();
            Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                    async ([script, jit]) => {
                      let out = '';
                      const s = await Friscy.boot({image: 'python', cwd: '/', jit,
                          argv: ['/usr/bin/python3', '-c', script]});
                      s.onOutput((b) => { out += new TextDecoder().decode(b); });
                      const status = await Promise.race([s.exited,
                          new Promise((resolve) => setTimeout(() => resolve('timeout'), 240000))]);
                      return {status, out};
                    }""", List.of(SCRIPT, jit));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, r.get("status") instanceof Number n ? n.intValue() : -1, r.toString());
            assertEquals(expected, ((String) r.get("out")).replace("\r", ""));
            Benchmarks.report("python3 standard-library script in the browser, boot to exit, translator "
                    + (jit ? "on" : "off") + " (ms)", Long.toString(ms));
        }
    }
}
