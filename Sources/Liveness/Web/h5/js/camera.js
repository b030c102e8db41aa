// The front camera into the preview <video>. Any failure (no API, refused, no device,
// busy) is a CameraError: the page shows code 3001 and stops.

export class CameraError extends Error {}

export async function openCamera(video) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw new CameraError('unavailable');
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 } },
    });
  } catch (error) {
    throw new CameraError(error && error.name);
  }
  video.muted = true;
  video.playsInline = true; // iOS: play in the page, not full screen
  video.srcObject = stream;
  try {
    await video.play();
    await waitForSize(video);
  } catch (error) {
    closeCamera(stream);
    throw new CameraError(error && error.name);
  }
  return stream;
}

export function closeCamera(stream) {
  if (stream) for (const track of stream.getTracks()) track.stop();
}

function waitForSize(video) {
  if (video.videoWidth > 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CameraError('no frames')), 10000);
    video.addEventListener('loadedmetadata', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
