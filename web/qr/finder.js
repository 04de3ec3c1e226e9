// Finds the three finder patterns (the 7×7 squares in three corners): runs of
// dark:light:dark:light:dark in the ratio 1:1:3:1:1 across a row, confirmed down the
// column through their middle and across again. Returns the likely corner triples, best
// first; the caller tries each until one decodes.

const kMaxCandidates = 10;
const kMaxTriples = 6;
// The centres of two finder patterns are at least 14 modules apart (version 1 is 21 wide).
const kMinCentreDistanceModules = 10;

function ratioMatches(counts) {
  const total = counts[0] + counts[1] + counts[2] + counts[3] + counts[4];
  if (total < 7 || counts.some((count) => count === 0)) return false;
  const module = total / 7;
  const tolerance = module / 2;
  return Math.abs(module - counts[0]) < tolerance &&
    Math.abs(module - counts[1]) < tolerance &&
    Math.abs(3 * module - counts[2]) < 3 * tolerance &&
    Math.abs(module - counts[3]) < tolerance &&
    Math.abs(module - counts[4]) < tolerance;
}

function sum(counts) {
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Counts the five runs along a line through (x, y), which must be dark, in the
 * direction (dx, dy). Returns {counts, centre} with centre the middle of the inner
 * dark run measured along the line from (x, y), or null when the line leaves the image.
 */
function runsThrough(grid, x, y, dx, dy) {
  const { width, height, dark } = grid;
  const isDark = (t) => {
    const px = x + dx * t;
    const py = y + dy * t;
    if (px < 0 || py < 0 || px >= width || py >= height) return null;
    return dark[py * width + px] === 1;
  };
  if (!isDark(0)) return null;
  const counts = [0, 0, 0, 0, 0];
  let t = 0;
  while (isDark(t) === true) { counts[2] += 1; t -= 1; }
  const innerStart = t + 1;
  while (isDark(t) === false) { counts[1] += 1; t -= 1; }
  while (isDark(t) === true) { counts[0] += 1; t -= 1; }
  t = 1;
  while (isDark(t) === true) { counts[2] += 1; t += 1; }
  const innerEnd = t;
  while (isDark(t) === false) { counts[3] += 1; t += 1; }
  while (isDark(t) === true) { counts[4] += 1; t += 1; }
  return { counts, centre: (innerStart + innerEnd) / 2 };
}

function rowRuns(grid, y) {
  const { width, dark } = grid;
  const starts = [];
  const lengths = [];
  const darkness = [];
  let x = 0;
  while (x < width) {
    const value = dark[y * width + x];
    const start = x;
    while (x < width && dark[y * width + x] === value) x += 1;
    starts.push(start);
    lengths.push(x - start);
    darkness.push(value === 1);
  }
  return { starts, lengths, darkness };
}

/** Confirms a row hit vertically and horizontally; {x, y, module} or null. */
function confirm(grid, rowCounts, centreX, y) {
  const column = Math.floor(centreX);
  const vertical = runsThrough(grid, column, y, 0, 1);
  if (!vertical || !ratioMatches(vertical.counts)) return null;
  const rowTotal = sum(rowCounts);
  const verticalTotal = sum(vertical.counts);
  if (5 * Math.abs(verticalTotal - rowTotal) >= 2 * rowTotal) return null;
  const centreY = y + vertical.centre;
  const horizontal = runsThrough(grid, column, Math.floor(centreY), 1, 0);
  if (!horizontal || !ratioMatches(horizontal.counts)) return null;
  return {
    x: column + horizontal.centre,
    y: centreY,
    module: (sum(horizontal.counts) + verticalTotal) / 14,
  };
}

function remember(candidates, found) {
  for (const known of candidates) {
    const near = Math.abs(known.x - found.x) <= known.module && Math.abs(known.y - found.y) <= known.module;
    if (near && Math.abs(known.module - found.module) <= Math.max(1, known.module)) {
      const weight = known.count + 1;
      known.x = (known.x * known.count + found.x) / weight;
      known.y = (known.y * known.count + found.y) / weight;
      known.module = (known.module * known.count + found.module) / weight;
      known.count = weight;
      return;
    }
  }
  candidates.push({ ...found, count: 1 });
}

function findCandidates(grid) {
  const candidates = [];
  for (let y = 0; y < grid.height; y += 1) {
    const { starts, lengths, darkness } = rowRuns(grid, y);
    for (let i = 0; i + 4 < lengths.length; i += 1) {
      if (!darkness[i]) continue;
      const counts = lengths.slice(i, i + 5);
      if (!ratioMatches(counts)) continue;
      const found = confirm(grid, counts, starts[i + 2] + lengths[i + 2] / 2, y);
      if (found) remember(candidates, found);
    }
  }
  return candidates;
}

function distance(a, b) {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Names the corners: top-left is opposite the longest side; top-right turns clockwise from it. */
function orient(a, b, c) {
  const sides = [[distance(b, c), a, b, c], [distance(a, c), b, a, c], [distance(a, b), c, a, b]];
  sides.sort((p, q) => q[0] - p[0]);
  const [, topLeft, p, q] = sides[0];
  const cross = (p.x - topLeft.x) * (q.y - topLeft.y) - (p.y - topLeft.y) * (q.x - topLeft.x);
  return cross > 0 ? { topLeft, topRight: p, bottomLeft: q } : { topLeft, topRight: q, bottomLeft: p };
}

/** How far three points are from an isosceles right triangle with similar patterns; lower is better. */
function misfit({ topLeft, topRight, bottomLeft }) {
  const modules = [topLeft.module, topRight.module, bottomLeft.module];
  const module = (modules[0] + modules[1] + modules[2]) / 3;
  if (Math.max(...modules) > 1.5 * Math.min(...modules)) return Infinity;
  const across = distance(topLeft, topRight);
  const down = distance(topLeft, bottomLeft);
  if (Math.min(across, down) < kMinCentreDistanceModules * module) return Infinity;
  const diagonal = distance(topRight, bottomLeft);
  const legs = Math.abs(across - down) / Math.max(across, down);
  const square = Math.abs(diagonal - Math.hypot(across, down)) / diagonal;
  return legs + square;
}

/** Up to kMaxTriples {topLeft, topRight, bottomLeft} (each {x, y, module}), most plausible first. */
export function locateFinderTriples(grid) {
  const candidates = findCandidates(grid)
    .sort((a, b) => b.count - a.count)
    .slice(0, kMaxCandidates);
  const triples = [];
  for (let i = 0; i < candidates.length; i += 1) {
    for (let j = i + 1; j < candidates.length; j += 1) {
      for (let k = j + 1; k < candidates.length; k += 1) {
        const corners = orient(candidates[i], candidates[j], candidates[k]);
        const score = misfit(corners);
        if (score < 0.25) triples.push({ corners, score });
      }
    }
  }
  return triples.sort((a, b) => a.score - b.score).slice(0, kMaxTriples).map((triple) => triple.corners);
}
