// The witness (c2sp.org/tlog-witness; R-S7): it cosigns only extensions of what it
// cosigned, answers each refusal with the spec's status, and keeps its state across a
// restart.
#include "services/witness.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <thread>
#include <utility>

#include "crypto/encoding.hpp"
#include "crypto/merkle.hpp"
#include "crypto/random.hpp"
#include "crypto/signed_note.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

constexpr char kOrigin[] = "essc.test/330200";
constexpr char kWitnessName[] = "witness.test/w1";
constexpr std::uint64_t kNow = 1'795'651'200;

// A Merkle tree of leaves "<prefix><i>", every complete node kept, to answer proofs.
class Tree {
 public:
  explicit Tree(std::uint64_t size, std::string prefix = "entry ") {
    for (std::uint64_t i = 0; i < size; ++i) {
      for (auto& node : builder_.append(crypto::merkle_leaf_hash(prefix + std::to_string(i))))
        nodes_[{node.level, node.index}] = node.hash;
    }
  }
  std::uint64_t size() const { return builder_.size(); }
  std::string root() const { return builder_.root(); }
  std::vector<std::string> consistency(std::uint64_t from) const {
    return crypto::merkle_consistency_proof(
        [this](int level, std::uint64_t index) {
          return nodes_.at({level, index});
        },
        from, size());
  }

 private:
  crypto::MerkleBuilder builder_;
  std::map<std::pair<int, std::uint64_t>, std::string> nodes_;
};

class WitnessTest : public ::testing::Test {
 protected:
  WitnessTest() : log_seed_(crypto::random_bytes(32)), witness_seed_(crypto::random_bytes(32)) {
    log_vkey_ = crypto::note_vkey(kOrigin, crypto::ed25519_public_key(log_seed_));
    log_vkeys_ = {log_vkey_};
    reopen();
  }

  void reopen() {
    witness_.reset();
    witness_ = std::make_unique<TlogWitness>(
        dir_.path(), WitnessIdentity{kWitnessName, witness_seed_},
        std::vector<WitnessedLog>{{kOrigin, log_vkeys_}}, [this] { return now_; });
  }

  std::string note_of(const Tree& tree, const std::string& seed) const {
    return crypto::sign_note(crypto::checkpoint_body({kOrigin, tree.size(), tree.root()}), kOrigin,
                             seed);
  }

  static std::string request(std::uint64_t old_size, const std::vector<std::string>& proof,
                             const std::string& note) {
    std::string body = "old " + std::to_string(old_size) + "\n";
    for (const auto& hash : proof) body += crypto::to_base64(hash) + "\n";
    return body + "\n" + note;
  }

  WitnessAnswer add(const Tree& tree, std::uint64_t old_size) {
    const auto proof = old_size == 0 ? std::vector<std::string>{} : tree.consistency(old_size);
    return witness_->add_checkpoint(request(old_size, proof, note_of(tree, log_seed_)));
  }

  std::uint64_t held_size() const {
    const auto held = witness_->held(kOrigin);
    return held ? held->size : 0;
  }

  testing::TempDir dir_;
  std::string log_seed_;
  std::string witness_seed_;
  std::string log_vkey_;
  std::vector<std::string> log_vkeys_;  // what the witness's operator gave it
  std::uint64_t now_ = kNow;
  std::unique_ptr<TlogWitness> witness_;
};

TEST_F(WitnessTest, R_S7_CosignsTheFirstCheckpointAndThenAnExtension) {
  const Tree first(3);
  const auto answer = add(first, 0);
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto note = note_of(first, log_seed_);
  EXPECT_EQ(crypto::verify_cosignature(note + answer.body, witness_->vkey()), kNow);

  now_ += 5;
  const Tree second(7);
  const auto extended = add(second, 3);
  ASSERT_EQ(extended.status, 200) << extended.body;
  EXPECT_EQ(
      crypto::verify_cosignature(note_of(second, log_seed_) + extended.body, witness_->vkey()),
      kNow + 5);
  EXPECT_EQ(held_size(), 7u);
  EXPECT_EQ(witness_->held(kOrigin)->root, second.root());
}

// R-S9: the log rotated its key. The witness refuses the new key's checkpoints until its
// operator gives it the new vkey beside the old one, and then cosigns them as an
// extension of what the old key signed.
TEST_F(WitnessTest, R_S9_AcceptsARotatedLogKeyOnceItsOperatorGivesIt) {
  ASSERT_EQ(add(Tree(4), 0).status, 200);
  const auto new_seed = crypto::random_bytes(32);
  const Tree tree(9);
  const auto by_new_key = request(4, tree.consistency(4), note_of(tree, new_seed));
  EXPECT_EQ(witness_->add_checkpoint(by_new_key).status, 403);
  EXPECT_EQ(held_size(), 4u);

  log_vkeys_.push_back(crypto::note_vkey(kOrigin, crypto::ed25519_public_key(new_seed)));
  reopen();
  EXPECT_EQ(held_size(), 4u);  // the state of the origin stays
  const auto cosigned = witness_->add_checkpoint(by_new_key);
  ASSERT_EQ(cosigned.status, 200) << cosigned.body;
  const auto latest = witness_->latest(kOrigin);
  EXPECT_EQ(crypto::verify_note(latest.body, log_vkeys_.back()),
            crypto::checkpoint_body({kOrigin, 9, tree.root()}));
  EXPECT_FALSE(crypto::verify_note(latest.body, log_vkey_));
  // The old key still signs for the log while the operator lists it.
  const Tree longer(12);
  EXPECT_EQ(add(longer, 9).status, 200);
  // A key under the log's name that the operator did not give is refused.
  const auto stranger = crypto::random_bytes(32);
  const Tree next(14);
  EXPECT_EQ(
      witness_->add_checkpoint(request(12, next.consistency(12), note_of(next, stranger))).status,
      403);
}

TEST_F(WitnessTest, R_S7_AnswersTheLatestCosignedCheckpointWithBothSignatures) {
  EXPECT_EQ(witness_->latest(std::nullopt).status, 404);
  ASSERT_EQ(add(Tree(4), 0).status, 200);
  // A note carrying someone else's signature too: the witness keeps only the log's.
  const Tree tree(9);
  const auto note = note_of(tree, log_seed_) +
                    crypto::cosignature_line(crypto::checkpoint_body({kOrigin, 9, tree.root()}),
                                             "other.test/w", crypto::random_bytes(32), 1);
  ASSERT_EQ(witness_->add_checkpoint(request(4, tree.consistency(4), note)).status, 200);
  for (const auto& origin :
       {std::optional<std::string_view>(), std::optional<std::string_view>(kOrigin)}) {
    const auto latest = witness_->latest(origin);
    ASSERT_EQ(latest.status, 200);
    EXPECT_EQ(crypto::verify_note(latest.body, log_vkey_),
              crypto::checkpoint_body({kOrigin, 9, tree.root()}));
    EXPECT_EQ(crypto::verify_cosignature(latest.body, witness_->vkey()), kNow);
    EXPECT_EQ(crypto::parse_note(latest.body)->signatures.size(), 2u);
  }
  EXPECT_EQ(witness_->latest("essc.test/other").status, 404);
}

TEST_F(WitnessTest, R_S7_CosignsTheSameCheckpointAgain) {
  const Tree tree(5);
  ASSERT_EQ(add(tree, 0).status, 200);
  const auto again = witness_->add_checkpoint(request(5, {}, note_of(tree, log_seed_)));
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(held_size(), 5u);
}

TEST_F(WitnessTest, R_S7_RefusesAForkOfTheSameSize) {
  ASSERT_EQ(add(Tree(5), 0).status, 200);
  const Tree fork(5, "rewritten ");
  const auto refused = witness_->add_checkpoint(request(5, {}, note_of(fork, log_seed_)));
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.content_type, kTlogSizeContentType);  // not a stale `old`: a fork
  EXPECT_EQ(witness_->held(kOrigin)->root, Tree(5).root());
}

TEST_F(WitnessTest, R_S7_RefusesALargerTreeThatRewritesThePast) {
  ASSERT_EQ(add(Tree(5), 0).status, 200);
  const Tree rewritten(8, "rewritten ");
  EXPECT_EQ(add(rewritten, 5).status, 422);
  // Nor does the proof of the honest tree make the rewritten root pass.
  const auto note = note_of(rewritten, log_seed_);
  EXPECT_EQ(witness_->add_checkpoint(request(5, Tree(8).consistency(5), note)).status, 422);
  EXPECT_EQ(held_size(), 5u);
}

TEST_F(WitnessTest, R_S7_RefusesAShrink) {
  ASSERT_EQ(add(Tree(7), 0).status, 200);
  const Tree smaller(3);
  // The truth (old 7) is above the new size: 400; a smaller old is stale: 409 with 7.
  EXPECT_EQ(witness_->add_checkpoint(request(7, {}, note_of(smaller, log_seed_))).status, 400);
  const auto stale = witness_->add_checkpoint(request(3, {}, note_of(smaller, log_seed_)));
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body, "7\n");
  EXPECT_EQ(held_size(), 7u);
}

TEST_F(WitnessTest, R_S7_RefusesAProofThatDoesNotVerify) {
  ASSERT_EQ(add(Tree(6), 0).status, 200);
  const Tree tree(13);
  auto proof = tree.consistency(6);
  ASSERT_FALSE(proof.empty());
  proof.back()[0] ^= 1;
  EXPECT_EQ(witness_->add_checkpoint(request(6, proof, note_of(tree, log_seed_))).status, 422);
  proof.pop_back();
  EXPECT_EQ(witness_->add_checkpoint(request(6, proof, note_of(tree, log_seed_))).status, 422);
  EXPECT_EQ(held_size(), 6u);
}

TEST_F(WitnessTest, R_S7_TheFirstCheckpointTakesNoProofAndSizeZeroTheEmptyRoot) {
  const Tree tree(4);
  EXPECT_EQ(
      witness_->add_checkpoint(request(0, tree.consistency(2), note_of(tree, log_seed_))).status,
      422);
  const Tree empty(0);
  EXPECT_EQ(witness_->add_checkpoint(request(0, {}, note_of(empty, log_seed_))).status, 200);
  const auto not_empty = crypto::sign_note(
      crypto::checkpoint_body({kOrigin, 0, crypto::merkle_leaf_hash("x")}), kOrigin, log_seed_);
  EXPECT_EQ(witness_->add_checkpoint(request(0, {}, not_empty)).status, 409);
}

TEST_F(WitnessTest, R_S7_AnswersAStaleOldWith409AndTheSizeItHolds) {
  ASSERT_EQ(add(Tree(7), 0).status, 200);
  const Tree tree(12);
  const auto stale = add(tree, 3);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.content_type, kTlogSizeContentType);
  EXPECT_EQ(stale.body, "7\n");
  EXPECT_EQ(add(tree, 7).status, 200);
}

TEST_F(WitnessTest, R_S7_RefusesAnUnknownKeyOrOrigin) {
  const Tree tree(3);
  // The log's name, another key: 403, and nothing is held.
  EXPECT_EQ(
      witness_->add_checkpoint(request(0, {}, note_of(tree, crypto::random_bytes(32)))).status,
      403);
  // A good signature over a tampered body.
  auto tampered = note_of(tree, log_seed_);
  tampered.replace(tampered.find("\n3\n"), 3, "\n4\n");
  EXPECT_EQ(witness_->add_checkpoint(request(0, {}, tampered)).status, 403);
  const auto other =
      crypto::sign_note(crypto::checkpoint_body({"essc.test/other", tree.size(), tree.root()}),
                        "essc.test/other", log_seed_);
  EXPECT_EQ(witness_->add_checkpoint(request(0, {}, other)).status, 404);
  EXPECT_FALSE(witness_->held(kOrigin));
}

TEST_F(WitnessTest, R_S7_KeepsItsStateAcrossARestart) {
  ASSERT_EQ(add(Tree(7), 0).status, 200);
  const auto note = witness_->latest(kOrigin).body;
  reopen();
  EXPECT_EQ(held_size(), 7u);
  EXPECT_EQ(witness_->latest(kOrigin).body, note);
  EXPECT_EQ(add(Tree(9), 0).status, 409);  // it has not forgotten: no restart from zero
  EXPECT_EQ(add(Tree(9), 7).status, 200);
  reopen();
  EXPECT_EQ(held_size(), 9u);
}

// The check of `old` and the write of the new state are one step: of requests racing from
// the same size, one is cosigned and the others learn the new size.
TEST_F(WitnessTest, R_S7_OfRequestsRacingFromOneSizeOneIsCosigned) {
  ASSERT_EQ(add(Tree(4), 0).status, 200);
  std::atomic<int> cosigned = 0;
  std::atomic<int> conflicts = 0;
  std::vector<std::thread> threads;
  for (std::uint64_t extra = 1; extra <= 8; ++extra) {
    threads.emplace_back([this, extra, &cosigned, &conflicts] {
      const auto status = add(Tree(4 + extra), 4).status;
      if (status == 200) ++cosigned;
      if (status == 409) ++conflicts;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(cosigned, 1);
  EXPECT_EQ(conflicts, 7);
  const auto size = held_size();
  EXPECT_EQ(witness_->held(kOrigin)->root, Tree(size).root());
  reopen();
  EXPECT_EQ(held_size(), size);
}

TEST_F(WitnessTest, R_S7_RefusesToStartOnAStateThatIsNotACheckpointOfTheLog) {
  ASSERT_EQ(add(Tree(7), 0).status, 200);
  std::ofstream(dir_.path() / witness_state_file_name(kOrigin), std::ios::trunc) << "garbage\n";
  EXPECT_THROW(reopen(), std::runtime_error);
}

TEST_F(WitnessTest, R_S7_AnswersMalformedRequestsWith400) {
  const auto note = note_of(Tree(2), log_seed_);
  const auto hash = crypto::to_base64(crypto::merkle_leaf_hash("a"));
  for (const auto& bad : std::vector<std::string>{
           std::string(), "old 0\n" + note, "old 00\n\n" + note, "old -1\n\n" + note,
           "old 18446744073709551616\n\n" + note, "old 0 \n\n" + note, "old0\n\n" + note,
           "old 0\n" + hash, "old 0\nnot base64\n\n" + note, "old 0\nAAAA\n\n" + note, "old 0\n\n",
           "old 0\n\nessc.test/330200\n2\n", "old 0\n\n" + note.substr(0, 40),
           std::string("old 0\n\n\0\n\n", 10)}) {
    EXPECT_EQ(witness_->add_checkpoint(bad).status, 400) << bad;
  }
  std::string too_many = "old 1\n";
  for (int i = 0; i < 64; ++i) too_many += hash + "\n";
  EXPECT_EQ(witness_->add_checkpoint(too_many + "\n" + note).status, 400);
  // Random bytes, and every prefix of a good request, never crash it.
  const auto good = request(0, {}, note);
  for (std::size_t n = 0; n < good.size(); ++n) witness_->add_checkpoint(good.substr(0, n));
  for (int i = 0; i < 200; ++i) witness_->add_checkpoint(crypto::random_bytes(i * 3));
  EXPECT_FALSE(witness_->held(kOrigin));
}

TEST(WitnessKey, R_S7_TheWitnessVkeyIsACosignatureKey) {
  testing::TempDir dir;
  const auto seed = crypto::random_bytes(32);
  const TlogWitness witness(dir.path(), {kWitnessName, seed}, {}, [] { return kNow; });
  const auto parsed = crypto::parse_vkey(witness.vkey());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->type, crypto::kNoteKeyCosignature);
  EXPECT_EQ(parsed->name, kWitnessName);
  EXPECT_EQ(parsed->public_key, crypto::ed25519_public_key(seed));
}

}  // namespace
}  // namespace essc::services
