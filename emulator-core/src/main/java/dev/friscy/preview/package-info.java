/**
 * The page's preview of guest web servers: a browser request for {@code preview/PORT/...} (routed
 * by the site's service worker through the page to the Worker) becomes a TCP connection into the
 * guest's loopback ({@link dev.friscy.net.HostClient}) carrying one HTTP/1.1 exchange:
 * <ul>
 * <li>{@link dev.friscy.preview.PreviewRequest}: the request the guest reads (Host localhost:PORT,
 *     Connection: close, the browser's end-to-end fields).
 * <li>{@link dev.friscy.preview.HttpResponseReader}: the response as it arrives, its body decoded
 *     (Content-Length, chunked, until close), bounded and never throwing on bad input.
 * <li>{@link dev.friscy.preview.PreviewExchange}: one request driven between runs of the kernel,
 *     its failures as HTTP statuses (400, 502, 503, 504), its body held back by the page's pace.
 * <li>{@link dev.friscy.preview.Previews}: the requests in flight, for web-host's WorkerMain.
 * </ul>
 * The browser side is web/src/site/preview-sw.js and worker-preview.js (see web/README.md).
 */
package dev.friscy.preview;
