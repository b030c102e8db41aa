// The session's WebSocket (docs/h5-protocol.md section 2): sends `hello` on open, hands
// each server message to handlers[type], and reports a close that came before the
// server's decision through handlers.closed(event, opened): `opened` is false when the
// socket never connected.

export class LiveSocket {
  constructor(token, hello, handlers) {
    const url = new URL(`/h5/ws?token=${encodeURIComponent(token)}`, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.handlers = handlers;
    this.lastFrameBytes = 0;
    this.ended = false;
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.opened = false;
    this.ws.addEventListener('open', () => { this.opened = true; this.sendJSON(hello); });
    this.ws.addEventListener('message', (event) => this.receive(event));
    this.ws.addEventListener('close', (event) => {
      if (!this.ended) handlers.closed && handlers.closed(event, this.opened);
    });
  }

  receive(event) {
    if (typeof event.data !== 'string') return; // the server sends only text
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    const handler = message && this.handlers[message.type];
    if (handler) handler(message);
  }

  sendJSON(value) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(value));
  }

  sendFrame(envelope) {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.lastFrameBytes = envelope.byteLength;
    this.ws.send(envelope);
  }

  // About how many frames are still in the browser's send buffer.
  queuedFrames() {
    const buffered = this.ws.bufferedAmount;
    return buffered > 0 && this.lastFrameBytes > 0 ? Math.ceil(buffered / this.lastFrameBytes) : 0;
  }

  // Our side is done (a decision came or the user leaves): a later close is expected.
  end(cancel) {
    this.ended = true;
    if (cancel) this.sendJSON({ type: 'cancel' });
    if (this.ws.readyState <= WebSocket.OPEN) this.ws.close(1000);
  }
}
