#include "store/audit_log.hpp"

#include "crypto/hash.hpp"

namespace essc::store {
namespace {

constexpr char kLastHash[] = "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1";
constexpr char kInsert[] =
    "INSERT INTO audit_log (at_ms, actor, action, target, outcome, prev_hash, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kList[] =
    "SELECT seq, at_ms, actor, action, target, outcome, hash FROM audit_log "
    "WHERE at_ms >= ? AND at_ms < ? AND seq > ? ORDER BY seq LIMIT ?";
constexpr char kAll[] =
    "SELECT seq, at_ms, actor, action, target, outcome, prev_hash, hash FROM audit_log ORDER BY "
    "seq";

constexpr char kHead[] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
constexpr char kHashAt[] = "SELECT hash FROM audit_log WHERE seq = ?";

const std::string kGenesisHash(32, '\0');

// Length-prefixed fields, so no choice of field values can collide with another.
std::string canonical(std::int64_t at_ms, std::string_view actor, std::string_view action,
                      std::string_view target, std::string_view outcome) {
  std::string out = std::to_string(at_ms);
  for (std::string_view field : {actor, action, target, outcome}) {
    out += '\n';
    out += std::to_string(field.size());
    out += ':';
    out += field;
  }
  return out;
}

std::string chain_hash(std::string_view prev_hash, std::string_view canonical_entry) {
  std::string input(prev_hash);
  input += canonical_entry;
  return crypto::sha256(input);
}

}  // namespace

void append_audit(Connection& c, std::int64_t at_ms, std::string_view actor,
                  std::string_view action, std::string_view target, std::string_view outcome) {
  auto& last = c.prepare(kLastHash);
  std::string prev = last.step() ? last.blob(0) : kGenesisHash;
  last.reset();
  const std::string hash = chain_hash(prev, canonical(at_ms, actor, action, target, outcome));
  auto& insert = c.prepare(kInsert);
  insert.bind_all(at_ms, actor, action, target, outcome);
  insert.bind_blob(6, prev).bind_blob(7, hash).run();
}

std::vector<AuditEntry> list_audit(Connection& c, std::int64_t from_ms, std::int64_t to_ms,
                                   std::int64_t after_seq, std::int64_t limit) {
  std::vector<AuditEntry> entries;
  auto& s = c.prepare(kList);
  s.bind_all(from_ms, to_ms, after_seq, limit);
  while (s.step()) {
    entries.push_back(
        {s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5), s.blob(6)});
  }
  return entries;
}

AuditVerification verify_audit(Connection& c) {
  AuditVerification result;
  std::string expected_prev = kGenesisHash;
  auto& s = c.prepare(kAll);
  while (s.step()) {
    ++result.entries;
    const std::string prev = s.blob(6);
    const std::string hash = s.blob(7);
    const std::string recomputed =
        chain_hash(prev, canonical(s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5)));
    if (result.ok && (prev != expected_prev || hash != recomputed)) {
      result.ok = false;
      result.first_bad_seq = s.int64(0);
    }
    expected_prev = hash;
  }
  return result;
}

std::optional<std::pair<std::int64_t, std::string>> audit_head(Connection& c) {
  return c.prepare(kHead).first([](const Statement& s) {
    return std::pair{s.int64(0), s.blob(1)};
  });
}

std::optional<std::string> audit_hash_at(Connection& c, std::int64_t seq) {
  return c.prepare(kHashAt).bind_all(seq).first([](const Statement& s) { return s.blob(0); });
}

}  // namespace essc::store
