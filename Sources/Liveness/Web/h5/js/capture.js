// Takes JPEG frames from the preview video about every `interval` ms, seals them and
// sends them in capture order. At most MAX_UNSENT frames are ever waiting (being encoded,
// encrypted or in the socket's buffer): on a slow network the pump drops frames instead
// of falling behind, because a late frame is worth nothing to real-time analysis.

const MAX_UNSENT = 2;
const JPEG_QUALITY = 0.8;

export class FramePump {
  // seal(bytes, captureMillis) -> Promise<envelope>; send(envelope); queuedInSocket() -> frames.
  constructor({ video, interval, clockOffset, seal, send, queuedInSocket }) {
    this.video = video;
    this.interval = Math.max(40, Number(interval) || 83);
    this.clockOffset = clockOffset || 0;
    this.seal = seal;
    this.send = send;
    this.queuedInSocket = queuedInSocket;
    this.canvas = document.createElement('canvas');
    this.context = this.canvas.getContext('2d');
    this.inFlight = 0;
    this.sent = 0;
    this.dropped = 0;
    this.running = false;
    this.timer = null;
    this.chain = Promise.resolve(); // keeps sealing and sending in capture order
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.startedAt = performance.now();
    this.ticks = 0;
    this.tick();
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
  }

  tick() {
    if (!this.running) return;
    this.ticks += 1;
    // Scheduled against the start time so the rate does not drift with slow ticks.
    const next = this.startedAt + this.ticks * this.interval - performance.now();
    this.timer = setTimeout(() => this.tick(), Math.max(0, next));
    if (this.inFlight + this.queuedInSocket() >= MAX_UNSENT) {
      this.dropped += 1;
      return;
    }
    this.captureOne();
  }

  async captureOne() {
    this.inFlight += 1;
    try {
      const captureMillis = Date.now() + this.clockOffset;
      const blob = await this.encode();
      if (!blob || !this.running) return;
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const step = this.chain.then(async () => {
        if (!this.running) return;
        const envelope = await this.seal(bytes, captureMillis);
        if (!this.running) return;
        this.send(envelope);
        this.sent += 1;
      });
      this.chain = step.catch(() => {});
      await step;
    } catch {
      // A frame that fails to encode or seal is just skipped; the next one comes soon.
    } finally {
      this.inFlight -= 1;
    }
  }

  // The frame as the camera sees it (the preview's mirroring is CSS only), centre-cropped
  // to 480x640 for a portrait video or 640x480 for a landscape one.
  encode() {
    const { videoWidth: width, videoHeight: height } = this.video;
    if (!width || !height) return Promise.resolve(null);
    const portrait = height > width;
    const outWidth = portrait ? 480 : 640;
    const outHeight = portrait ? 640 : 480;
    if (this.canvas.width !== outWidth) this.canvas.width = outWidth;
    if (this.canvas.height !== outHeight) this.canvas.height = outHeight;
    const scale = Math.max(outWidth / width, outHeight / height);
    const cropWidth = outWidth / scale;
    const cropHeight = outHeight / scale;
    this.context.drawImage(this.video, (width - cropWidth) / 2, (height - cropHeight) / 2, cropWidth, cropHeight,
      0, 0, outWidth, outHeight);
    return new Promise((resolve) => this.canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
  }
}
