#include "services/backlogs.hpp"

#include <cstdio>

#include "common/prometheus_text.hpp"
#include "store/audit_checkpoints.hpp"
#include "store/notification_repository.hpp"

namespace essc::services {
namespace {

std::string seconds_since(std::int64_t now_ms, std::int64_t then_ms) {
  char number[32];
  std::snprintf(number, sizeof number, "%.3f",
                static_cast<double>(std::max<std::int64_t>(now_ms - then_ms, 0)) / 1000.0);
  return number;
}

void gauge(std::string& out, std::string_view name, std::string_view help) {
  append_metric_header(out, name, help, "gauge");
}

// A label value as the text format wants it: backslash, quote and newline escaped.
std::string label(std::string_view value) {
  std::string out;
  for (const char ch : value) {
    if (ch == '\\' || ch == '"') out += '\\';
    out += ch == '\n' ? std::string("\\n") : std::string(1, ch);
  }
  return out;
}

std::string key_name(std::string_view vkey) { return std::string(vkey.substr(0, vkey.find('+'))); }

// Messages to cardholders (SMS) have no channel.
std::string channel_label(const store::OutboxWaiting& o) {
  return label(o.client_id.empty() ? "sms" : o.client_id);
}

}  // namespace

void Backlogs::refresh(std::int64_t owed_grace_ms, const std::vector<Witness>& witnesses) {
  Reading reading;
  reading.at_ms = clock_.now_ms();
  db_.read([&](store::Connection& c) {
    reading.audit = store::pending_audit_entries(c);
    reading.outbox = store::undelivered_outbox(c);
    reading.owed = store::owed_bank_transfers_before(c, reading.at_ms - owed_grace_ms);
    const auto latest = store::latest_audit_checkpoint(c);
    const std::uint64_t size = latest ? latest->size : 0;
    for (const auto& w : witnesses) {
      const auto cosigned = store::newest_cosigned_size(c, w.vkey).value_or(0);
      reading.witnesses.push_back({key_name(w.vkey), size - std::min(size, cosigned)});
    }
  });
  std::lock_guard lock(mutex_);
  last_ = std::move(reading);
}

std::string Backlogs::render() const {
  std::lock_guard lock(mutex_);
  if (!last_) return {};
  const auto now = clock_.now_ms();
  const auto& r = *last_;
  std::string out;
  gauge(out, "essc_audit_pending_entries", "Audit entries written but not yet in the log's tree.");
  out += "essc_audit_pending_entries " + std::to_string(r.audit.count) + "\n";
  gauge(out, "essc_audit_oldest_pending_seconds",
        "Age of the oldest audit entry not yet in the log's tree (0 when none).");
  out += "essc_audit_oldest_pending_seconds " +
         (r.audit.oldest_at_ms ? seconds_since(now, *r.audit.oldest_at_ms) : "0") + "\n";
  gauge(out, "essc_audit_witness_behind_entries",
        "Entries of the newest signed checkpoint that the witness has not cosigned.");
  for (const auto& w : r.witnesses)
    out += "essc_audit_witness_behind_entries{witness=\"" + label(w.name) + "\"} " +
           std::to_string(w.entries) + "\n";
  gauge(out, "essc_outbox_undelivered", "Messages neither delivered nor given up, by channel.");
  for (const auto& o : r.outbox)
    out += "essc_outbox_undelivered{channel=\"" + channel_label(o) + "\"} " +
           std::to_string(o.waiting.count) + "\n";
  gauge(out, "essc_outbox_oldest_undelivered_seconds",
        "Age of the oldest undelivered message, by channel.");
  for (const auto& o : r.outbox)
    out += "essc_outbox_oldest_undelivered_seconds{channel=\"" + channel_label(o) + "\"} " +
           seconds_since(now, o.waiting.oldest_at_ms.value_or(now)) + "\n";
  gauge(out, "essc_bank_transfers_overdue",
        "Bank movements owed to cardholders past the grace of any request settling them.");
  out += "essc_bank_transfers_overdue " + std::to_string(r.owed.count) + "\n";
  gauge(out, "essc_backlogs_read_age_seconds", "Since the store was last read for these gauges.");
  out += "essc_backlogs_read_age_seconds " + seconds_since(now, r.at_ms) + "\n";
  return out;
}

std::vector<domain::GivenUpDelivery> Backlogs::given_up(std::int64_t limit) const {
  return db_.read([&](store::Connection& c) { return store::given_up_outbox_events(c, limit); });
}

}  // namespace essc::services
