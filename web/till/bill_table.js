// The bill table: one row of inputs per item, the amount of each row and the category
// subtotals as the cashier types (integer fen, bill.js), and the rows' problems marked
// in place when a settlement is attempted.

import { yuan } from "../shared/api.js";
import { h } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { emptyRow, kCategories, rowAmount, subtotals, limits } from "./bill.js";

// A few catalogue items so a demo bill takes seconds; any item can be typed instead.
const kPresets = [
  { code: "XA01", name: "阿莫西林胶囊 0.25g×24粒", category: "A", price: "18.50" },
  { code: "XB02", name: "布洛芬缓释胶囊 0.3g×20粒", category: "B", price: "26.80" },
  { code: "XC03", name: "维生素C泡腾片 1g×10片", category: "C", price: "39.00" },
  // Sold by the tablet: the demo's Ningbo policy caps it at 60 a month (R-K4).
  { code: "YP-ATV-20", name: "阿托伐他汀钙片 20mg（每片）", category: "A", price: "1.00" },
  { code: "FA11", name: "普通门诊诊查费", category: "A", price: "20.00" },
  { code: "FB12", name: "血常规检查", category: "B", price: "35.00" },
  { code: "FB13", name: "胸部X线摄影", category: "B", price: "500.00" },
];

const el = (id) => document.getElementById(id);

let rows = [emptyRow()];

function updateTotals() {
  const sums = subtotals(rows);
  for (const category of kCategories) el(`bill-subtotal-${category}`).textContent = yuan(sums[category]);
  el("bill-total").textContent = yuan(sums.total);
}

function input(row, index, field, props) {
  const control = h(props.tag ?? "input", {
    ...props.attributes,
    "aria-label": t(props.label),
    "data-i18n-aria-label": props.label,
    // The column headings disappear on a phone; the placeholders name the fields there.
    placeholder: props.tag ? undefined : t(props.placeholder ?? props.label),
    "data-i18n-placeholder": props.tag ? undefined : props.placeholder ?? props.label,
    testid: `till-item-${field}-${index}`,
    dataset: { field },
  }, props.options ?? null);
  control.value = row[field];
  control.addEventListener("input", () => {
    row[field] = control.value;
    control.removeAttribute("aria-invalid");
    control.removeAttribute("title");
    const amount = rowAmount(row);
    el(`bill-amount-${index}`).textContent = amount === null ? "—" : yuan(amount);
    updateTotals();
  });
  return control;
}

function rowElement(row, index) {
  const amount = rowAmount(row);
  const categories = kCategories.map((category) => h("option", { value: category, i18n: `till.bill.category.${category}` }));
  return h("tr", { testid: `till-item-${index}` },
    h("td", {}, input(row, index, "code", { label: "till.bill.col.code", attributes: { class: "mono till-code", maxlength: 32 } })),
    h("td", {}, input(row, index, "name", { label: "till.bill.col.name", attributes: { maxlength: 64 } })),
    h("td", {}, input(row, index, "category", { tag: "select", label: "till.bill.col.category", options: categories })),
    h("td", {}, input(row, index, "quantity", {
      label: "till.bill.col.quantity", attributes: { class: "num till-quantity", inputmode: "numeric", maxlength: 5 },
    })),
    h("td", {}, input(row, index, "price", {
      label: "till.bill.col.price", placeholder: "till.bill.price_placeholder", attributes: { class: "num till-price", inputmode: "decimal", maxlength: 16 },
    })),
    h("td", { class: "num money", id: `bill-amount-${index}`, testid: `till-item-amount-${index}` }, amount === null ? "—" : yuan(amount)),
    h("td", {}, h("button", {
      type: "button", class: "btn btn-link", i18n: "till.bill.remove", testid: `till-item-remove-${index}`,
      on: { click: () => { rows.splice(index, 1); render(); } },
    })));
}

function render() {
  el("bill-rows").replaceChildren(...rows.map(rowElement));
  updateTotals();
}

/** Marks the rows' problems ({index, field, key} from billItems) next to their inputs. */
export function markErrors(errors) {
  for (const { index, field, key } of errors) {
    const control = el("bill-rows").querySelector(`[data-testid="till-item-${field}-${index}"]`);
    if (!control) continue;
    control.setAttribute("aria-invalid", "true");
    control.title = t(key, { max: limits.quantityMax });
  }
}

export function billRows() {
  return rows;
}

export function resetBill() {
  rows = [emptyRow()];
  render();
}

/** Makes the bill read-only while a settlement is on its way, and editable again after. */
export function lockBill(locked) {
  for (const control of document.querySelectorAll("#bill-table input, #bill-table select, #bill-table button, #bill-add, #bill-preset")) {
    control.disabled = locked;
  }
}

function addRow(row) {
  // A preset replaces the first row while it is still untouched.
  const blank = rows.length === 1 && !rows[0].code && !rows[0].name && !rows[0].price;
  if (blank && row.code) rows = [row];
  else rows.push(row);
  render();
}

export function mountBillTable() {
  el("bill-add").addEventListener("click", () => addRow(emptyRow()));
  const preset = el("bill-preset");
  const fillPresets = () => {
    preset.replaceChildren(h("option", { value: "", i18n: "till.bill.preset" }),
      ...kPresets.map((p, i) => h("option", { value: String(i) },
        `${p.code} ${p.name} · ${t(`till.bill.category.${p.category}`)} · ¥${p.price}`)));
  };
  fillPresets();
  preset.addEventListener("change", () => {
    const chosen = kPresets[Number(preset.value)];
    preset.value = "";
    if (chosen) addRow({ code: chosen.code, name: chosen.name, category: chosen.category, quantity: "1", price: chosen.price });
  });
  window.addEventListener("languagechange", () => {
    fillPresets();
    render();
  });
  render();
}
