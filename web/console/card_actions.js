// Which counter actions an operator may take on a card: the card's state decides the
// life-cycle actions (R-C1), the operator's role decides who may ask (API.md "Persons
// and physical cards"), and the financial function belongs to the issuing bank's
// tellers (R-C3). The state machine and the roles are the platform's own tables
// (GET /v1/rules, read from its domain code and its routes), given here by useRules;
// until they are, nothing is offered. The console shows only these; the platform still
// decides, and its refusal is shown as it is.

let tables = null;

/** Takes the answer of GET /v1/rules. */
export function useRules(rules) {
  const next = new Map();
  for (const { from, action } of rules.card.transitions) {
    if (!next.has(from)) next.set(from, new Set());
    next.get(from).add(action);
  }
  const bindings = new Map(rules.card.states.map((s) => [s.status, s.binding_status]));
  const terminal = new Set(rules.card.states.filter((s) => s.terminal).map((s) => s.status));
  tables = { next, bindings, terminal, roles: rules.operator_roles };
}

const allows = (card, action) => tables?.next.get(card.status)?.has(action) === true;

/**
 * Every action the console offers, in the order its buttons appear. `needs` names the
 * form the action asks for; `confirm` marks the ones to check before they run. The
 * financial function is no state of R-C1: it needs a card in use (not terminal) whose
 * function is off, or on for a phone change.
 */
export const kCardActions = [
  { id: "collect", when: (card) => allows(card, "collect") },
  { id: "activate", when: (card) => allows(card, "activate"), needs: "hr_pin" },
  {
    id: "financial-activate", needs: "financial",
    when: (card) => card.status === "active" && !card.financial_active,
  },
  {
    id: "reserved-phone", needs: "reserved_phone",
    when: (card) => card.financial_active === true && tables !== null && !tables.terminal.has(card.status),
  },
  { id: "report-loss", when: (card) => allows(card, "report-loss"), confirm: true },
  { id: "cancel-loss", when: (card) => allows(card, "cancel-loss"), confirm: true },
  { id: "lock", when: (card) => allows(card, "lock"), confirm: true },
  { id: "unlock", when: (card) => allows(card, "unlock") },
  { id: "replace", when: (card) => allows(card, "replace"), confirm: true },
  { id: "cancel", when: (card) => allows(card, "cancel"), confirm: true, danger: true },
];

function may(what, role) {
  return (tables?.roles[what] ?? []).includes(role);
}

/**
 * The actions an operator ({role, bank_code?}) may take on `card` ({status,
 * financial_active, bank_code}) now. A teller serves only the own bank's cards (R-C3).
 */
export function allowedActions(card, operator) {
  const role = operator?.role;
  const ownBank = role !== "bank_teller" || operator.bank_code === card.bank_code;
  return kCardActions.filter((action) => may(action.id, role) && ownBank && action.when(card));
}

/** The request an action makes: {method, path}. */
export function actionRequest(cardNo, actionId) {
  const card = `/v1/cards/${encodeURIComponent(cardNo)}`;
  if (actionId === "financial-activate") return { method: "POST", path: `${card}/financial/activate` };
  if (actionId === "reserved-phone") return { method: "PUT", path: `${card}/financial/reserved-phone` };
  return { method: "POST", path: `${card}/${actionId}` };
}

/** Registering people is counter work. */
export function mayRegister(role) {
  return may("register-person", role);
}

/** A new card can be issued when the person has none that is still in use (R-C1). */
export function mayIssueCard(person, role) {
  return may("issue-card", role) && (!person.card || tables.terminal.has(person.card.status));
}

/** The audit log is for administrators and auditors (R-S6). */
export function mayReadAudit(role) {
  return may("read-audit", role);
}

/** Looking people up is counter work; auditors see cases, not the desk. */
export function mayLookUp(role) {
  return may("lookup-person", role);
}

/** Risk cases are for the fund's auditors and administrators (R-K6). */
export function mayReadRiskCases(role) {
  return may("read-risk-cases", role);
}

/** E-card bindings follow the card (R-E1, R-L1…R-L4): the state they are in for a card state. */
export function bindingStateFor(cardStatus) {
  return tables?.bindings.get(cardStatus) ?? "suspended";
}
