// Which counter actions an operator may take on a card: the card's state decides the
// life-cycle actions (R-C1), the operator's role decides who may ask (API.md "Persons
// and physical cards"), and the financial function belongs to the issuing bank's
// tellers (R-C3). The console shows only these; the platform still decides, and its
// refusal is shown as it is.

const kCounter = ["admin", "hr_clerk"];
const kAnyOperator = ["admin", "hr_clerk", "bank_teller"];
const kTeller = ["bank_teller"];

/**
 * Every action the console offers, in the order its buttons appear. `needs` names the
 * form the action asks for; `confirm` marks the ones that are hard to undo.
 */
export const kCardActions = [
  { id: "collect", roles: kCounter, when: (card) => card.status === "pending_pickup" },
  { id: "activate", roles: kAnyOperator, when: (card) => card.status === "inactive", needs: "hr_pin" },
  {
    id: "financial-activate", roles: kTeller, needs: "financial",
    when: (card) => card.status === "active" && !card.financial_active,
  },
  {
    id: "reserved-phone", roles: kTeller, needs: "reserved_phone",
    when: (card) => card.financial_active === true && !["cancelled", "replaced"].includes(card.status),
  },
  { id: "report-loss", roles: kCounter, when: (card) => ["active", "locked"].includes(card.status), confirm: true },
  { id: "cancel-loss", roles: kCounter, when: (card) => card.status === "lost" },
  { id: "lock", roles: kCounter, when: (card) => card.status === "active", confirm: true },
  { id: "unlock", roles: kCounter, when: (card) => card.status === "locked" },
  {
    id: "replace", roles: kCounter, confirm: true,
    when: (card) => ["inactive", "active", "lost", "locked"].includes(card.status),
  },
  {
    id: "cancel", roles: kCounter, confirm: true, danger: true,
    when: (card) => ["pending_pickup", "inactive", "active", "lost", "locked"].includes(card.status),
  },
];

/**
 * The actions an operator ({role, bank_code?}) may take on `card` ({status,
 * financial_active, bank_code}) now. A teller serves only the own bank's cards (R-C3).
 */
export function allowedActions(card, operator) {
  const role = operator?.role;
  const ownBank = role !== "bank_teller" || operator.bank_code === card.bank_code;
  return kCardActions.filter((action) => action.roles.includes(role) && ownBank && action.when(card));
}

/** The request an action makes: {method, path}. */
export function actionRequest(cardNo, actionId) {
  const card = `/v1/cards/${encodeURIComponent(cardNo)}`;
  if (actionId === "financial-activate") return { method: "POST", path: `${card}/financial/activate` };
  if (actionId === "reserved-phone") return { method: "PUT", path: `${card}/financial/reserved-phone` };
  return { method: "POST", path: `${card}/${actionId}` };
}

/** Registering people and issuing cards are counter work. */
export function mayRegister(role) {
  return kCounter.includes(role);
}

/** A new card can be issued when the person has none that is still in use (R-C1). */
export function mayIssueCard(person, role) {
  return mayRegister(role) && (!person.card || ["cancelled", "replaced"].includes(person.card.status));
}

/** The audit log is for administrators (R-S6). */
export function mayReadAudit(role) {
  return role === "admin";
}

/** E-card bindings follow the card (R-L1…R-L4): the state they are in for a card state. */
export function bindingStateFor(cardStatus) {
  if (cardStatus === "active") return "usable";
  if (cardStatus === "lost" || cardStatus === "locked") return "suspended";
  return "unlinked";
}
