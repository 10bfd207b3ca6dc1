package dev.friscy.node;

import dev.friscy.image.TestImages;
import dev.friscy.kernel.Kernel;
import dev.friscy.testing.GuestRunner;
import dev.friscy.testing.TerminalSession;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian trixie's node (v20, riscv64, with its shared libnode, ICU, OpenSSL and libuv) on friscy:
 * start-up, the process model as node sees it, the core modules that need threads, timers,
 * files and child processes, and the REPL on the terminal. Expected output is what node must
 * print by its documentation and the algorithms' definitions.
 */
class NodeTest {
    static GuestRunner.Result node(String... args) {
        List<String> a = new ArrayList<>(List.of("--image", TestImages.nodejs().toString(), "--", "/usr/bin/node"));
        a.addAll(List.of(args));
        return GuestRunner.friscyArgs(a, "");
    }

    static String hex(String algorithm, String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void evalPrintsTheResult() {
        GuestRunner.Result r = node("-e", "console.log(1+1)");
        assertEquals("2\n", r.stdout, r.toString());
        assertEquals(0, r.status, r.toString());
    }

    @Test
    void evalPrintsTheResultWithoutJit() {
        GuestRunner.Result r = node("--jitless", "-e", "console.log(6*7, typeof WebAssembly)");
        // --jitless removes WebAssembly (no code generation at all)
        assertEquals("42 undefined\n", r.stdout, r.toString());
        assertEquals(0, r.status, r.toString());
    }

    @Test
    void pidAndPpidAgreeWithTheShellAndTheEvents() {
        // node is not the shell's last command, so the shell forks for it rather than exec'ing
        List<String> a = List.of("--image", TestImages.nodejs().toString(), "--", "/bin/sh", "-c",
                "echo $$; node -e 'console.log(process.pid, process.ppid)'; echo end");
        GuestRunner.Result r = GuestRunner.friscyArgs(a, "");
        assertEquals(0, r.status, r.toString());
        String[] lines = r.stdout.split("\n");
        assertEquals(3, lines.length, r.toString());
        assertEquals("end", lines[2], r.toString());
        int shell = Integer.parseInt(lines[0]);
        String[] ids = lines[1].split(" ");
        int pid = Integer.parseInt(ids[0]);
        int ppid = Integer.parseInt(ids[1]);
        assertNotEquals(shell, pid, r.toString());
        assertEquals(shell, ppid, r.toString());
        String events = String.join("\n", r.events);
        assertTrue(Pattern.compile("\"type\":\"spawn\",\"pid\":" + pid + ",\"t\":\\d+,\"ppid\":" + shell + ",").matcher(events).find(), events);
        assertTrue(Pattern.compile("\"type\":\"exec\",\"pid\":" + pid + ",\"t\":\\d+,\"path\":\"/usr/bin/node\"").matcher(events).find(), events);
        assertTrue(Pattern.compile("\"type\":\"exit\",\"pid\":" + pid + ",\"t\":\\d+,\"ppid\":" + shell + ",\"status\":0").matcher(events).find(), events);
        assertTrue(Pattern.compile("\"type\":\"reap\",\"pid\":" + pid + ",\"t\":\\d+,\"by\":" + shell).matcher(events).find(), events);
        // node's own threads (libuv, V8 workers) are not processes: no other spawn events
        Matcher m = Pattern.compile("\"type\":\"spawn\"").matcher(events);
        int spawns = 0;
        while (m.find()) {
            spawns++;
        }
        assertEquals(2, spawns, events);
    }

    static final String MODULES = """
            const fs = require('fs'), path = require('path'), zlib = require('zlib'), crypto = require('crypto');
            const { Worker } = require('worker_threads');
            const sleep = ms => new Promise(r => setTimeout(r, ms));
            (async () => {
              const d = fs.mkdtempSync('/tmp/t-');
              fs.writeFileSync(path.join(d, 'a.txt'), 'hello world\\n');
              fs.appendFileSync(path.join(d, 'a.txt'), 'second line\\n');
              fs.mkdirSync(path.join(d, 'sub'));
              console.log('read', JSON.stringify(fs.readFileSync(path.join(d, 'a.txt'), 'utf8')));
              console.log('readdir', fs.readdirSync(d).sort().join(','));
              const st = fs.statSync(path.join(d, 'a.txt'));
              console.log('stat', st.size, st.isFile(), fs.statSync(path.join(d, 'sub')).isDirectory());
              const ws = fs.createWriteStream(path.join(d, 'b.txt'));
              for (let i = 0; i < 1000; i++) ws.write('line ' + i + '\\n');
              await new Promise(r => ws.end(r));
              let n = 0, lines = 0;
              await new Promise(r => fs.createReadStream(path.join(d, 'b.txt'), { highWaterMark: 1024 })
                .on('data', c => { n += c.length; lines += c.toString().split('\\n').length - 1; }).on('end', r));
              console.log('stream', n, lines);
              console.log('promises', (await fs.promises.readdir(d)).length, (await fs.promises.stat(path.join(d, 'b.txt'))).size);
              const text = 'abc'.repeat(10000);
              const gz = zlib.gzipSync(Buffer.from(text));
              console.log('zlib', zlib.gunzipSync(gz).toString() === text, gz.length < 200, gz[0], gz[1]);
              const inflated = await new Promise((res, rej) => zlib.deflate(text, (e, b) => e ? rej(e) : zlib.inflate(b, (e2, o) => e2 ? rej(e2) : res(o))));
              console.log('zlib async', inflated.toString() === text);
              console.log('sha256', crypto.createHash('sha256').update('abc').digest('hex'));
              console.log('sha1', crypto.createHash('sha1').update('The quick brown fox jumps over the lazy dog').digest('hex'));
              console.log('md5', crypto.createHash('md5').update('').digest('hex'));
              const rb = crypto.randomBytes(32);
              console.log('random', rb.length, rb.toString('hex') !== crypto.randomBytes(32).toString('hex'), new Set(rb).size > 8);
              const t0 = Date.now();
              let ticks = 0;
              await new Promise(r => { const iv = setInterval(() => { if (++ticks === 5) { clearInterval(iv); r(); } }, 20); });
              console.log('interval', ticks, Date.now() - t0 >= 90);
              const t1 = Date.now();
              await sleep(100);
              console.log('timeout', Date.now() - t1 >= 99);
              const order = [];
              setTimeout(() => order.push('timeout'), 0);
              setImmediate(() => order.push('immediate'));
              process.nextTick(() => order.push('tick'));
              Promise.resolve().then(() => order.push('microtask'));
              await sleep(50);
              console.log('order', order.join(','));
              console.log('all', await Promise.all([1, sleep(10).then(() => 2), Promise.resolve(3)]));
              const w = new Worker('const { parentPort, workerData } = require("worker_threads");'
                + 'parentPort.on("message", m => parentPort.postMessage(m * workerData));', { eval: true, workerData: 2 });
              const reply = await new Promise(r => { w.once('message', r); w.postMessage(21); });
              const code = await new Promise(r => { w.once('exit', r); w.terminate(); });
              console.log('worker', reply, code);
              const shared = new Int32Array(new SharedArrayBuffer(4));
              const w2 = new Worker('const { workerData } = require("worker_threads"); Atomics.add(workerData, 0, 5); Atomics.notify(workerData, 0);',
                { eval: true, workerData: shared });
              await new Promise(r => w2.once('exit', r));
              console.log('shared', Atomics.load(shared, 0));
            })().catch(e => { console.log('error', e); process.exitCode = 1; });
            """;

    @Test
    void fsZlibCryptoTimersPromisesAndWorkers() throws Exception {
        GuestRunner.Result r = node("-e", MODULES);
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            stream.append("line ").append(i).append('\n');
        }
        String expected = "read \"hello world\\nsecond line\\n\"\n"
                + "readdir a.txt,sub\n"
                + "stat 24 true true\n"
                + "stream " + stream.length() + " 1000\n"
                + "promises 3 " + stream.length() + "\n"
                + "zlib true true 31 139\n" // the gzip magic bytes 0x1f 0x8b
                + "zlib async true\n"
                + "sha256 " + hex("SHA-256", "abc") + "\n"
                + "sha1 " + hex("SHA-1", "The quick brown fox jumps over the lazy dog") + "\n"
                + "md5 " + hex("MD5", "") + "\n"
                + "random 32 true true\n"
                + "interval 5 true\n"
                + "timeout true\n"
                // resumed from a timer's promise, this code runs as a microtask: other promise jobs
                // run before the nextTick queue, and the check phase (setImmediate) comes before
                // the next timers phase
                + "order microtask,tick,immediate,timeout\n"
                + "all [ 1, 2, 3 ]\n"
                + "worker 42 1\n"
                + "shared 5\n";
        assertEquals(expected, r.stdout, r.toString());
        assertEquals(0, r.status, r.toString());
    }

    static final String CHILDREN = """
            const cp = require('child_process');
            console.log('execSync', JSON.stringify(cp.execSync('echo hi').toString()));
            const s = cp.spawnSync('sh', ['-c', 'exit 7']);
            console.log('spawnSync', s.status, s.signal);
            const c = cp.spawn('sh', ['-c', 'read x; echo got $x; echo err >&2; exit 3'], { stdio: 'pipe' });
            let out = '', err = '';
            c.stdout.on('data', d => out += d);
            c.stderr.on('data', d => err += d);
            c.on('exit', (code, sig) => {
              console.log('spawn exit', code, sig);
              c.on('close', () => {
                console.log('spawn output', JSON.stringify(out), JSON.stringify(err));
                cp.exec('printf "b\\\\na\\\\nc\\\\n" | sort | head -n 2 | tr a-z A-Z', (e, so, se) => {
                  console.log('exec', e, JSON.stringify(so));
                  const k = cp.spawn('sh', ['-c', 'trap "echo term; exit 0" TERM; echo ready; while :; do sleep 0.05; done'],
                    { stdio: ['ignore', 'pipe', 'inherit'] });
                  let ko = '';
                  k.stdout.on('data', d => {
                    ko += d;
                    if (ko === 'ready\\n') console.log('kill', process.kill(k.pid, 'SIGTERM'));
                  });
                  k.on('close', (code, sig) => {
                    console.log('killed child', code, sig, JSON.stringify(ko));
                    const d = cp.spawn('sleep', ['30']);
                    d.on('exit', (code, sig) => console.log('default SIGTERM', code, sig));
                    setTimeout(() => d.kill(), 100);
                  });
                });
              });
            });
            c.stdin.end('x1\\n');
            """;

    @Test
    void childProcesses() {
        GuestRunner.Result r = node("-e", CHILDREN);
        String expected = "execSync \"hi\\n\"\n"
                + "spawnSync 7 null\n"
                + "spawn exit 3 null\n"
                + "spawn output \"got x1\\n\" \"err\\n\"\n"
                + "exec null \"A\\nB\\n\"\n"
                + "kill true\n"
                + "killed child 0 null \"ready\\nterm\\n\"\n"
                + "default SIGTERM null SIGTERM\n";
        assertEquals(expected, r.stdout, r.toString());
        assertEquals(0, r.status, r.toString());
    }

    @Test
    void replOnTheTerminal() throws Exception {
        TerminalSession s = new TerminalSession(TestImages.nodejs(), 256, "/usr/bin/node");
        s.waitFor("> ", 300_000);
        s.type("[1, 2, 3].map(x => x * 7).join('-')\r");
        s.waitFor("'7-14-21'", 300_000);
        s.waitFor("> ", 300_000);
        s.type("let o = { a: 1 }; o.b = 'two'; o\r");
        // results are coloured (TERM=xterm): match the text between the escapes
        s.waitFor("b: ", 300_000);
        s.waitFor("'two'", 300_000);
        s.waitFor("> ", 300_000);
        s.type("process.stdout.isTTY\r");
        s.waitFor("true", 300_000);
        s.waitFor("> ", 300_000);
        s.type(".exit\r");
        long end = System.currentTimeMillis() + 300_000;
        while (!s.kernel.initExited() && System.currentTimeMillis() < end) {
            if (s.kernel.run(2_000_000) == Kernel.RUN_IDLE) {
                Thread.sleep(5);
            }
        }
        assertTrue(s.kernel.initExited(), "node did not exit after .exit; screen:\n" + s.all());
        assertEquals(0, s.kernel.initStatus(), s.all());
    }
}
