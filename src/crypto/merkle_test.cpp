#include "crypto/merkle.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "crypto/hash.hpp"

namespace essc::crypto {
namespace {

// MTH of RFC 9162 §2.1.1, straight from its definition.
std::string reference_root(const std::vector<std::string>& leaves, std::size_t begin,
                           std::size_t end) {
  if (end - begin == 1) return leaves[begin];
  std::size_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  return merkle_node_hash(reference_root(leaves, begin, begin + k),
                          reference_root(leaves, begin + k, end));
}

struct Tree {
  std::vector<std::string> leaves;
  std::map<std::pair<int, std::uint64_t>, std::string> nodes;
  MerkleBuilder builder;

  void grow_to(std::size_t n) {
    while (leaves.size() < n) {
      leaves.push_back(merkle_leaf_hash("entry " + std::to_string(leaves.size())));
      for (auto& node : builder.append(leaves.back())) nodes[{node.level, node.index}] = node.hash;
    }
  }
  NodeHashes source() const {
    return [this](int level, std::uint64_t index) { return nodes.at({level, index}); };
  }
};

TEST(Merkle, R_S6_LeafAndNodeHashesAreDomainSeparated) {
  EXPECT_EQ(merkle_leaf_hash("x"), sha256(std::string("\x00x", 2)));
  EXPECT_EQ(merkle_node_hash("a", "b"), sha256("\x01"
                                               "ab"));
  EXPECT_EQ(merkle_empty_root(), sha256(""));
}

TEST(Merkle, R_S6_TheBuilderAndTheStoredNodesGiveRfc9162Roots) {
  Tree tree;
  for (std::size_t n = 1; n <= 70; ++n) {
    tree.grow_to(n);
    const auto expected = reference_root(tree.leaves, 0, n);
    EXPECT_EQ(tree.builder.root(), expected) << n;
    EXPECT_EQ(merkle_root(tree.source(), n), expected) << n;
    const MerkleBuilder resumed(n, tree.source());
    EXPECT_EQ(resumed.root(), expected) << n;
  }
}

TEST(Merkle, R_S6_EveryInclusionProofVerifiesAndATamperedOneDoesNot) {
  Tree tree;
  tree.grow_to(37);
  for (std::uint64_t size = 1; size <= 37; ++size) {
    const auto root = merkle_root(tree.source(), size);
    for (std::uint64_t i = 0; i < size; ++i) {
      auto proof = merkle_inclusion_proof(tree.source(), i, size);
      EXPECT_TRUE(verify_merkle_inclusion(i, size, tree.leaves[i], proof, root))
          << i << "/" << size;
      EXPECT_FALSE(verify_merkle_inclusion(i, size, merkle_leaf_hash("other"), proof, root));
      if (!proof.empty()) {
        proof.back()[0] = static_cast<char>(proof.back()[0] ^ 1);
        EXPECT_FALSE(verify_merkle_inclusion(i, size, tree.leaves[i], proof, root));
      }
    }
    EXPECT_FALSE(verify_merkle_inclusion(size, size, tree.leaves[0], {}, root));
  }
}

TEST(Merkle, R_S6_EveryConsistencyProofVerifiesAndAForkDoesNot) {
  Tree tree;
  tree.grow_to(33);
  Tree fork;
  fork.grow_to(5);
  fork.leaves[4] = merkle_leaf_hash("forged");
  for (std::uint64_t to = 1; to <= 33; ++to) {
    const auto to_root = merkle_root(tree.source(), to);
    for (std::uint64_t from = 1; from <= to; ++from) {
      const auto from_root = merkle_root(tree.source(), from);
      const auto proof = merkle_consistency_proof(tree.source(), from, to);
      EXPECT_TRUE(verify_merkle_consistency(from, to, from_root, to_root, proof))
          << from << "→" << to;
      if (from < to) {
        EXPECT_FALSE(verify_merkle_consistency(to, from, to_root, from_root, proof));
      }
    }
  }
  const auto forked_root = reference_root(fork.leaves, 0, 5);
  EXPECT_FALSE(verify_merkle_consistency(5, 20, forked_root, merkle_root(tree.source(), 20),
                                         merkle_consistency_proof(tree.source(), 5, 20)));
  EXPECT_TRUE(
      verify_merkle_consistency(0, 3, merkle_empty_root(), merkle_root(tree.source(), 3), {}));
}

}  // namespace
}  // namespace essc::crypto
