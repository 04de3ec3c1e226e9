// China Standard Time (UTC+8, no daylight saving time): the platform's clock for days
// (settlement days, filings, statistics) and for the stamps in order ids. One place for
// the offset, so that every page counts days as the server does.

/** UTC+8 in milliseconds, and as an RFC 3339 offset. */
export const kChinaOffsetMs = 8 * 3600 * 1000;
export const kChinaZone = "+08:00";

/** The China Standard Time wall clock of `ms` as "YYYY-MM-DDTHH:MM:SS.sss" (no zone). */
export function chinaDateTime(ms = Date.now()) {
  return new Date(ms + kChinaOffsetMs).toISOString().slice(0, 23);
}

/** The China Standard Time day of `ms`, YYYY-MM-DD. */
export function chinaDay(ms = Date.now()) {
  return chinaDateTime(ms).slice(0, 10);
}
