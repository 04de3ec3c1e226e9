// The rule tables the pages check as people type, fetched once from the platform
// (GET /v1/rules, generated from the C++ that enforces them) rather than copied by hand:
// the WEAK_PASSWORD reasons and their texts, the card state machine and who may take
// each counter action, and the bill's bounds. The platform stays the authority; a page
// that cannot load them lets the platform judge on submit.

let loading = null;

export function loadRules() {
  loading ??= fetch("/v1/rules", { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))));
  return loading;
}
