package dev.friscy.node;

import dev.friscy.image.TestImages;
import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * node's networking over the kernel's loopback: an HTTP server and a client in one script
 * (keep-alive requests, a 100 kB upload, the server closing), and a server in another process
 * that the client reaches on a fixed port, retrying while it starts (ECONNREFUSED), all in one
 * friscy run to keep node's start-up cost to two processes.
 */
class NodeNetTest {
    static final String SERVER = """
            const http = require('http');
            let served = 0;
            const s = http.createServer((req, res) => {
              res.end('other process ' + req.url);
              if (++served === 3) s.close();
            });
            s.listen(8080, '127.0.0.1');
            """;

    static final String CLIENT = """
            const http = require('http'), net = require('net');
            const agent = new http.Agent({ keepAlive: true });
            const request = (port, path, data) => new Promise((resolve, reject) => {
              const req = http.request({ host: '127.0.0.1', port, path, method: data ? 'POST' : 'GET', agent }, res => {
                let b = '';
                res.on('data', c => b += c);
                res.on('end', () => resolve(res.statusCode + ' ' + b));
              });
              req.on('error', reject);
              req.end(data);
            });
            const server = http.createServer((req, res) => {
              let n = 0;
              req.on('data', c => n += c.length);
              req.on('end', () => res.end(req.method + ' ' + req.url + ' ' + n));
            });
            server.listen(0, '127.0.0.1', async () => {
              const port = server.address().port;
              console.log('ephemeral port', port >= 32768 && port <= 60999);
              console.log(await request(port, '/hello'));
              console.log(await request(port, '/upload', 'x'.repeat(100000)));
              const times = [];
              for (let i = 0; i < 12; i++) {
                const t0 = process.hrtime.bigint();
                await request(port, '/r' + i);
                times.push(Number(process.hrtime.bigint() - t0) / 1e6);
              }
              console.log('12 keep-alive requests done');
              const last = times.slice(6).sort((a, b) => a - b);
              console.error('INFO node HTTP request-response, median of the last 6: ' + last[3].toFixed(2) + ' ms');
              await new Promise(r => server.close(r));
              const refused = await new Promise(r => net.connect(port, '127.0.0.1').on('error', e => r(e.code)));
              console.log('closed server refuses:', refused);
              // the server in the other process may still be starting: retry while refused
              for (let i = 1; i <= 3; i++) {
                for (;;) {
                  try {
                    console.log(await request(8080, '/x' + i));
                    break;
                  } catch (e) {
                    if (e.code !== 'ECONNREFUSED') throw e;
                    await new Promise(r => setTimeout(r, 100));
                  }
                }
              }
              agent.destroy();
            });
            """;

    @TempDir
    Path tmp;

    @Test
    void httpServerAndClientsOverLoopback() throws IOException {
        Files.writeString(tmp.resolve("srv.js"), SERVER);
        Files.writeString(tmp.resolve("cli.js"), CLIENT);
        GuestRunner.Result r = GuestRunner.friscyArgs(List.of("--net", "none", "--image", TestImages.nodejs().toString(),
                "--add", tmp.resolve("srv.js") + ":/srv.js", "--add", tmp.resolve("cli.js") + ":/cli.js",
                "--", "/bin/sh", "-c", "node /srv.js & node /cli.js; wait $!; echo server exit $?"), "");
        for (String line : r.stderr.split("\n")) {
            if (line.startsWith("INFO")) {
                System.out.println(line);
            }
        }
        assertEquals(String.join("\n",
                "ephemeral port true",
                "200 GET /hello 0",
                "200 POST /upload 100000",
                "12 keep-alive requests done",
                "closed server refuses: ECONNREFUSED",
                "200 other process /x1",
                "200 other process /x2",
                "200 other process /x3",
                "server exit 0", ""), r.stdout, r.toString());
        assertEquals(0, r.status, r.toString());
    }
}
