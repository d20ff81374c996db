// Evidence frame: the picture a tile is showing right now, as a JPEG data URL.
// The live segments are same-origin, so the canvas is not tainted and toDataURL is allowed.

const MAX_CHARS = 2.6 * 1024 * 1024; // the server takes at most 2 MiB decoded; base64 is 4/3 of that

export class CaptureError extends Error {
  constructor(readonly code: 'not-live' | 'failed', message: string) {
    super(message);
  }
}

export function captureFrame(video: HTMLVideoElement, maxWidth = 1920): string {
  if (video.readyState < 2 || !video.videoWidth || !video.videoHeight) throw new CaptureError('not-live', 'no frame decoded yet');
  const scale = Math.min(1, maxWidth / video.videoWidth);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new CaptureError('failed', 'canvas 2d context unavailable');
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  let quality = 0.85;
  let url = canvas.toDataURL('image/jpeg', quality);
  // A very busy 1080p frame can exceed the limit: step the quality down rather than fail.
  while (url.length > MAX_CHARS && quality > 0.4) {
    quality -= 0.15;
    url = canvas.toDataURL('image/jpeg', quality);
  }
  return url;
}

/** A picked photo file (feedback) as a JPEG data URL, scaled down to `maxWidth`. */
export async function photoToJpeg(file: File, maxWidth = 1920): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxWidth / bitmap.width);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvas.toDataURL('image/jpeg', 0.85);
}
