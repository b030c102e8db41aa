// Colour-flash mode (docs/h5-protocol.md section 6): the screen shows the server's random
// sequence of colours, and every frame reports, inside its encryption, when each colour
// was actually painted, so the server can check that the light on the face followed it.

const SETTLE_AFTER_FIRST_FRAME_MS = 1500;

export class ColourFlasher {
  // flash: {steps: [{colour, millis}], startAfter}; element: the full-screen layer.
  constructor(flash, element, clockOffset) {
    this.steps = Array.isArray(flash.steps) ? flash.steps : [];
    this.startAfter = Number(flash.startAfter) || 3;
    this.element = element;
    this.clockOffset = clockOffset || 0;
    this.shown = []; // [step, millis on the frames' capture clock]; step -1 = ended
    this.timer = null;
    this.stopped = false;
  }

  // Starts `startAfter` seconds after the camera opened, and never sooner than 1.5 s after
  // the first frame went out (the server first learns the face). Resolves when it ends.
  run(cameraOpenedAt, firstFrameAt) {
    const startAt = Math.max(cameraOpenedAt + this.startAfter * 1000, firstFrameAt + SETTLE_AFTER_FIRST_FRAME_MS);
    return new Promise((resolve) => {
      this.finished = resolve;
      this.timer = setTimeout(() => this.show(0), Math.max(0, startAt - performance.now()));
    });
  }

  show(index) {
    if (this.stopped) return;
    if (index >= this.steps.length) {
      this.element.hidden = true;
      this.element.style.backgroundColor = '';
      requestAnimationFrame(() => { this.mark(-1); this.finished(); });
      return;
    }
    const step = this.steps[index];
    this.element.style.backgroundColor = cssColour(step.colour);
    this.element.hidden = false;
    // The callback runs just before the browser paints the new colour.
    requestAnimationFrame(() => this.mark(index));
    this.timer = setTimeout(() => this.show(index + 1), Math.max(100, Number(step.millis) || 500));
  }

  mark(step) {
    this.shown.push([step, Date.now() + this.clockOffset]);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.element.hidden = true;
  }

  // The JPEG with the report in a comment segment after its start-of-image marker.
  annotate(jpeg) {
    if (!this.shown.length) return jpeg;
    const payload = new TextEncoder().encode(`vf-flash:${JSON.stringify(this.shown)}`);
    if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8 || payload.length > 60000) return jpeg;
    const out = new Uint8Array(jpeg.length + 4 + payload.length);
    out.set(jpeg.subarray(0, 2), 0);
    const length = payload.length + 2;
    out.set([0xff, 0xfe, length >> 8, length & 0xff], 2);
    out.set(payload, 6);
    out.set(jpeg.subarray(2), 6 + payload.length);
    return out;
  }
}

const COLOURS = {
  red: '#ff0000', green: '#00ff00', blue: '#0000ff', yellow: '#ffff00',
  magenta: '#ff00ff', cyan: '#00ffff', white: '#ffffff',
};

function cssColour(name) {
  return COLOURS[name] || '#ffffff';
}
