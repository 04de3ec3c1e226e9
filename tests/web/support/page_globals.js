// The little of a browser that the pages' shared modules touch when they load
// (web/shared/i18n.js sets <html lang>, web/shared/api.js listens for language changes),
// so their pure parts can be tested in node. Import it before any page module.

globalThis.window ??= new EventTarget();
globalThis.document ??= { documentElement: {} };
// WebCrypto (web/shared/transparency.js): a global from Node.js 19 on, a module before.
globalThis.crypto ??= (await import("node:crypto")).webcrypto;
