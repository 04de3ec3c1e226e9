// 已存证 on a record (R-S8): a record that is an audited change carries its index in the
// platform's audit log (`audit_index`); the app fetches the record's inclusion proof and
// the signed checkpoint, and checks both itself (web/shared/transparency.js) with the
// platform's published key, fetched once per page load. The mark then says 已存证 with the
// size of the log it was proven in and when this phone checked it, or 校验失败 with why.
// A record not yet sequenced into the log (audit_index null) reads 存证中.
//
// The proof is asked with the e-card session (API.md: records/proof is *(session)*); with
// none open, the marks wait and the screen offers 核验存证, which asks for the password.
// Checks run one at a time, when the records are shown; a result is kept for the page's
// life, except a proof that could not be fetched, which is tried again next time.
//
// Test hooks: record-audit (data-state: pending | locked | checking | verified | failed |
// unavailable; data-index, data-size once verified, data-reason once failed),
// record-audit-detail, audit-unlock.

import { registerStrings, t } from "../../shared/i18n.js";
import { ApiError } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { formatDateTime } from "../../shared/ui.js";
import { kReasons, parseVerifierKey, Refusal, verifyRecordProof } from "../../shared/transparency.js";
import { channelCall, dropSession, sessionOf } from "../channel.js";
import { withSession } from "./session.js";

registerStrings({
  zh: {
    "audit.pending": "存证中",
    "audit.locked": "待核验存证",
    "audit.checking": "核验存证中…",
    "audit.verified": "已存证",
    "audit.verified_detail": "日志序号 {index}，日志共 {size} 条 · 本机 {time} 核验",
    "audit.failed": "校验失败",
    "audit.failed_detail": "此记录与平台签名的审计日志对不上（{reason}），请拨打 12333 反映",
    "audit.unavailable": "暂时无法核验存证，稍后再试",
    "audit.unlock": "核验存证",
    "audit.unlock_hint": "输入电子社保卡密码后，本机将核验这些记录已写入平台审计日志。",
    "audit.reason.bad_key": "平台公钥无效",
    "audit.reason.bad_checkpoint": "日志检查点格式错误",
    "audit.reason.wrong_origin": "检查点不属于本平台的日志",
    "audit.reason.no_signature": "检查点没有平台的签名",
    "audit.reason.bad_signature": "检查点签名无效",
    "audit.reason.bad_answer": "证明格式错误",
    "audit.reason.wrong_index": "证明不是这条记录的",
    "audit.reason.size_mismatch": "证明与检查点的日志大小不一致",
    "audit.reason.index_out_of_range": "记录不在检查点所签的日志内",
    "audit.reason.leaf_hash_mismatch": "日志条目与其哈希不符",
    "audit.reason.bad_proof": "包含证明的长度不对",
    "audit.reason.root_mismatch": "包含证明与签名的根哈希不符",
    "audit.reason.not_found": "平台没有给出这条记录的证明",
  },
  en: {
    "audit.pending": "Being logged",
    "audit.locked": "Log check pending",
    "audit.checking": "Checking the log…",
    "audit.verified": "In the audit log",
    "audit.verified_detail": "Log entry {index} of {size} · checked on this phone {time}",
    "audit.failed": "Check failed",
    "audit.failed_detail": "This record does not match the platform's signed audit log ({reason}); call 12333 to report it",
    "audit.unavailable": "The log cannot be checked now; try later",
    "audit.unlock": "Check the audit log",
    "audit.unlock_hint": "With your e-card password, this phone checks that these records are in the platform's audit log.",
    "audit.reason.bad_key": "the platform's key is invalid",
    "audit.reason.bad_checkpoint": "the log checkpoint is malformed",
    "audit.reason.wrong_origin": "the checkpoint is another log's",
    "audit.reason.no_signature": "the checkpoint is not signed by the platform",
    "audit.reason.bad_signature": "the checkpoint's signature is invalid",
    "audit.reason.bad_answer": "the proof is malformed",
    "audit.reason.wrong_index": "the proof is another record's",
    "audit.reason.size_mismatch": "the proof and the checkpoint differ in log size",
    "audit.reason.index_out_of_range": "the record is outside the signed log",
    "audit.reason.leaf_hash_mismatch": "the log entry does not match its hash",
    "audit.reason.bad_proof": "the inclusion proof has the wrong length",
    "audit.reason.root_mismatch": "the inclusion proof does not lead to the signed root",
    "audit.reason.not_found": "the platform gave no proof for this record",
  },
});

// GET /v1/audit/key is public; asked once per page load, again only after a failure to
// fetch it or to run WebCrypto. A key that does not parse is kept: every check then
// fails with bad_key.
let keyPromise = null;

async function fetchKey() {
  const response = await fetch("/v1/audit/key", { headers: { Accept: "application/json" }, cache: "no-store" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const key = await response.json();
  try {
    return { origin: key.origin ?? null, verifier: await parseVerifierKey(key.vkey) };
  } catch (err) {
    if (err instanceof Refusal) return { origin: null, refusal: err };
    throw err;
  }
}

function auditKey() {
  keyPromise ??= fetchKey();
  keyPromise.catch(() => {
    keyPromise = null;
  });
  return keyPromise;
}

// "<binding>#<index>" → a promise of the check's result and when it ran ({...result,
// checkedAt}), kept for the page's life.
const results = new Map();

// Resolves to verifyRecordProof's result; rejects when the key or the proof could not be
// fetched (the network, the session), which is no verdict on the record.
async function check(channel, bindingId, index, token) {
  const key = await auditKey();
  if (key.refusal) return { ok: false, reason: key.refusal.reason, index };
  let answer;
  try {
    answer = await channelCall(channel, "GET", `ecards/${encodeURIComponent(bindingId)}/records/proof?index=${index}`, { session: token });
  } catch (err) {
    // The record said it is in the log; a platform that then has no proof of it fails the check.
    if (err instanceof ApiError && err.code === "NOT_FOUND") return { ok: false, reason: "not_found", index };
    throw err;
  }
  return verifyRecordProof(answer, key.verifier, { expectedIndex: index, origin: key.origin });
}

function cachedCheck(channel, bindingId, index, token) {
  const id = `${bindingId}#${index}`;
  if (!results.has(id)) {
    const pending = check(channel, bindingId, index, token).then((result) => ({ ...result, checkedAt: new Date().toISOString() }));
    results.set(id, pending);
    pending.catch(() => results.delete(id));
  }
  return results.get(id);
}

function show(mark, state, badgeKey, detail = null) {
  mark.dataset.state = state;
  const badge = h("span", { class: { verified: "badge badge--ok", failed: "badge badge--error" }[state] ?? "badge", i18n: badgeKey });
  mark.replaceChildren(...[badge, detail].filter(Boolean));
}

// Fills `el` with what `render()` gives, again at each language switch while it is shown.
function following(el, render) {
  const fill = () => el.replaceChildren(render());
  fill();
  window.addEventListener("languagechange", function follow() {
    if (el.isConnected) fill();
    else window.removeEventListener("languagechange", follow);
  });
  return el;
}

function showResult(mark, result) {
  if (result.ok) {
    mark.dataset.size = String(result.size);
    show(mark, "verified", "audit.verified", following(h("span", { class: "muted small", testid: "record-audit-detail" }),
      () => t("audit.verified_detail", { index: result.index, size: result.size, time: formatDateTime(result.checkedAt) })));
    return;
  }
  const reason = kReasons.includes(result.reason) || result.reason === "not_found" ? result.reason : "bad_answer";
  mark.dataset.reason = reason;
  show(mark, "failed", "audit.failed", following(h("span", { class: "audit-warning small", role: "alert", testid: "record-audit-detail" }),
    () => t("audit.failed_detail", { reason: t(`audit.reason.${reason}`) })));
}

// The marks of one record list and the checks behind them. `unlockHolder` is where the
// password is asked when no e-card session is open.
export function auditChecker(channel, bindingId, unlockHolder) {
  const waiting = [];  // {mark, index} not yet checked
  let running = false;

  const offerUnlock = () => {
    if (unlockHolder.childElementCount) return;
    const button = h("button", { type: "button", class: "btn btn-secondary btn-block", testid: "audit-unlock", i18n: "audit.unlock" });
    button.addEventListener("click", () => {
      withSession(channel, bindingId, unlockHolder, async () => {
        unlockHolder.replaceChildren();
        await checkAll();
      });
    });
    unlockHolder.replaceChildren(h("p", { class: "muted small", i18n: "audit.unlock_hint" }), button);
  };

  async function checkAll() {
    if (running) return;
    running = true;
    try {
      while (waiting.length) {
        const token = sessionOf(bindingId);
        if (!token) {
          for (const { mark } of waiting) show(mark, "locked", "audit.locked");
          offerUnlock();
          return;
        }
        const { mark, index } = waiting[0];
        if (!mark.isConnected) {
          waiting.shift();
          continue;
        }
        show(mark, "checking", "audit.checking");
        try {
          const result = await cachedCheck(channel, bindingId, index, token);
          waiting.shift();
          showResult(mark, result);
        } catch (err) {
          if (err instanceof ApiError && err.code === "SESSION_INVALID") {
            dropSession(bindingId);
            continue;  // asks for the password, as every other session screen does
          }
          waiting.shift();
          show(mark, "unavailable", "audit.unavailable");
        }
      }
    } finally {
      running = false;
    }
  }

  // The mark of `record`, or null for a record that is not an audited change.
  function mark(record) {
    if (!("audit_index" in record)) return null;
    const el = h("div", { class: "record-audit", testid: "record-audit" });
    if (!Number.isSafeInteger(record.audit_index) || record.audit_index < 0) {
      show(el, "pending", "audit.pending");
      return el;
    }
    el.dataset.index = String(record.audit_index);
    show(el, "locked", "audit.locked");
    waiting.push({ mark: el, index: record.audit_index });
    return el;
  }

  return { mark, checkAll };
}
