# Serves the site and this folder (under /bench/) on 127.0.0.1; appends each POST /result body to a file.
# Images go zstd-encoded to browsers that accept it, as ./friscy serve sends them.
# Usage: python3 serve.py PORT SITE_DIR BENCH_DIR RESULT_FILE
import http.server
import os
import sys

PORT, SITE, BENCH, OUT = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      '.wasm': 'application/wasm', '.js': 'text/javascript'}

    def translate_path(self, path):
        p = path.split('?')[0]
        if p.startswith('/bench/'):
            return os.path.join(BENCH, p[len('/bench/'):])
        return os.path.join(SITE, p.lstrip('/'))

    def zstd_twin(self):
        # as ./friscy serve does (ZstdTwin): X.gz goes as X.zst, Content-Encoding: zstd, to a
        # browser that accepts zstd
        path = self.translate_path(self.path)
        codings = [c.split(';')[0].strip() for c in (self.headers.get('Accept-Encoding') or '').split(',')]
        twin = path[:-3] + '.zst'
        if path.endswith('.gz') and 'zstd' in codings and os.path.isfile(twin) \
                and os.path.getmtime(twin) >= os.path.getmtime(path):
            with open(path, 'rb') as f:
                f.seek(-4, 2)
                decoded = int.from_bytes(f.read(4), 'little')
            return twin, decoded
        return None, 0

    def send_twin(self, body):
        twin, decoded = self.zstd_twin()
        if not twin:
            return False
        data = open(twin, 'rb').read()
        self.send_response(200)
        self.send_header('Content-Type', 'application/x-tar')
        self.send_header('Content-Encoding', 'zstd')
        self.send_header('X-Decoded-Content-Length', str(decoded))
        self.send_header('Vary', 'Accept-Encoding')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)
        return True

    def do_GET(self):
        if not self.send_twin(True):
            super().do_GET()

    def do_HEAD(self):
        if not self.send_twin(False):
            super().do_HEAD()

    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        with open(OUT, 'ab') as f:
            f.write(body + b'\n')
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', PORT), Handler).serve_forever()
