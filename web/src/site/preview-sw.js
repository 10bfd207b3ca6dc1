// The preview's service worker: requests for <site>/preview/PORT/path go to a guest web server
// listening on PORT in a page's emulator, instead of to the network. friscy.js registers it, with
// the site's directory as its scope, so it works on any static host (a plain file, no server
// logic). Everything outside preview/ is left to the browser untouched, except what a preview
// page itself asks for by a root path (see the fetch handler).
//
// A request finds its page: every open page of this site that runs friscy.js is asked whether a
// guest there listens on PORT ({type: 'friscy-preview-query', port} with a reply port); the first
// that says yes gets the request ({type: 'friscy-preview-request', request} with the response's
// MessagePort), which it hands to its emulator Worker (worker-preview.js). The Worker streams the
// response back on that port; see worker-preview.js for the messages and their flow control.
'use strict';

const PREFIX = new URL('preview/', self.registration.scope).pathname;
/** How long a page may take to say whether it has the port. */
const QUERY_MS = 1500;
/** A request whose Worker has said nothing (not even 'alive') for this long is given up. */
const SILENCE_MS = 10000;
/** How often this side says it is still there (the Worker gives up on a silent one too). */
const ALIVE_MS = 2000;
/** The guest's time limit for its response head (the Worker answers 504 after it). */
const HEAD_TIMEOUT_MS = 30000;
/** Bytes of response body in flight from the Worker beyond what the browser has consumed. */
const WINDOW = 1 << 20;
/** Largest request body passed on. */
const MAX_BODY = 64 << 20;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(PREFIX)) {
    event.respondWith(preview(event.request, url).catch((e) => problem(502, 'preview failed: ' + ((e && e.message) || e))));
    return;
  }
  // A guest page asks for a root path ("/src/main.js", "/about"): its server's, not the site's.
  // Redirected under the page's preview path, so that what it loads resolves its own relative
  // and root paths the same way. The Referer tells whose request it is.
  const port = previewPortOf(event.request.referrer);
  if (port) event.respondWith(Response.redirect(url.origin + PREFIX + port + url.pathname + url.search, 307));
});

/** The port of a preview URL (same origin, under preview/), or 0. */
function previewPortOf(address) {
  if (!address) return 0;
  let u;
  try {
    u = new URL(address);
  } catch (e) {
    return 0;
  }
  if (u.origin !== self.location.origin || !u.pathname.startsWith(PREFIX)) return 0;
  const m = /^(\d{1,5})\//.exec(u.pathname.slice(PREFIX.length));
  const port = m ? Number(m[1]) : 0;
  return port >= 1 && port <= 65535 ? port : 0;
}

/** A plain-text answer of the preview's own (not the guest's). */
function problem(status, message) {
  return new Response(message + '\n', {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Friscy-Preview': 'error' },
  });
}

async function preview(request, url) {
  const m = /^(\d{1,5})(\/.*)?$/.exec(url.pathname.slice(PREFIX.length));
  const port = m ? Number(m[1]) : 0;
  if (!m || port < 1 || port > 65535) {
    return problem(400, 'preview addresses look like ' + PREFIX + 'PORT/path, with PORT 1..65535');
  }
  if (m[2] === undefined) {
    // preview/3000 -> preview/3000/, so that the guest's relative links resolve under the port
    return Response.redirect(url.origin + PREFIX + port + '/' + url.search, 302);
  }
  const host = await findPage(port);
  if (!host) {
    return problem(502, 'nothing listens on port ' + port + ' in a guest of an open friscy page');
  }
  let body = null;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    body = await request.arrayBuffer();
    if (body.byteLength > MAX_BODY) return problem(413, 'the request body is over ' + (MAX_BODY >> 20) + ' MiB');
  }
  const headers = [];
  request.headers.forEach((value, name) => headers.push([name, value]));
  const channel = new MessageChannel();
  const response = responseFrom(channel.port1, request.signal);
  host.postMessage({
    type: 'friscy-preview-request',
    request: { port, method: request.method, target: m[2] + url.search, headers, body, timeoutMs: HEAD_TIMEOUT_MS },
  }, body ? [channel.port2, body] : [channel.port2]);
  return response;
}

/** The open page whose guest listens on port, or null. */
async function findPage(port) {
  const all = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  // a preview page itself runs the guest's HTML, not friscy.js
  const pages = all.filter((c) => !new URL(c.url).pathname.startsWith(PREFIX));
  if (pages.length === 0) return null;
  return new Promise((resolve) => {
    let pending = pages.length;
    let done = false;
    const answer = (client) => {
      if (done) return;
      if (client) {
        done = true;
        resolve(client);
      } else if (--pending === 0) {
        done = true;
        resolve(null);
      }
    };
    for (const client of pages) {
      const ch = new MessageChannel();
      let answered = false;
      const once = (listening) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        ch.port1.close();
        answer(listening ? client : null);
      };
      const timer = setTimeout(() => once(false), QUERY_MS); // a page without friscy.js never answers
      ch.port1.onmessage = (ev) => once(ev.data && ev.data.listening === true);
      client.postMessage({ type: 'friscy-preview-query', port }, [ch.port2]);
    }
  });
}

/** The Response whose head and body the Worker sends on port. */
function responseFrom(port, signal) {
  return new Promise((resolve) => {
    let controller = null;
    let enqueued = 0;
    let credited = 0;
    let over = false;
    let silence = null;
    const alive = setInterval(() => port.postMessage({ type: 'alive' }), ALIVE_MS);

    const end = () => {
      over = true;
      clearTimeout(silence);
      clearInterval(alive);
      port.onmessage = null;
      port.close();
    };
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(() => {
        if (over) return;
        const why = 'the page running the guest stopped answering';
        if (controller) controller.error(new Error(why));
        else resolve(problem(504, why));
        end();
      }, SILENCE_MS);
    };
    // tells the Worker what the browser has consumed, so it may send that much more
    const credit = () => {
      if (!controller || over) return;
      const consumed = enqueued - Math.max(0, WINDOW - controller.desiredSize);
      if (consumed - credited >= WINDOW / 4 || (consumed > credited && controller.desiredSize >= WINDOW)) {
        port.postMessage({ type: 'credit', bytes: consumed - credited });
        credited = consumed;
      }
    };
    if (signal) {
      signal.addEventListener('abort', () => {
        if (over) return;
        port.postMessage({ type: 'cancel' });
        if (controller) {
          try {
            controller.error(new Error('aborted'));
          } catch (e) {
            // already closed
          }
        } else {
          resolve(problem(499, 'the request was aborted'));
        }
        end();
      });
    }
    heard();
    port.onmessage = (ev) => {
      const msg = ev.data || {};
      if (over) return;
      heard();
      switch (msg.type) {
        case 'alive':
          break;
        case 'error':
          resolve(problem(msg.status || 502, msg.message || 'the preview failed'));
          end();
          break;
        case 'head': {
          const headers = new Headers();
          for (const [name, value] of msg.headers || []) {
            try {
              headers.append(name, value);
            } catch (e) {
              // a field the Fetch API will not carry (a byte it forbids): left out
            }
          }
          // statuses the Fetch API gives no body (and a constructor that refuses one for them)
          const bodyless = [101, 103, 204, 205, 304].includes(msg.status);
          let body = null;
          if (!bodyless) {
            body = new ReadableStream({
              start(c) {
                controller = c;
              },
              pull() {
                credit();
              },
              cancel() {
                if (!over) port.postMessage({ type: 'cancel' });
                end();
              },
            }, new ByteLengthQueuingStrategy({ highWaterMark: WINDOW }));
          }
          let statusText = msg.statusText || '';
          if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(statusText)) statusText = '';
          try {
            resolve(new Response(body, { status: msg.status, statusText, headers }));
          } catch (e) {
            resolve(problem(502, 'the guest answered status ' + msg.status + ', which a browser response cannot have'));
            port.postMessage({ type: 'cancel' });
            end();
          }
          if (bodyless) {
            port.postMessage({ type: 'cancel' });
            end();
          }
          break;
        }
        case 'data':
          if (controller && msg.bytes instanceof Uint8Array) {
            enqueued += msg.bytes.length;
            controller.enqueue(msg.bytes);
            credit();
          }
          break;
        case 'end':
          if (controller) controller.close();
          end();
          break;
        case 'abort':
          if (controller) controller.error(new Error(msg.message || 'the guest server broke off the response'));
          end();
          break;
        default:
          break;
      }
    };
  });
}
