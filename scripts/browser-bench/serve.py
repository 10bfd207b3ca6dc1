# Serves the site and this folder (under /bench/) on 127.0.0.1; appends each POST /result body to a file.
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

    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        with open(OUT, 'ab') as f:
            f.write(body + b'\n')
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', PORT), Handler).serve_forever()
