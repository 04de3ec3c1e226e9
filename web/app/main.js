// The cardholder app: a demo channel app for a phone. Hash routes, one module per screen:
//   #/                          channel picker              screens/channels.js
//   #/c/<channel>               the e-cards in that channel screens/channel_home.js
//   #/c/<channel>/apply         apply for the e-card        screens/apply.js
//   #/c/<channel>/e/<binding>   one e-card and its services screens/ecard_home.js
//   #/c/<channel>/e/<binding>/<action>  qr, face, account, contribute, notifications,
//                               password, reset, loss, cancel-loss, upgrade, unlink,
//                               where (R-E9), family, guardians (R-F1…R-F4), filings (R-X2), insurance (R-R2),
//                               certificates (R-R3), risk (R-K1, R-K5)
// Each screen's render(view, context) fills the view and may return a function that
// stops its timers when the route changes.

import { applyTranslations, mountLanguageSwitch, registerStrings } from "../shared/i18n.js";
import { showError } from "../shared/api.js";
import { h } from "../shared/dom.js";
import { channelNamed } from "./channel.js";
import * as channelsScreen from "./screens/channels.js";
import * as channelHome from "./screens/channel_home.js";
import * as apply from "./screens/apply.js";
import * as ecardHome from "./screens/ecard_home.js";
import * as qr from "./screens/qr.js";
import * as cardFace from "./screens/card_face.js";
import * as account from "./screens/account.js";
import * as contribute from "./screens/contribute.js";
import * as notifications from "./screens/notifications.js";
import * as password from "./screens/password.js";
import * as loss from "./screens/loss.js";
import * as upgrade from "./screens/upgrade.js";
import * as unlink from "./screens/unlink.js";
import * as where from "./screens/where.js";
import * as family from "./screens/family.js";
import * as guardians from "./screens/guardians.js";
import * as filings from "./screens/filings.js";
import * as insurance from "./screens/insurance.js";
import * as certificates from "./screens/certificates.js";
import * as risk from "./screens/risk.js";

registerStrings({
  zh: { "app.title": "电子社保卡", "app.unknown_channel": "没有这个渠道" },
  en: { "app.title": "e-SSC", "app.unknown_channel": "No such channel" },
});

const kActions = {
  qr: qr.render,
  face: cardFace.render,
  account: account.render,
  contribute: contribute.render,
  notifications: notifications.render,
  password: password.renderChange,
  reset: password.renderReset,
  loss: loss.renderReport,
  "cancel-loss": loss.renderCancel,
  upgrade: upgrade.render,
  unlink: unlink.render,
  where: where.render,
  family: family.render,
  guardians: guardians.render,
  filings: filings.render,
  insurance: insurance.render,
  certificates: certificates.render,
  risk: risk.render,
};

const view = document.getElementById("view");
const back = document.getElementById("back");
const brand = document.getElementById("brand");
let cleanup = null;

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function parse(hash) {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== "c" || parts.length < 2) return { screen: "channels" };
  const [, channel, section, bindingId, action] = parts;
  if (!section) return { screen: "channel", channel };
  if (section === "apply") return { screen: "apply", channel };
  if (section === "e" && bindingId && !action) return { screen: "ecard", channel, bindingId };
  if (section === "e" && bindingId && action in kActions) return { screen: action, channel, bindingId };
  return { screen: "channel", channel };
}

function upFrom(r) {
  if (r.screen === "channels") return null;
  if (r.screen === "channel") return "#/";
  const channelHash = `#/c/${encodeURIComponent(r.channel)}`;
  if (r.screen === "apply" || r.screen === "ecard") return channelHash;
  return `${channelHash}/e/${encodeURIComponent(r.bindingId)}`;
}

function setBrand(channel) {
  const label = channel ? h("span", { text: channel.name }) : h("span", { i18n: "app.title" });
  brand.replaceChildren(label);
  brand.href = channel ? `#/c/${encodeURIComponent(channel.key)}` : "#/";
}

let generation = 0;

// Each route renders into its own element: when the hash changes again before a screen
// has loaded, the older screen finishes into an element no longer on the page.
async function route() {
  cleanup?.();
  cleanup = null;
  const mine = ++generation;
  const r = parse(location.hash);
  const up = upFrom(r);
  back.hidden = !up;
  if (up) back.href = up;
  const screen = h("div", { class: "stack" },
    h("div", { class: "progress progress--indeterminate", role: "progressbar" }, h("div", { class: "progress-bar" })));
  view.replaceChildren(screen);
  window.scrollTo(0, 0);
  let stop = null;
  try {
    if (r.screen === "channels") {
      setBrand(null);
      stop = await channelsScreen.render(screen, { navigate });
      return;
    }
    const channel = await channelNamed(r.channel);
    if (mine !== generation) return;
    setBrand(channel);
    if (!channel) {
      screen.replaceChildren(h("h1", { i18n: "app.title" }), h("p", { class: "alert alert--error", i18n: "app.unknown_channel" }));
      return;
    }
    const context = { channel, bindingId: r.bindingId, navigate };
    const screens = { channel: channelHome.render, apply: apply.render, ecard: ecardHome.render, ...kActions };
    stop = await screens[r.screen](screen, context);
  } catch (err) {
    const box = h("div", { testid: "screen-error" });
    screen.replaceChildren(h("h1", { i18n: "app.title" }), box);
    showError(box, err);
  } finally {
    if (mine === generation) cleanup = stop;
    else stop?.();
    applyTranslations(screen);
  }
}

mountLanguageSwitch(document.getElementById("lang"));
applyTranslations();
window.addEventListener("hashchange", route);
route();
