// Turns RGBA pixels into dark/light with one global threshold. The codes this decoder
// reads are screenshots or rescaled copies of clean black-on-white renderings, so a
// global (Otsu) threshold separates the two inks; rescaling only adds grey edge pixels.

const kLevels = 256;

/** Luminance 0..255 per pixel; transparent pixels count as white paper. */
function luminance({ width, height, data }) {
  const grey = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < grey.length; i += 1, p += 4) {
    const y = (data[p] * 299 + data[p + 1] * 587 + data[p + 2] * 114) / 1000;
    const alpha = data[p + 3];
    grey[i] = Math.round((y * alpha + 255 * (255 - alpha)) / 255);
  }
  return grey;
}

/** The threshold that best splits the histogram into two classes (Otsu's method). */
function otsuThreshold(grey) {
  const histogram = new Float64Array(kLevels);
  for (const value of grey) histogram[value] += 1;
  let sumAll = 0;
  for (let level = 0; level < kLevels; level += 1) sumAll += level * histogram[level];
  let weightDark = 0;
  let sumDark = 0;
  let bestVariance = -1;
  let best = 128;
  for (let level = 0; level < kLevels; level += 1) {
    weightDark += histogram[level];
    if (weightDark === 0) continue;
    const weightLight = grey.length - weightDark;
    if (weightLight === 0) break;
    sumDark += level * histogram[level];
    const meanDark = sumDark / weightDark;
    const meanLight = (sumAll - sumDark) / weightLight;
    const variance = weightDark * weightLight * (meanDark - meanLight) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = level;
    }
  }
  return best;
}

/**
 * {width, height, dark} where dark[y * width + x] is 1 for ink. Null when the image has
 * a single tone (nothing to find).
 */
export function binarize(image) {
  const { width, height } = image;
  const grey = luminance(image);
  let min = 255;
  let max = 0;
  for (const value of grey) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (max - min < 32) return null;
  const threshold = otsuThreshold(grey);
  const dark = new Uint8Array(grey.length);
  for (let i = 0; i < grey.length; i += 1) dark[i] = grey[i] <= threshold ? 1 : 0;
  return { width, height, dark };
}
