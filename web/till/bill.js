// The itemised bill at the till, in integer fen throughout (POLICY.md): rows as the
// cashier typed them, checked and turned into the `items` of POST /v1/settlements, with
// the subtotal of each category (A 甲类, B 乙类, C 丙类) and the total.

import { parseYuan } from "../shared/api.js";
import { chinaDateTime, chinaDay } from "../shared/china_time.js";

export const kCategories = ["A", "B", "C"];
// The platform's bounds (src/common/limits.hpp, served by GET /v1/rules): checked
// here too so a typing slip is pointed at before the code is spent. Until they arrive
// only the platform checks them.
export const limits = { quantityMax: Infinity, itemsMax: Infinity, unitPriceFenMax: Infinity };

/** Takes the `bill` part of GET /v1/rules. */
export function useBillRules(bill) {
  limits.quantityMax = bill.quantity_max;
  limits.itemsMax = bill.items_max;
  limits.unitPriceFenMax = bill.unit_price_fen_max;
}

/** An empty row as the bill table holds it: every field is the text typed. */
export function emptyRow() {
  return { code: "", name: "", category: "A", quantity: "1", price: "" };
}

/**
 * Checks one row; {item} with integer quantity and unit_price_fen, or {errors} mapping a
 * field name to a string key saying what is wrong.
 */
export function checkRow(row) {
  const errors = {};
  const code = row.code.trim();
  const name = row.name.trim();
  if (!code) errors.code = "till.bill.error.code";
  if (!name) errors.name = "till.bill.error.name";
  if (!kCategories.includes(row.category)) errors.category = "till.bill.error.category";
  const quantityText = String(row.quantity).trim();
  const quantity = /^[0-9]{1,5}$/.test(quantityText) ? Number.parseInt(quantityText, 10) : NaN;
  if (!(quantity >= 1 && quantity <= limits.quantityMax)) errors.quantity = "till.bill.error.quantity";
  const price = parseYuan(row.price);
  if (price === null || price <= 0 || price > limits.unitPriceFenMax) errors.price = "till.bill.error.price";
  if (Object.keys(errors).length) return { errors };
  return { item: { code, name, category: row.category, quantity, unit_price_fen: price } };
}

/** The amount of a row in fen, or null while it cannot be computed. */
export function rowAmount(row) {
  const { item } = checkRow(row);
  return item ? item.quantity * item.unit_price_fen : null;
}

/** {A, B, C, total} in fen over the rows that are complete. */
export function subtotals(rows) {
  const sums = { A: 0, B: 0, C: 0, total: 0 };
  for (const row of rows) {
    const { item } = checkRow(row);
    if (!item) continue;
    const amount = item.quantity * item.unit_price_fen;
    sums[item.category] += amount;
    sums.total += amount;
  }
  return sums;
}

/**
 * The bill's items for the platform, or {errors: [{index, field, key}]} when a row is
 * incomplete or there is no row.
 */
export function billItems(rows) {
  if (!rows.length) return { errors: [{ index: -1, field: "items", key: "till.bill.error.empty" }] };
  if (rows.length > limits.itemsMax) return { errors: [{ index: -1, field: "items", key: "till.bill.error.too_many" }] };
  const items = [];
  const errors = [];
  rows.forEach((row, index) => {
    const checked = checkRow(row);
    if (checked.item) items.push(checked.item);
    else for (const [field, key] of Object.entries(checked.errors)) errors.push({ index, field, key });
  });
  return errors.length ? { errors } : { items };
}

/**
 * A fresh order id: institution key, China Standard Time date and time, and random
 * characters, within the platform's alphabet [A-Za-z0-9_.:-] and 64 characters.
 */
export function newOrderId(institutionKey, now = new Date(), random = crypto.getRandomValues(new Uint8Array(4))) {
  const cst = chinaDateTime(now.getTime());
  const stamp = `${cst.slice(0, 10).replaceAll("-", "")}-${cst.slice(11, 19).replaceAll(":", "")}`;
  const suffix = Array.from(random, (byte) => byte.toString(16).padStart(2, "0")).join("").toUpperCase();
  return `${institutionKey.toUpperCase()}-${stamp}-${suffix}`;
}

/** Today's date in China Standard Time, YYYY-MM-DD (the platform's settlement day). */
export function todayInChina(now = new Date()) {
  return chinaDay(now.getTime());
}
