// The downgrade path (docs/h5-protocol.md section 5): when the page cannot stream, or the
// scene asks for it, it records a few seconds of the camera while it shows the actions in
// turn, seals the video with the session's key like one frame, and uploads it.
//
// Two ways to record: MediaRecorder on the open camera, or, where there is no camera API
// in the page (some in-app browsers), the phone's own camera app through a file input.

const MAX_VIDEO_BYTES = 10 * 1024 * 1024; // the server's limit (VideoLivenessLimits)
const TYPES = ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm', 'video/mp4'];

export class RecordingError extends Error {
  constructor(code) {
    super(`code ${code}`);
    this.code = code;
  }
}

export function canRecord() {
  return typeof MediaRecorder === 'function' && Boolean(recordingType());
}

function recordingType() {
  if (typeof MediaRecorder !== 'function') return null;
  return TYPES.find((type) => MediaRecorder.isTypeSupported(type)) || null;
}

// Records `seconds` of `stream`. `schedule` is [{at, action}] in seconds from the start;
// onStep(action) is called as each step begins, onTick(fraction) about four times a second.
export function record(stream, seconds, schedule, { onStep, onTick }) {
  return new Promise((resolve, reject) => {
    const type = recordingType();
    const chunks = [];
    let recorder;
    try {
      recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 1_500_000 });
    } catch {
      reject(new RecordingError(1101));
      return;
    }
    const timers = [];
    recorder.addEventListener('dataavailable', (event) => { if (event.data && event.data.size) chunks.push(event.data); });
    recorder.addEventListener('error', () => { timers.forEach(clearTimeout); reject(new RecordingError(1101)); });
    recorder.addEventListener('stop', () => {
      timers.forEach(clearTimeout);
      resolve(new Blob(chunks, { type: recorder.mimeType || type }));
    });
    const started = performance.now();
    recorder.start(500);
    for (const step of schedule) timers.push(setTimeout(() => onStep(step.action), step.at * 1000));
    const tick = () => {
      const fraction = Math.min(1, (performance.now() - started) / (seconds * 1000));
      onTick(fraction);
      if (fraction < 1) timers.push(setTimeout(tick, 250));
    };
    tick();
    timers.push(setTimeout(() => { if (recorder.state !== 'inactive') recorder.stop(); }, seconds * 1000));
  });
}

// The lead-in looking at the camera, then each action for an equal share of the rest.
export function scheduleFor(session) {
  const actions = session.actions;
  const lead = Number(session.recordLeadIn) || 1.5;
  const total = Number(session.recordSeconds) || 5;
  if (!actions.length) return [{ at: 0, action: 'look_blink' }];
  const share = (total - lead) / actions.length;
  return [{ at: 0, action: 'look' }, ...actions.map((action, i) => ({ at: lead + i * share, action }))];
}

// Seals the video as the session's first and only message and uploads it. Resolves to the
// server's result ({passed, code, message, attemptsLeft, redirectUrl}).
export async function upload(token, channel, video, clockOffset) {
  const bytes = new Uint8Array(await video.arrayBuffer());
  if (!bytes.length) throw new RecordingError(1101);
  if (bytes.length > MAX_VIDEO_BYTES) throw new RecordingError(1102);
  const envelope = await channel.sealer.seal(bytes, Date.now() + (clockOffset || 0));
  let response;
  try {
    response = await fetch(`/h5/api/video?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      cache: 'no-store',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/octet-stream',
        'X-Client-Key': channel.publicKeyBase64,
        'X-Screen': `${screen.width}x${screen.height}`,
      },
      body: envelope,
    });
  } catch {
    throw new RecordingError(1008);
  }
  let body = null;
  try { body = await response.json(); } catch { /* not JSON: handled below */ }
  const error = body && body.Error;
  if (error) return { passed: false, code: Number(error.Code), message: error.Message };
  if (!response.ok || !body || typeof body.passed !== 'boolean') throw new RecordingError(1008);
  return body;
}

// The phone's camera app, for pages without a camera API: resolves to the chosen file.
export function pickRecordedFile(input) {
  return new Promise((resolve) => {
    input.addEventListener('change', () => resolve(input.files && input.files[0] ? input.files[0] : null), { once: true });
    input.click();
  });
}
