// The little of a browser that the pages' shared modules touch when they load
// (web/shared/i18n.js sets <html lang>, web/shared/api.js listens for language changes),
// so their pure parts can be tested in node. Import it before any page module.

globalThis.window ??= new EventTarget();
globalThis.document ??= { documentElement: {} };
