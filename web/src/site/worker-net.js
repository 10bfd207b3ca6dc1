// The Worker's side of the network relay (web-host's RelayNetwork): one WebSocket per guest TCP
// connection beyond loopback. This file only owns the WebSockets; the frames, flow control and
// errors are RelayNetwork's. worker.js calls init() once; RelayNetwork calls open/send/close.
// Each event goes to the kernel (friscy_net_event) and then lets the kernel run, since a guest
// may be waiting for it.
'use strict';

const FriscyWorkerNet = (() => {
  // RelayNetwork.EV_*
  const EV_OPEN = 1;
  const EV_MESSAGE = 2;
  const EV_CLOSE = 3;
  // A relay that does not answer within this time counts as unreachable (ENETUNREACH), so a
  // guest's connect never hangs on it.
  const OPEN_TIMEOUT_MS = 10000;
  const EMPTY = new Int8Array(0);

  const sockets = new Map();
  let hooks = null;

  /** hooks: {wasm: () => exports, runSoon: () => void} */
  function init(h) {
    hooks = h;
  }

  function event(id, kind, data) {
    const wasm = hooks && hooks.wasm();
    if (!wasm) return;
    wasm.friscy_net_event(id, kind, data);
    hooks.runSoon();
  }

  /** Opens the WebSocket of connection id; '' or why it cannot even start. */
  function open(id, url) {
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      return (e && e.message) || 'cannot open a WebSocket to ' + url;
    }
    ws.binaryType = 'arraybuffer';
    const timer = setTimeout(() => {
      if (ws.readyState === WebSocket.CONNECTING) ws.close(); // reported as a close before open
    }, OPEN_TIMEOUT_MS);
    ws.onopen = () => {
      clearTimeout(timer);
      event(id, EV_OPEN, EMPTY);
    };
    ws.onmessage = (ev) => {
      // a text message is no frame of the protocol: it arrives empty, and RelayNetwork refuses it
      event(id, EV_MESSAGE, ev.data instanceof ArrayBuffer ? new Int8Array(ev.data) : EMPTY);
    };
    ws.onclose = () => {
      clearTimeout(timer);
      if (sockets.get(id) !== ws) return;
      sockets.delete(id);
      event(id, EV_CLOSE, EMPTY);
    };
    sockets.set(id, ws);
    return '';
  }

  function send(id, frame) {
    const ws = sockets.get(id);
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(frame);
  }

  /** RelayNetwork is done with connection id: no more events for it. */
  function close(id) {
    const ws = sockets.get(id);
    if (!ws) return;
    sockets.delete(id);
    try {
      ws.close(1000);
    } catch (e) {
      // already closing
    }
  }

  return { init, open, send, close };
})();
