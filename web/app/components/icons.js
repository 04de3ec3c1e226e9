// Line icons for the e-card's service tiles, drawn as inline SVG (the pages' CSP allows
// no remote images, and SVG follows the tile's colour through currentColor).

const kNs = "http://www.w3.org/2000/svg";

// 24×24 path data, one entry per tile action.
const kPaths = {
  qr: ["M3 3h7v7H3z", "M14 3h7v7h-7z", "M3 14h7v7H3z", "M6 6h1v1H6z", "M17 6h1v1h-1z", "M6 17h1v1H6z",
    "M14 14h3v3h-3z", "M18 18h3v3h-3z", "M14 20h2", "M20 14v2"],
  face: ["M3 6a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z", "M9 10a2 2 0 1 0 0-.01",
    "M6 16c.8-1.8 2-2.6 3-2.6s2.2.8 3 2.6", "M14 9h4", "M14 12h4", "M14 15h3"],
  account: ["M3 7h18v12H3z", "M3 7l2-3h14l2 3", "M16 13h2", "M7 11h5", "M7 15h4"],
  contribute: ["M12 3v18", "M16.5 7.5C16 6 14.3 5 12 5c-2.8 0-4.5 1.4-4.5 3.3 0 4.6 9 2.6 9 7.2C16.5 17.6 14.6 19 12 19c-2.4 0-4.2-1.1-4.8-2.8"],
  notifications: ["M6 16V11a6 6 0 0 1 12 0v5l2 2H4z", "M10 20a2 2 0 0 0 4 0"],
  password: ["M5 11h14v10H5z", "M8 11V7a4 4 0 0 1 8 0v4", "M12 15v2"],
  reset: ["M4 12a8 8 0 1 0 2.3-5.7", "M4 4v4h4", "M10 12h4v4h-4z", "M11 12v-1a1 1 0 0 1 2 0v1"],
  loss: ["M4 6h16v12H4z", "M4 10h16", "M7 14h4", "M15 13l3 3", "M18 13l-3 3"],
  "cancel-loss": ["M4 6h16v12H4z", "M4 10h16", "M7 14h3", "M13 14.5l2 2 4-4"],
  family: ["M8 8a3 3 0 1 0 0-.01", "M17 10a2 2 0 1 0 0-.01", "M3 20c.6-3.4 2.6-5 5-5s4.4 1.6 5 5", "M13.5 20c.4-2.4 1.7-3.6 3.5-3.6s3.1 1.2 3.5 3.6"],
  guardians: ["M12 3l7 3v5c0 4.5-3 8.3-7 10-4-1.7-7-5.5-7-10V6z", "M9 12l2 2 4-4"],
  filings: ["M12 21s-6-5.4-6-10a6 6 0 0 1 12 0c0 4.6-6 10-6 10z", "M12 11a2 2 0 1 0 0-.01"],
  where: ["M7 3h10v18H7z", "M10 18h4", "M3 8h2", "M3 12h2", "M19 8h2", "M19 12h2"],
  certificates: ["M6 3h9l4 4v14H6z", "M15 3v4h4", "M9 11h7", "M9 14h7", "M9 17l2 2 4-4"],
  upgrade: ["M12 20V5", "M6 11l6-6 6 6", "M5 20h14"],
  risk: ["M12 3l8 4v5c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V7z", "M12 8v5", "M12 16v.01"],
  unlink: ["M9 15l-2 2a3 3 0 0 1-4-4l3-3a3 3 0 0 1 4 0", "M15 9l2-2a3 3 0 0 1 4 4l-3 3a3 3 0 0 1-4 0", "M8 3l1 3", "M3 8l3 1", "M16 21l-1-3", "M21 16l-3-1"],
};

export function tileIcon(action) {
  const svg = document.createElementNS(kNs, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "tile-icon");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  for (const d of kPaths[action] ?? kPaths.qr) {
    const path = document.createElementNS(kNs, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}
