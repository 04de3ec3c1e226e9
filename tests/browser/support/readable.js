// What a person reads on a page, in Chinese and in English: never "null" or "undefined",
// never an error code (PASSWORD_LOCKED), an operator's view of a client (client:ch_…) or
// a translation key the page has no words for (records.auth.sms). Each page is read in
// the language it shows, switched to the other and read again, then switched back.

const kUnreadable = [
  { what: "null/undefined/NaN", pattern: /\b(?:null|undefined|NaN)\b/ },
  // An order number (SH_PHARMACY-20261204-…) is data, not a code: a dash follows it. So is
  // the tail of a random id (in_ogN30jv-KV4I1M_B): a dash or a letter comes before it.
  { what: "an error code", pattern: /(?<![\w-])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b(?!-)/ },
  { what: "a client id", pattern: /\bclient:\S+/ },
  { what: "a translation key", pattern: /\b[a-z]+(?:\.[a-z_-]+){2,}\b/ },
];

// The visible text of the page, and the labels a screen reader announces in its place.
async function visibleText(page) {
  return page.evaluate(() => {
    const labels = [...document.querySelectorAll("[aria-label], img[alt]")]
      .filter((el) => el.checkVisibility?.() ?? true)
      .map((el) => [el.getAttribute("aria-label"), el.getAttribute("alt")].filter(Boolean).join(" "));
    return `${document.body.innerText}\n${labels.join("\n")}`;
  });
}

function findings(text, language) {
  const found = [];
  for (const { what, pattern } of kUnreadable) {
    const match = pattern.exec(text);
    if (match) {
      const start = Math.max(0, match.index - 30);
      found.push(`${language}: ${what} «${match[0]}» in «${text.slice(start, match.index + match[0].length + 30).replace(/\s+/g, " ")}»`);
    }
  }
  return found;
}

async function switchTo(page, lang) {
  const button = page.locator(`.lang-switch button[data-lang="${lang}"]`);
  if (!(await button.count())) return false;
  await button.first().evaluate((b) => b.click());  // a modal dialog may cover the header
  await page.waitForFunction((want) => document.documentElement.lang.startsWith(want), lang);
  return true;
}

// Returns what is unreadable on `page` in either language (empty when all is well).
// Tooltips (`title`) are left out: the console keeps the recorded code there for support
// staff who ask for it.
export async function unreadableText(page) {
  const first = await page.evaluate(() => (document.documentElement.lang.startsWith("en") ? "en" : "zh"));
  const other = first === "zh" ? "en" : "zh";
  const found = findings(await visibleText(page), first);
  if (await switchTo(page, other)) {
    found.push(...findings(await visibleText(page), other));
    await switchTo(page, first);
  }
  return found;
}
