#include "crypto/merkle.hpp"

#include <bit>
#include <utility>

#include "common/assert.hpp"
#include "crypto/hash.hpp"

namespace essc::crypto {
namespace {

// The k of RFC 9162: the largest power of two smaller than n. REQUIRES: n > 1.
std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

void inclusion_path(const NodeHashes& nodes, std::uint64_t index, std::uint64_t begin,
                    std::uint64_t end, std::vector<std::string>& out) {
  if (end - begin == 1) return;
  const std::uint64_t k = split_point(end - begin);
  if (index < begin + k) {
    inclusion_path(nodes, index, begin, begin + k, out);
    out.push_back(merkle_range_hash(nodes, begin + k, end));
  } else {
    inclusion_path(nodes, index, begin + k, end, out);
    out.push_back(merkle_range_hash(nodes, begin, begin + k));
  }
}

void consistency_subproof(const NodeHashes& nodes, std::uint64_t m, std::uint64_t begin,
                          std::uint64_t end, bool whole, std::vector<std::string>& out) {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (!whole) out.push_back(merkle_range_hash(nodes, begin, end));
    return;
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    consistency_subproof(nodes, m, begin, begin + k, whole, out);
    out.push_back(merkle_range_hash(nodes, begin + k, end));
  } else {
    consistency_subproof(nodes, m - k, begin + k, end, false, out);
    out.push_back(merkle_range_hash(nodes, begin, begin + k));
  }
}

bool is_hash(std::string_view h) { return h.size() == kSha256Bytes; }

}  // namespace

std::string merkle_leaf_hash(std::string_view entry) {
  std::string input(1, '\x00');
  input += entry;
  return sha256(input);
}

std::string merkle_node_hash(std::string_view left, std::string_view right) {
  std::string input(1, '\x01');
  input += left;
  input += right;
  return sha256(input);
}

std::string merkle_empty_root() { return sha256(""); }

std::string merkle_range_hash(const NodeHashes& nodes, std::uint64_t begin, std::uint64_t end) {
  ESSC_ASSERT(begin < end);
  const std::uint64_t n = end - begin;
  if (std::has_single_bit(n)) {
    const int level = std::countr_zero(n);
    ESSC_ASSERT(begin % n == 0);
    return nodes(level, begin >> level);
  }
  const std::uint64_t k = split_point(n);
  return merkle_node_hash(merkle_range_hash(nodes, begin, begin + k),
                          merkle_range_hash(nodes, begin + k, end));
}

std::string merkle_root(const NodeHashes& nodes, std::uint64_t size) {
  return size == 0 ? merkle_empty_root() : merkle_range_hash(nodes, 0, size);
}

std::vector<std::string> merkle_inclusion_proof(const NodeHashes& nodes, std::uint64_t index,
                                                std::uint64_t size) {
  ESSC_ASSERT(index < size);
  std::vector<std::string> out;
  inclusion_path(nodes, index, 0, size, out);
  return out;
}

std::vector<std::string> merkle_consistency_proof(const NodeHashes& nodes, std::uint64_t from,
                                                  std::uint64_t to) {
  ESSC_ASSERT(0 < from && from <= to);
  std::vector<std::string> out;
  consistency_subproof(nodes, from, 0, to, true, out);
  return out;
}

bool verify_merkle_inclusion(std::uint64_t index, std::uint64_t size, std::string_view leaf_hash,
                             const std::vector<std::string>& proof, std::string_view root) {
  if (index >= size || !is_hash(leaf_hash) || !is_hash(root)) return false;
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  std::string r(leaf_hash);
  for (const auto& p : proof) {
    if (sn == 0 || !is_hash(p)) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = merkle_node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = merkle_node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && constant_time_equal(r, root);
}

bool verify_merkle_consistency(std::uint64_t from, std::uint64_t to, std::string_view from_root,
                               std::string_view to_root, const std::vector<std::string>& proof) {
  if (from > to || !is_hash(from_root) || !is_hash(to_root)) return false;
  if (from == 0 || from == to) return proof.empty() && (from == 0 || from_root == to_root);
  std::vector<std::string> path;
  if (std::has_single_bit(from)) path.emplace_back(from_root);
  for (const auto& p : proof) {
    if (!is_hash(p)) return false;
    path.push_back(p);
  }
  if (path.empty()) return false;
  std::uint64_t fn = from - 1;
  std::uint64_t sn = to - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];
  std::string sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const auto& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = merkle_node_hash(c, fr);
      sr = merkle_node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = merkle_node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == from_root && sr == to_root;
}

MerkleBuilder::MerkleBuilder(std::uint64_t size, const NodeHashes& nodes) : size_(size) {
  const int levels = static_cast<int>(std::bit_width(size));
  edge_.resize(static_cast<std::size_t>(levels));
  has_.resize(static_cast<std::size_t>(levels));
  for (int level = 0; level < levels; ++level) {
    if (((size >> level) & 1) == 0) continue;
    edge_[static_cast<std::size_t>(level)] = nodes(level, (size >> level) - 1);
    has_[static_cast<std::size_t>(level)] = true;
  }
}

std::vector<MerkleBuilder::Node> MerkleBuilder::append(std::string leaf_hash) {
  std::vector<Node> completed;
  completed.push_back({0, size_, leaf_hash});
  std::string cur = std::move(leaf_hash);
  std::size_t level = 0;
  const std::uint64_t grown = size_ + 1;
  while (level < has_.size() && has_[level]) {
    cur = merkle_node_hash(edge_[level], cur);
    has_[level] = false;
    edge_[level].clear();
    ++level;
    completed.push_back({static_cast<int>(level), (grown >> level) - 1, cur});
  }
  if (level == has_.size()) {
    edge_.emplace_back();
    has_.push_back(false);
  }
  edge_[level] = std::move(cur);
  has_[level] = true;
  size_ = grown;
  return completed;
}

std::string MerkleBuilder::root() const {
  std::string r;
  for (std::size_t level = 0; level < has_.size(); ++level) {
    if (!has_[level]) continue;
    r = r.empty() ? edge_[level] : merkle_node_hash(edge_[level], r);
  }
  return r.empty() ? merkle_empty_root() : r;
}

}  // namespace essc::crypto
