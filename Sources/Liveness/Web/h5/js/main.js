// The verification flow: intro -> camera -> live instructions and hints -> result ->
// redirect. Server messages are handled as docs/h5-protocol.md section 2 describes.
// When the page cannot stream (no WebSocket, or the socket never opens) or the scene asks
// for it, it records a short video instead and uploads it (section 5, recording.js).
import { chooseLanguage } from './i18n.js';
import { loadSession, SessionError } from './session.js';
import { openCamera, closeCamera } from './camera.js';
import { FramePump } from './capture.js';
import { LiveSocket } from './socket.js';
import { ColourFlasher } from './colour.js';
import { runNearFar } from './nearfar.js';
import { canRecord, pickRecordedFile, record, RecordingError, scheduleFor, upload } from './recording.js';
import { openFrameChannel } from '../frame-crypto.js';
import * as view from './view.js';

const REDIRECT_DELAY_MS = 2000;
const CAMERA_UNAVAILABLE = 3001;
const HANDSHAKE_FAILED = 4100;
const NETWORK_UNSTABLE = 1008;

const params = new URLSearchParams(location.search);
const token = params.get('token') || '';
chooseLanguage(params.get('lang'));
view.init();

const state = {
  session: null, stream: null, socket: null, pump: null, flasher: null, cameraOpenedAt: 0, actions: [], finished: false,
  moving: false, current: 0,
};

const sessionLoaded = loadSession(token);
sessionLoaded.then(
  (session) => {
    state.session = session;
    if (session.colourFlash) view.showFlashWarning();
    view.enableStart(begin);
  },
  (error) => finish(sessionFailure(error)),
);

async function begin() {
  view.showScreen('camera');
  view.setInstruction(null);
  view.setProgress(0, state.session.actions.length);
  const streams = state.session.capture !== 'video' && typeof WebSocket === 'function';
  const hasCamera = Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  if (!hasCamera) {
    // No camera API in this browser (some in-app browsers): the phone's camera app records.
    await recordWithCameraApp();
    return;
  }
  view.setStatus('status.camera');
  try {
    state.stream = await openCamera(document.getElementById('preview'));
    state.cameraOpenedAt = performance.now();
  } catch {
    // Nothing was sent yet, so the server needs no word of it; the user can fix the
    // permission and try again on this page.
    finish({ passed: false, code: CAMERA_UNAVAILABLE }, { onRetry: () => location.reload() });
    return;
  }
  view.setStatus('status.connecting');
  let channel;
  try {
    channel = await openFrameChannel(state.session.serverPublicKey, state.session.sessionId);
  } catch {
    finish({ passed: false, code: HANDSHAKE_FAILED }, { onRetry: () => location.reload() });
    return;
  }
  if (state.finished) return;
  if (!streams) {
    await recordAndUpload(channel);
    return;
  }
  try {
    state.socket = openSocket(channel);
  } catch {
    await recordAndUpload(channel);
  }
}

// The downgrade: record with the actions shown, then upload (the server decides).
async function recordAndUpload(channel) {
  if (state.finished) return;
  // The colour flash and near-far are judged on a live stream (display times, the move's timing).
  if (state.session.colourFlash || state.session.nearFar) {
    finish({ passed: false, code: NETWORK_UNSTABLE }, { onRetry: () => location.reload() });
    return;
  }
  if (!canRecord()) {
    closeCamera(state.stream);
    await recordWithCameraApp(channel);
    return;
  }
  const total = state.session.actions.length;
  view.setHints([]);
  view.setStatus('status.recording');
  let video;
  try {
    video = await record(state.stream, state.session.recordSeconds, scheduleFor(state.session), {
      onStep: (action) => {
        view.setInstruction(action);
        const index = state.session.actions.indexOf(action);
        if (index >= 0) view.setProgress(index, total);
      },
      onTick: () => {},
    });
  } catch (error) {
    finish({ passed: false, code: error instanceof RecordingError ? error.code : NETWORK_UNSTABLE });
    return;
  }
  closeCamera(state.stream);
  view.setProgress(total, total);
  view.setInstruction('done');
  await sendRecording(channel, video);
}

// No camera in the page: the phone's camera app records, the user picks the video.
async function recordWithCameraApp(channel = null) {
  view.setInstruction(null);
  view.setStatus('record.fileHelp', { actions: view.actionList(state.session.actions.length ? state.session.actions : ['look_blink']) });
  const input = document.getElementById('record-file');
  const file = await new Promise((resolve) => view.offerRecordedFile(() => resolve(pickRecordedFile(input))));
  if (!file) {
    finish({ passed: false, code: CAMERA_UNAVAILABLE }, { onRetry: () => location.reload() });
    return;
  }
  let sealed = channel;
  try {
    sealed = sealed || await openFrameChannel(state.session.serverPublicKey, state.session.sessionId);
  } catch {
    finish({ passed: false, code: HANDSHAKE_FAILED }, { onRetry: () => location.reload() });
    return;
  }
  await sendRecording(sealed, file);
}

async function sendRecording(channel, video) {
  view.setStatus('status.uploading');
  try {
    const answer = await upload(token, channel, video, state.session.clockOffset);
    finish(answer, { redirectUrl: answer.redirectUrl });
  } catch (error) {
    finish({ passed: false, code: error instanceof RecordingError ? error.code : NETWORK_UNSTABLE });
  }
}

function openSocket(channel) {
  return new LiveSocket(token, hello(channel.publicKeyBase64), {
    ready: (message) => onReady(message, channel),
    hint: (message) => view.setHints(message.hints),
    progress: (message) => showProgress(message.current),
    result: (message) => finish(message, { redirectUrl: message.redirectUrl }),
    error: (message) => finish({ passed: false, code: message.code, message: message.message }),
    // A socket that never opened reached no server: the prepared session is still free,
    // so the page records instead. One that opened and dropped ended its attempt.
    closed: (event, opened) => (opened ? finish({ passed: false, code: NETWORK_UNSTABLE }) : recordAndUpload(channel)),
  });
}

function hello(publicKeyBase64) {
  return {
    type: 'hello',
    clientPublicKey: publicKeyBase64,
    device: {
      userAgent: navigator.userAgent,
      screen: `${screen.width}x${screen.height}`,
      language: navigator.language || '',
      // The server refuses known virtual cameras (software that plays a video as a camera).
      camera: cameraLabel(),
    },
  };
}

function cameraLabel() {
  const track = state.stream && state.stream.getVideoTracks()[0];
  return track ? String(track.label || '') : '';
}

function onReady(message, channel) {
  if (state.finished) return;
  if (Array.isArray(message.actions)) state.actions = message.actions;
  else state.actions = state.session.actions;
  view.setStatus(null);
  view.setHints([]);
  if (state.session.colourFlash) {
    state.flasher = new ColourFlasher(state.session.colourFlash, document.getElementById('flash'), state.session.clockOffset);
    view.setInstruction('hold_flash');
  }
  showProgress(message.current || 0);
  const flasher = state.flasher;
  state.pump = new FramePump({
    video: document.getElementById('preview'),
    interval: state.session.frameInterval,
    clockOffset: state.session.clockOffset,
    seal: (bytes, captureMillis) => channel.sealer.seal(flasher ? flasher.annotate(bytes) : bytes, captureMillis),
    send: (envelope) => state.socket.sendFrame(envelope),
    queuedInSocket: () => state.socket.queuedFrames(),
  });
  state.pump.start();
  if (state.session.nearFar) {
    // The move comes first; the actions' instructions wait for it.
    state.moving = true;
    runNearFar(state.session.nearFar, document.querySelector('.stage'), (key) => view.setInstruction(key)).then(() => {
      state.moving = false;
      showProgress(state.current);
    });
  }
  if (flasher) flasher.run(state.cameraOpenedAt, performance.now()).then(() => view.setStatus('status.processing'));
}

// `current` is the index of the action to do now; equal to the count when all are done.
function showProgress(current) {
  if (state.flasher) return; // no actions: the flash is the challenge
  state.current = current;
  const total = state.actions.length;
  const done = Math.min(Math.max(0, Number(current) || 0), total);
  view.setProgress(done, total);
  if (state.moving) return; // near-far: the move's instruction stays until its time is over
  if (done < total) {
    view.setInstruction(state.actions[done]);
  } else {
    view.setInstruction('done');
    view.setStatus('status.processing');
  }
}

function sessionFailure(error) {
  if (error instanceof SessionError) return { passed: false, code: error.code, message: error.serverMessage };
  return { passed: false, code: NETWORK_UNSTABLE };
}

// Called once, for whichever comes first: a result, an error, a lost connection.
function finish(outcome, { redirectUrl = null, onRetry = null } = {}) {
  if (state.finished) return;
  state.finished = true;
  if (state.pump) state.pump.stop();
  if (state.flasher) state.flasher.stop();
  if (state.socket) state.socket.end(false);
  closeCamera(state.stream);
  const target = safeRedirect(redirectUrl);
  view.showResult(outcome, { redirecting: Boolean(target), onRetry });
  if (target) setTimeout(() => location.assign(target), REDIRECT_DELAY_MS);
}

// Only http(s) targets: a javascript: or data: URL must never be followed.
function safeRedirect(url) {
  if (typeof url !== 'string' || !url) return null;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

// Leaving mid-session: tell the server so it can close the session at once.
addEventListener('pagehide', () => {
  if (!state.finished && state.socket) {
    state.finished = true;
    if (state.pump) state.pump.stop();
    state.socket.end(true);
    closeCamera(state.stream);
  }
});
