// The sequencer side of store/audit_log.hpp: the tree's nodes, integration and the
// adoption of an earlier hash chain.
#include <utility>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "store/audit_log.hpp"

namespace essc::store {
namespace {

constexpr char kSize[] = "SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_entries";
constexpr char kNode[] = "SELECT hash FROM audit_nodes WHERE level = ? AND idx = ?";
constexpr char kNodeRun[] =
    "SELECT hash FROM audit_nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx";
constexpr char kInsertNode[] = "INSERT INTO audit_nodes (level, idx, hash) VALUES (?, ?, ?)";
constexpr char kPending[] =
    "SELECT entry_id, at_ms, actor, action, target, outcome, salt, chain_hash FROM audit_entries "
    "WHERE seq IS NULL ORDER BY entry_id LIMIT ?";
constexpr char kSequence[] = "UPDATE audit_entries SET seq = ? WHERE entry_id = ?";
// One sequencer at a time per schema's log (one city per schema, or the tests' schemas
// in one database); released when its transaction ends, so a sequencer whose server
// died hands over at the next tick of another server.
constexpr char kHoldTheLog[] = "SELECT pg_try_advisory_xact_lock(7362, hashtext(current_schema()))";

constexpr char kChain[] =
    "SELECT seq, at_ms, actor, action, target, outcome, prev_hash, hash FROM audit_log "
    "ORDER BY seq";
constexpr char kAdopt[] =
    "INSERT INTO audit_entries (at_ms, actor, action, target, outcome, salt, chain_hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kForgetChain[] = "DROP TABLE audit_log";

std::int64_t tree_size(Connection& c) {
  return *c.prepare(kSize).first([](const Statement& s) { return s.int64(0); });
}

// The chain of earlier versions: hash = SHA-256(prev_hash ‖ fields, each length-prefixed).
std::string chain_hash(std::string_view prev_hash, const AuditEntry& e) {
  std::string input(prev_hash);
  input += std::to_string(e.at_ms);
  for (std::string_view field : {e.actor, e.action, e.target, e.outcome}) {
    input += '\n';
    input += std::to_string(field.size());
    input += ':';
    input += field;
  }
  return crypto::sha256(input);
}

}  // namespace

crypto::NodeHashes audit_nodes(Connection& c) {
  return [&c](int level, std::uint64_t index) {
    auto hash = c.prepare(kNode)
                    .bind_all(static_cast<std::int64_t>(level), static_cast<std::int64_t>(index))
                    .first([](const Statement& s) { return s.blob(0); });
    if (!hash) {
      throw StoreError(
          StoreError::Kind::kOther,
          "the audit tree lacks node " + std::to_string(level) + "/" + std::to_string(index));
    }
    return std::move(*hash);
  };
}

std::vector<std::string> audit_node_run(Connection& c, int level, std::uint64_t first,
                                        std::uint64_t count) {
  std::vector<std::string> hashes;
  auto& s = c.prepare(kNodeRun);
  s.bind_all(static_cast<std::int64_t>(level), static_cast<std::int64_t>(first),
             static_cast<std::int64_t>(first + count));
  while (s.step()) hashes.push_back(s.blob(0));
  return hashes;
}

AuditTree audit_tree(Connection& c) {
  const auto size = static_cast<std::uint64_t>(tree_size(c));
  return {size, crypto::merkle_root(audit_nodes(c), size)};
}

std::optional<Integration> integrate_audit(Connection& c, std::int64_t limit) {
  if (c.dialect() == Dialect::kPostgres) {
    // Under SERIALIZABLE the scan of pending entries would put a predicate lock on every
    // writer's append, and PostgreSQL would then cancel any writer with one more
    // (possibly false, page-level) read-write conflict. The advisory lock already makes
    // sequencers one at a time, and they write no row a writer reads.
    c.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    if (c.prepare(kHoldTheLog).first([](const Statement& s) { return s.int64(0); }) != 1)
      return std::nullopt;
  }
  std::vector<std::pair<std::int64_t, AuditEntry>> pending;
  auto& s = c.prepare(kPending);
  s.bind_all(limit);
  while (s.step()) {
    pending.emplace_back(s.int64(0),
                         AuditEntry{-1, s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5),
                                    s.blob(6), s.is_null(7) ? std::string() : s.blob(7)});
  }
  const auto size = static_cast<std::uint64_t>(tree_size(c));
  crypto::MerkleBuilder tree(size, audit_nodes(c));
  Integration out;
  for (auto& [entry_id, entry] : pending) {
    c.prepare(kSequence).bind_all(static_cast<std::int64_t>(tree.size()), entry_id).run();
    for (const auto& node : tree.append(crypto::merkle_leaf_hash(audit_entry_bytes(entry)))) {
      auto& insert = c.prepare(kInsertNode);
      insert.bind_all(static_cast<std::int64_t>(node.level), static_cast<std::int64_t>(node.index));
      insert.bind_blob(3, node.hash).run();
    }
    if (!out.oldest_at_ms || entry.at_ms < *out.oldest_at_ms) out.oldest_at_ms = entry.at_ms;
  }
  out.sequenced = static_cast<std::int64_t>(pending.size());
  out.tree = {tree.size(), tree.root()};
  return out;
}

std::int64_t adopt_audit_chain(Connection& c) {
  std::vector<AuditEntry> chain;
  std::string expected_prev(crypto::kSha256Bytes, '\0');
  auto& s = c.prepare(kChain);
  while (s.step()) {
    AuditEntry e{-1, s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5), "", s.blob(7)};
    if (s.blob(6) != expected_prev || chain_hash(expected_prev, e) != e.chain_hash) {
      const auto seq = s.int64(0);
      s.reset();
      throw StoreError(StoreError::Kind::kOther,
                       "the audit chain does not verify at entry " + std::to_string(seq) +
                           "; it cannot become the first leaves of the log");
    }
    expected_prev = e.chain_hash;
    chain.push_back(std::move(e));
  }
  s.reset();
  for (auto& e : chain) {
    auto& insert = c.prepare(kAdopt);
    insert.bind_all(e.at_ms, e.actor, e.action, e.target, e.outcome);
    insert.bind_blob(6, crypto::random_bytes(kAuditSaltBytes)).bind_blob(7, e.chain_hash).run();
  }
  c.exec(kForgetChain);
  return static_cast<std::int64_t>(chain.size());
}

}  // namespace essc::store
