// Text contrast as WCAG 2.x 1.4.3 measures it: every visible run of text against the
// background it is drawn on, at least 4.5:1 (3:1 for large text: 24 px, or 18.66 px
// bold). The background is the nearest ancestor's opaque background colour (white when
// none is); disabled controls are exempt, as the criterion says; chart text inside an
// <svg> is drawn with `fill`, and text over a gradient or picture (the e-card's face, its
// colours chosen for it) has no one background colour, so neither is measured here. Returns at most a few
// findings per page, each naming the text, its colours and the ratio.

export async function lowContrastText(page) {
  return page.evaluate(() => {
    const parse = (css) => {
      const m = css.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const blend = (top, below) => ({
      r: top.r * top.a + below.r * (1 - top.a),
      g: top.g * top.a + below.g * (1 - top.a),
      b: top.b * top.a + below.b * (1 - top.a),
      a: 1,
    });
    const luminance = ({ r, g, b }) => {
      const f = (c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (x, y) => {
      const [hi, lo] = [luminance(x), luminance(y)].sort((a, b) => b - a);
      return (hi + 0.05) / (lo + 0.05);
    };
    // The colour behind `el`: its own and its ancestors' backgrounds, blended from the page
    // up; null over a picture or gradient (the e-card's face), which a colour cannot stand for.
    const backgroundOf = (el) => {
      const layers = [];
      for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
        if (getComputedStyle(node).backgroundImage !== "none") return null;
        const colour = parse(getComputedStyle(node).backgroundColor);
        if (colour && colour.a > 0) layers.push(colour);
        if (colour && colour.a === 1) break;
      }
      return layers.reverse().reduce((below, top) => blend(top, below), { r: 255, g: 255, b: 255, a: 1 });
    };
    const found = [];
    const seen = new Set();
    for (const el of document.body.querySelectorAll("*")) {
      if (el.closest("svg") || el.closest("[disabled]") || el.matches(":disabled")) continue;
      const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("").trim();
      if (!text || !(el.checkVisibility?.({ checkOpacity: true, checkVisibilityCSS: true }) ?? true)) continue;
      const style = getComputedStyle(el);
      const colour = parse(style.color);
      if (!colour) continue;
      const background = backgroundOf(el);
      if (!background) continue;
      const value = ratio(blend(colour, background), background);
      const size = Number.parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (value >= (large ? 3 : 4.5)) continue;
      const key = `${style.color}|${JSON.stringify(background)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const rgb = (c) => `rgb(${Math.round(c.r)} ${Math.round(c.g)} ${Math.round(c.b)})`;
      found.push(`«${text.slice(0, 24)}» ${style.color} on ${rgb(background)}: ${value.toFixed(2)}:1`);
      if (found.length >= 5) break;
    }
    return found;
  });
}
