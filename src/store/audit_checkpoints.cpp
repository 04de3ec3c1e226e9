#include "store/audit_checkpoints.hpp"

namespace essc::store {
namespace {

constexpr char kInsert[] =
    "INSERT INTO audit_checkpoints (size, root, at_ms, note) VALUES (?, ?, ?, ?)";
constexpr char kLatest[] =
    "SELECT size, root, at_ms, note FROM audit_checkpoints ORDER BY size DESC LIMIT 1";
constexpr char kOf[] = "SELECT size, root, at_ms, note FROM audit_checkpoints WHERE size = ?";
constexpr char kAll[] = "SELECT size, root, at_ms, note FROM audit_checkpoints ORDER BY size";
constexpr char kAddCosignature[] =
    "INSERT INTO audit_cosignatures (size, witness, line, at_ms) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (size, witness) DO NOTHING";
constexpr char kCosignatures[] =
    "SELECT line FROM audit_cosignatures WHERE size = ? ORDER BY witness";
// From the largest size down: a witness that keeps up is met in the first rows.
constexpr char kNewestCosigned[] =
    "SELECT size FROM audit_cosignatures WHERE witness = ? ORDER BY size DESC LIMIT 1";

StoredCheckpoint checkpoint_of(const Statement& s) {
  return {static_cast<std::uint64_t>(s.int64(0)), s.blob(1), s.int64(2), s.text(3)};
}

}  // namespace

void insert_audit_checkpoint(Connection& c, const StoredCheckpoint& checkpoint) {
  auto& insert = c.prepare(kInsert);
  insert.bind(1, static_cast<std::int64_t>(checkpoint.size));
  insert.bind_blob(2, checkpoint.root).bind(3, checkpoint.at_ms).bind(4, checkpoint.note).run();
}

std::optional<StoredCheckpoint> latest_audit_checkpoint(Connection& c) {
  return c.prepare(kLatest).first(checkpoint_of);
}

std::optional<StoredCheckpoint> audit_checkpoint_of(Connection& c, std::uint64_t size) {
  return c.prepare(kOf).bind_all(static_cast<std::int64_t>(size)).first(checkpoint_of);
}

std::vector<StoredCheckpoint> audit_checkpoints(Connection& c) {
  std::vector<StoredCheckpoint> all;
  auto& s = c.prepare(kAll);
  while (s.step()) all.push_back(checkpoint_of(s));
  return all;
}

void add_audit_cosignature(Connection& c, std::uint64_t size, std::string_view witness,
                           std::string_view line, std::int64_t at_ms) {
  c.prepare(kAddCosignature).bind_all(static_cast<std::int64_t>(size), witness, line, at_ms).run();
}

std::vector<std::string> audit_cosignatures(Connection& c, std::uint64_t size) {
  std::vector<std::string> lines;
  auto& s = c.prepare(kCosignatures);
  s.bind_all(static_cast<std::int64_t>(size));
  while (s.step()) lines.push_back(s.text(0));
  return lines;
}

std::optional<std::uint64_t> newest_cosigned_size(Connection& c, std::string_view witness) {
  return c.prepare(kNewestCosigned).bind_all(witness).first([](const Statement& s) {
    return static_cast<std::uint64_t>(s.int64(0));
  });
}

}  // namespace essc::store
