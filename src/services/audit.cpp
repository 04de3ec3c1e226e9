#include "services/audit.hpp"

#include <algorithm>
#include <map>

#include "crypto/merkle.hpp"
#include "crypto/signed_note.hpp"
#include "store/audit_checkpoints.hpp"

namespace essc::services {
namespace {

// c2sp.org/tlog-tiles: a tile is 256 hashes of tree level 8·L.
constexpr int kTileHeight = 8;
constexpr std::uint64_t kTileWidth = 256;

std::string with_cosignatures(store::Connection& c, const store::StoredCheckpoint& cp) {
  std::string note = cp.note;
  for (const auto& line : store::audit_cosignatures(c, cp.size)) note += line + "\n";
  return note;
}

Error bad_range(std::string detail) { return Error{ErrorCode::kInvalidRequest, std::move(detail)}; }

// The roots of the recomputed tree at the sizes `wanted` asks for.
struct Recomputed {
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_bad_seq;
  std::optional<std::string> problem;
  std::map<std::uint64_t, std::string> roots;
};

Recomputed recompute(store::Connection& c, std::map<std::uint64_t, std::string> wanted) {
  Recomputed out;
  crypto::MerkleBuilder tree;
  const auto nodes = store::audit_nodes(c);
  const auto note_root = [&] {
    if (const auto it = wanted.find(tree.size()); it != wanted.end())
      out.roots[it->first] = tree.root();
  };
  note_root();
  store::for_each_audit_entry(c, [&](const store::AuditEntry& e) {
    ++out.entries;
    if (out.problem) return;
    if (static_cast<std::uint64_t>(e.seq) != tree.size()) {
      out.first_bad_seq = e.seq;
      out.problem = "entry " + std::to_string(tree.size()) + " is missing";
      return;
    }
    const auto leaf = crypto::merkle_leaf_hash(store::audit_entry_bytes(e));
    tree.append(leaf);
    std::string stored;
    try {
      stored = nodes(0, static_cast<std::uint64_t>(e.seq));
    } catch (const store::StoreError&) {
    }
    if (stored != leaf) {
      out.first_bad_seq = e.seq;
      out.problem = "entry " + std::to_string(e.seq) + " differs from the leaf the tree holds";
      return;
    }
    note_root();
  });
  return out;
}

}  // namespace

std::string AuditLogKey::public_key() const { return crypto::ed25519_public_key(seed); }

std::string AuditLogKey::vkey() const { return crypto::note_vkey(origin, public_key()); }

std::string AuditLogKey::retired_vkey(const crypto::RetiredAuditKey& key) const {
  return crypto::note_vkey(origin, key.public_key);
}

std::vector<std::string> AuditLogKey::vkeys() const {
  std::vector<std::string> all{vkey()};
  for (auto it = retired.rbegin(); it != retired.rend(); ++it) all.push_back(retired_vkey(*it));
  return all;
}

void AuditService::rotate_key(std::string seed, std::vector<crypto::RetiredAuditKey> retired) {
  auto next = std::make_shared<AuditLogKey>(*key_.load());
  next->seed = std::move(seed);
  next->retired = std::move(retired);
  key_.store(std::move(next));
}

void audit_refusal(store::Database& db, std::string_view actor, std::string_view action,
                   std::string_view target, ErrorCode code, std::int64_t now_ms) {
  (void)db.write<bool>([&](store::Connection& c) -> Result<bool> {
    store::append_audit(c, now_ms, actor, action, target, error_code_name(code));
    return true;
  });
}

AuditPage AuditService::list(const AuditQuery& query) {
  AuditPage page;
  // One more than asked tells whether another page follows.
  page.items = db_.read([&](store::Connection& c) {
    return store::list_audit(c, query.from_ms, query.to_ms, query.after_seq, query.limit + 1);
  });
  if (static_cast<std::int64_t>(page.items.size()) > query.limit) {
    page.items.pop_back();
    page.next_after_seq = page.items.back().seq;
  }
  return page;
}

std::optional<store::AuditEntry> AuditService::entry(std::int64_t seq) {
  return db_.read([&](store::Connection& c) { return store::audit_entry_at(c, seq); });
}

std::optional<std::string> AuditService::checkpoint() {
  return db_.read([&](store::Connection& c) -> std::optional<std::string> {
    const auto cp = store::latest_audit_checkpoint(c);
    if (!cp) return std::nullopt;
    return with_cosignatures(c, *cp);
  });
}

Result<InclusionProof> AuditService::inclusion(std::uint64_t index, std::uint64_t size) {
  return db_.read([&](store::Connection& c) -> Result<InclusionProof> {
    const auto cp = store::latest_audit_checkpoint(c);
    if (index >= size || !cp || size > cp->size)
      return bad_range("index must be below size, and size at most the checkpoint's");
    return InclusionProof{index, size,
                          crypto::merkle_inclusion_proof(store::audit_nodes(c), index, size)};
  });
}

Result<std::vector<std::string>> AuditService::consistency(std::uint64_t from, std::uint64_t to) {
  return db_.read([&](store::Connection& c) -> Result<std::vector<std::string>> {
    const auto cp = store::latest_audit_checkpoint(c);
    if (from == 0 || from > to || !cp || to > cp->size)
      return bad_range("0 < from <= to <= the checkpoint's size");
    return crypto::merkle_consistency_proof(store::audit_nodes(c), from, to);
  });
}

Result<std::string> AuditService::tile(int level, std::uint64_t index, int width) {
  if (level < 0 || level > 7 || width < 1 || static_cast<std::uint64_t>(width) > kTileWidth ||
      index > (UINT64_MAX >> 16))
    return Error{ErrorCode::kNotFound, "no such tile"};
  const auto hashes = db_.read([&](store::Connection& c) {
    return store::audit_node_run(c, level * kTileHeight, index * kTileWidth,
                                 static_cast<std::uint64_t>(width));
  });
  if (hashes.size() != static_cast<std::size_t>(width))
    return Error{ErrorCode::kNotFound, "no such tile"};
  std::string tile;
  for (const auto& h : hashes) tile += h;
  return tile;
}

Result<EntryProof> AuditService::proof_for(std::int64_t person_id, std::int64_t seq) {
  return db_.read([&](store::Connection& c) -> Result<EntryProof> {
    const Error not_found{ErrorCode::kNotFound, "no such record in the log"};
    const auto cp = store::latest_audit_checkpoint(c);
    if (seq < 0 || !cp || static_cast<std::uint64_t>(seq) >= cp->size ||
        store::audit_person_at(c, seq) != person_id)
      return not_found;
    auto entry = store::audit_entry_at(c, seq);
    if (!entry) return not_found;
    const auto index = static_cast<std::uint64_t>(seq);
    return EntryProof{
        std::move(*entry),
        cp->note,
        {index, cp->size, crypto::merkle_inclusion_proof(store::audit_nodes(c), index, cp->size)}};
  });
}

AuditCheck AuditService::verify(const std::vector<std::pair<Witness, std::string>>& witnessed) {
  const auto key = key_.load();
  const auto vkeys = key->vkeys();
  // The body of `note` when one of the log's keys signed it; the note's key hash says which.
  const auto log_body = [&](std::string_view note) -> std::optional<std::string> {
    for (const auto& vkey : vkeys) {
      if (auto body = crypto::verify_note(note, vkey)) return body;
    }
    return std::nullopt;
  };
  return db_.read([&](store::Connection& c) {
    AuditCheck check;
    const auto checkpoints = store::audit_checkpoints(c);
    std::map<std::uint64_t, std::string> wanted;
    for (const auto& cp : checkpoints) {
      const auto body = log_body(cp.note);
      const auto parsed = body ? crypto::parse_checkpoint_body(*body) : std::nullopt;
      if (!parsed || parsed->origin != key->origin || parsed->size != cp.size ||
          parsed->root != cp.root) {
        check.problem = "the checkpoint of size " + std::to_string(cp.size) +
                        " does not carry the platform's signature";
        return check;
      }
      wanted[cp.size] = cp.root;
    }
    check.checkpoints = static_cast<std::int64_t>(checkpoints.size());
    std::vector<std::pair<std::string, crypto::Checkpoint>> seen;
    for (const auto& [witness, note] : witnessed) {
      const auto body = log_body(note);
      const auto parsed = body ? crypto::parse_checkpoint_body(*body) : std::nullopt;
      if (!parsed || parsed->origin != key->origin ||
          !crypto::verify_cosignature(note, witness.vkey)) {
        check.problem = "the checkpoint of witness " + witness.url +
                        " does not carry the platform's signature and its cosignature";
        return check;
      }
      wanted.emplace(parsed->size, parsed->root);
      seen.emplace_back(witness.url, *parsed);
    }
    const auto tree = recompute(c, wanted);
    check.entries = tree.entries;
    check.first_bad_seq = tree.first_bad_seq;
    check.problem = tree.problem;
    if (check.problem) return check;
    const auto shorter = [&](std::uint64_t size, const std::string& whose) {
      return "the log has " + std::to_string(tree.entries) + " entries, fewer than the " +
             std::to_string(size) + " of " + whose +
             ": its newest entries were removed (a rolled-back or cut store)";
    };
    for (const auto& cp : checkpoints) {
      if (!tree.roots.contains(cp.size)) {
        check.problem = shorter(cp.size, "a checkpoint it signed");
        return check;
      }
      if (tree.roots.at(cp.size) != cp.root) {
        check.problem =
            "the tree of size " + std::to_string(cp.size) + " differs from its signed checkpoint";
        return check;
      }
    }
    for (const auto& [url, cp] : seen) {
      if (!tree.roots.contains(cp.size)) {
        check.problem = shorter(cp.size, "the checkpoint witness " + url + " cosigned");
        return check;
      }
      if (tree.roots.at(cp.size) != cp.root) {
        check.problem = "the tree of size " + std::to_string(cp.size) +
                        " differs from what witness " + url +
                        " cosigned: the log was forked or rewritten";
        return check;
      }
      ++check.witnessed;
    }
    return check;
  });
}

}  // namespace essc::services
