// Test-only, injected before the H5 page loads (test_h5_colour_flash.py): the light of the
// phone's screen on the user's face, as its front camera would see it.
//
// The page's getUserMedia still opens Chromium's fake camera (a clip from ../shared/data);
// this wraps it so that every camera frame has the face box tinted with the colour the
// page's flash layer showed `delayMs` earlier (a camera's pipeline delay), at `alpha`.
// The tint follows what the page actually painted and when, so the test does not depend
// on the fake camera's file keeping time with the page's clock: on a loaded machine the
// two drift apart (a CI run saw a tint drawn into the file in advance reach correlation
// 0.57 on a bona fide run).
//
// window.screenLight, set by the test before this runs:
//   box: {x, y, width, height} in camera pixels; alpha: 0-1; delayMs: camera delay;
//   recolour: optional {"rgb(r, g, b)": "rgb(r, g, b)"} (a tint that follows another
//   sequence than the one shown).
(() => {
  const config = window.screenLight;
  const devices = navigator.mediaDevices;
  if (!config || !devices || !devices.getUserMedia) return;
  const openCamera = devices.getUserMedia.bind(devices);

  // [performance.now(), css colour or null] for each drawn frame, oldest first.
  const shown = [];

  function colourShownAt(time) {
    let colour = null;
    for (const [at, css] of shown) {
      if (at > time) break;
      colour = css;
    }
    return colour;
  }

  function record(now) {
    const layer = document.querySelector('[data-testid="flash"]');
    shown.push([now, layer && !layer.hidden ? layer.style.backgroundColor || null : null]);
    while (shown.length > 2 && shown[1][0] < now - config.delayMs - 1000) shown.shift();
  }

  devices.getUserMedia = async (constraints) => {
    const camera = await openCamera(constraints);
    const source = document.createElement('video');
    source.muted = true;
    source.playsInline = true;
    source.srcObject = camera;
    await source.play();
    const canvas = document.createElement('canvas');
    canvas.width = source.videoWidth;
    canvas.height = source.videoHeight;
    const context = canvas.getContext('2d');
    const { x, y, width, height } = config.box;

    function draw() {
      const now = performance.now();
      record(now);
      context.drawImage(source, 0, 0, canvas.width, canvas.height);
      let colour = colourShownAt(now - config.delayMs);
      if (colour && config.recolour) colour = config.recolour[colour] || colour;
      if (colour) {
        context.globalAlpha = config.alpha;
        context.fillStyle = colour;
        context.fillRect(x, y, width, height);
        context.globalAlpha = 1;
      }
      requestAnimationFrame(draw);
    }
    draw();

    const stream = canvas.captureStream(15);
    // The page stops its tracks when it ends; the camera behind them stops too.
    const track = stream.getVideoTracks()[0];
    const stop = track.stop.bind(track);
    track.stop = () => {
      stop();
      camera.getTracks().forEach((cameraTrack) => cameraTrack.stop());
    };
    return stream;
  };
})();
