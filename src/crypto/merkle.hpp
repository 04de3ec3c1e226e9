// The Merkle tree of the audit log (RFC 9162 §2.1, SHA-256): hashes, proofs and their
// verification. A tree of size n covers leaves 0…n-1; a node (level, index) is the root
// of the perfect subtree over leaves [index·2^level, (index+1)·2^level).
//
// Proofs are built from a NodeHashes source that answers the hash of any complete node;
// the store answers it from its table of nodes, a verifier from leaves it recomputed.
//
// Thread safety: pure functions, safe from any thread.
// Invariants: every hash is kSha256Bytes raw bytes; a proof built here for a tree verifies
// against that tree's root with the verifiers here (and with any RFC 9162 verifier).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace essc::crypto {

// SHA-256(0x00 ‖ entry).
std::string merkle_leaf_hash(std::string_view entry);
// SHA-256(0x01 ‖ left ‖ right).
std::string merkle_node_hash(std::string_view left, std::string_view right);
// SHA-256 of nothing: the root of the empty tree.
std::string merkle_empty_root();

// The hash of the complete node (level, index); it exists for every node the tree's
// leaves cover. Throws (whatever the source throws) when it cannot answer.
using NodeHashes = std::function<std::string(int level, std::uint64_t index)>;

// MTH(D[begin:end]) for begin aligned to the largest power of two below end - begin, as
// every subtree of RFC 9162's recursion is: O(log n) node lookups.
std::string merkle_range_hash(const NodeHashes& nodes, std::uint64_t begin, std::uint64_t end);
// The root of the tree of `size` leaves.
std::string merkle_root(const NodeHashes& nodes, std::uint64_t size);

// RFC 9162 §2.1.3.1. REQUIRES: index < size.
std::vector<std::string> merkle_inclusion_proof(const NodeHashes& nodes, std::uint64_t index,
                                                std::uint64_t size);
// RFC 9162 §2.1.4.1. REQUIRES: 0 < from <= to.
std::vector<std::string> merkle_consistency_proof(const NodeHashes& nodes, std::uint64_t from,
                                                  std::uint64_t to);

// RFC 9162 §2.1.3.2.
bool verify_merkle_inclusion(std::uint64_t index, std::uint64_t size, std::string_view leaf_hash,
                             const std::vector<std::string>& proof, std::string_view root);
// RFC 9162 §2.1.4.2; also true for from == to with equal roots and an empty proof, and
// for from == 0 with an empty proof (the empty tree is a prefix of every tree).
bool verify_merkle_consistency(std::uint64_t from, std::uint64_t to, std::string_view from_root,
                               std::string_view to_root, const std::vector<std::string>& proof);

// Builds a tree's nodes level by level as leaves arrive; what a sequencer appends and what
// a verifier recomputes. Holds only the right edge: the complete nodes not yet paired.
class MerkleBuilder {
 public:
  // Every node a new leaf completes, lowest level first, each as (level, index, hash).
  struct Node {
    int level;
    std::uint64_t index;
    std::string hash;
  };
  // Starts from a tree of `size` leaves whose right-edge nodes `nodes` answers.
  MerkleBuilder(std::uint64_t size, const NodeHashes& nodes);
  MerkleBuilder() = default;

  std::vector<Node> append(std::string leaf_hash);
  std::uint64_t size() const { return size_; }
  std::string root() const;

 private:
  std::uint64_t size_ = 0;
  std::vector<std::string> edge_;  // edge_[level]: the unpaired node at that level, if any
  std::vector<bool> has_;
};

}  // namespace essc::crypto
