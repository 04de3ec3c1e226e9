#include "store/audit_log.hpp"

#include "common/json_string.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace essc::store {
namespace {

constexpr char kInsert[] =
    "INSERT INTO audit_entries (at_ms, actor, action, target, outcome, salt, person_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kList[] =
    "SELECT seq, at_ms, actor, action, target, outcome, salt, chain_hash FROM audit_entries "
    "WHERE seq IS NOT NULL AND at_ms >= ? AND at_ms < ? AND seq > ? ORDER BY seq LIMIT ?";
constexpr char kAt[] =
    "SELECT seq, at_ms, actor, action, target, outcome, salt, chain_hash FROM audit_entries "
    "WHERE seq = ?";
constexpr char kAll[] =
    "SELECT seq, at_ms, actor, action, target, outcome, salt, chain_hash FROM audit_entries "
    "WHERE seq IS NOT NULL ORDER BY seq";
constexpr char kPersonAt[] = "SELECT person_id FROM audit_entries WHERE seq = ?";

AuditEntry entry_of(const Statement& s) {
  return {s.int64(0), s.int64(1), s.text(2), s.text(3),
          s.text(4),  s.text(5),  s.blob(6), s.is_null(7) ? std::string() : s.blob(7)};
}

}  // namespace

std::string audit_entry_bytes(const AuditEntry& e) {
  // Keys in byte order; the salt and the chain hash as base64.
  std::string out = "{\"action\":";
  append_json_string(out, e.action);
  out += ",\"actor\":";
  append_json_string(out, e.actor);
  out += ",\"at\":" + std::to_string(e.at_ms);
  if (!e.chain_hash.empty()) out += ",\"chain_hash\":\"" + crypto::to_base64(e.chain_hash) + "\"";
  out += ",\"outcome\":";
  append_json_string(out, e.outcome);
  out += ",\"salt\":\"" + crypto::to_base64(e.salt) + "\"";
  out += ",\"target\":";
  append_json_string(out, e.target);
  out += '}';
  return out;
}

void append_audit(Connection& c, std::int64_t at_ms, std::string_view actor,
                  std::string_view action, std::string_view target, std::string_view outcome,
                  std::optional<std::int64_t> person_id) {
  auto& insert = c.prepare(kInsert);
  insert.bind_all(at_ms, actor, action, target, outcome);
  insert.bind_blob(6, crypto::random_bytes(kAuditSaltBytes));
  if (person_id) {
    insert.bind(7, *person_id);
  } else {
    insert.bind(7, Null{});
  }
  insert.run();
}

std::vector<AuditEntry> list_audit(Connection& c, std::int64_t from_ms, std::int64_t to_ms,
                                   std::int64_t after_seq, std::int64_t limit) {
  std::vector<AuditEntry> entries;
  auto& s = c.prepare(kList);
  s.bind_all(from_ms, to_ms, after_seq, limit);
  while (s.step()) entries.push_back(entry_of(s));
  return entries;
}

std::optional<AuditEntry> audit_entry_at(Connection& c, std::int64_t seq) {
  return c.prepare(kAt).bind_all(seq).first(entry_of);
}

std::optional<std::int64_t> audit_person_at(Connection& c, std::int64_t seq) {
  auto person = c.prepare(kPersonAt).bind_all(seq).first(
      [](const Statement& s) { return s.is_null(0) ? std::optional<std::int64_t>() : s.int64(0); });
  return person ? *person : std::nullopt;
}

void for_each_audit_entry(Connection& c, const std::function<void(const AuditEntry&)>& f) {
  auto& s = c.prepare(kAll);
  while (s.step()) f(entry_of(s));
  s.reset();
}

}  // namespace essc::store
