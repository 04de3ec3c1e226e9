// Learns that a payment code shown on this phone was used: while the code is shown the
// cardholder's inbox is read every few seconds, and the first `settlement.paid` entry that
// was not there when the code appeared is the payment (the till settles with the code the
// phone shows; the platform puts each settlement in the inbox, R-L6). Entries are told
// apart by their ids, not by times, so a phone whose clock is off still sees it.

import { channelCall } from "../channel.js";

const kPollMs = 2000;  // the FAQ's "a moment after the till": fast enough, light on the server
const kPageSize = 10;

// Starts watching `bindingId`'s inbox while `active()` holds; `onPaid(entry)` is called
// once with the new settlement entry (its `detail` names the amount and the
// institution). Returns stop().
export function watchForPayment(channel, bindingId, active, onPaid) {
  let stopped = false;
  let timer = null;
  let known = null;  // the ids present when watching began
  const path = `ecards/${encodeURIComponent(bindingId)}/notifications?limit=${kPageSize}`;

  const poll = async () => {
    if (stopped || !active()) return;
    try {
      const { items } = await channelCall(channel, "GET", path);
      if (stopped || !active()) return;
      if (known === null) {
        known = new Set(items.map((n) => n.notification_id));
      } else {
        const paid = items.find((n) => n.type === "settlement.paid" && !known.has(n.notification_id));
        if (paid) {
          stopped = true;
          onPaid(paid);
          return;
        }
      }
    } catch {
      // A missed look is taken again at the next tick; the code itself says if it failed.
    }
    if (!stopped) timer = setTimeout(poll, kPollMs);
  };
  poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
