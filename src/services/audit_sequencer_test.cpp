// The audit log's writers and its sequencer (R-S6): appending waits for no other writer,
// and what the sequencer signs holds against the entries.
#include "services/audit_sequencer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

#include "crypto/merkle.hpp"
#include "crypto/random.hpp"
#include "crypto/signed_note.hpp"
#include "store/audit_checkpoints.hpp"
#include "store/audit_log.hpp"
#include "store/postgres.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

// Before the log was a tree, every write queued for the chain's head (a table lock on
// PostgreSQL): the second writer below could not append until the first committed, and
// the first waits for the second's append, so they would have timed out.
TEST(AuditSequencer, R_S6_TwoWritersAppendAtOnceWithoutWaitingForEachOther) {
  testing::TestPlatform t;
  if (!t.postgres_schema()) GTEST_SKIP() << "SQLite has one writer by design";
  std::array<std::atomic<bool>, 2> appended{};
  const auto both = [&] { return appended[0].load() && appended[1].load(); };
  const auto writer = [&](int which) {
    return t.ctx().db.write<bool>([&](store::Connection& c) -> Result<bool> {
      store::append_audit(c, t.clock().now_ms(), "test", "audit.append", "x", "ok");
      appended[which] = true;
      // Both in flight, each inside its open transaction, or this one waited in vain.
      for (int i = 0; i < 500 && !both(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return both();
    });
  };
  auto first = std::async(std::launch::async, writer, 0);
  auto second = std::async(std::launch::async, writer, 1);
  const auto a = first.get();
  const auto b = second.get();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(*a && *b) << "one writer waited for the other's commit";
  const auto entries = t.audit_entries();
  ASSERT_GE(entries.size(), 2u);
  EXPECT_EQ(entries.back().seq, static_cast<std::int64_t>(entries.size()) - 1);
}

// Each schema of one PostgreSQL database keeps a log of its own (one city per schema), so
// a sequencer holding one schema's log keeps none of another's waiting.
TEST(AuditSequencer, R_S6_EachSchemasLogHasASequencerOfItsOwn) {
  testing::TestPlatform a;
  testing::TestPlatform b;
  if (!a.postgres_schema()) GTEST_SKIP() << "one log a store on SQLite";
  store::PostgresConnection holder(
      store::PostgresTarget{std::getenv("ESSC_TEST_STORE_URL"), std::nullopt, a.postgres_schema()});
  holder.exec("BEGIN");
  ASSERT_TRUE(store::integrate_audit(holder, 1).has_value());  // a's log, held until COMMIT
  EXPECT_THROW(a.sequence_audit(), std::runtime_error);
  EXPECT_NO_THROW(b.sequence_audit());
  holder.exec("COMMIT");
  EXPECT_NO_THROW(a.sequence_audit());
}

TEST(AuditSequencer, R_S6_ASignedCheckpointCoversEveryEntryAndVerifiesWithThePublishedKey) {
  testing::TestPlatform t;
  auto& log = t.platform().audit;
  (void)t.ctx().db.write<bool>([&](store::Connection& c) -> Result<bool> {
    for (int i = 0; i < 5; ++i)
      store::append_audit(c, t.clock().now_ms(), "test", "audit.append", "x", "ok");
    return true;
  });
  const auto entries = t.audit_entries();  // sequenced and signed
  const auto note = log.checkpoint();
  ASSERT_TRUE(note);
  const auto body = crypto::verify_note(*note, log.key().vkey());
  ASSERT_TRUE(body) << *note;
  const auto checkpoint = crypto::parse_checkpoint_body(*body);
  ASSERT_TRUE(checkpoint);
  EXPECT_EQ(checkpoint->origin, log.key().origin);
  EXPECT_EQ(checkpoint->size, entries.size());
  for (std::uint64_t i = 0; i < checkpoint->size; ++i) {
    const auto proof = log.inclusion(i, checkpoint->size);
    ASSERT_TRUE(proof.ok());
    const auto leaf = crypto::merkle_leaf_hash(store::audit_entry_bytes(entries[i]));
    EXPECT_TRUE(crypto::verify_merkle_inclusion(i, checkpoint->size, leaf, proof->hashes,
                                                checkpoint->root));
  }
  EXPECT_FALSE(log.inclusion(checkpoint->size, checkpoint->size + 1).ok())
      << "no proof past the newest checkpoint";
  EXPECT_EQ(log.proof_for(999, 0).error().code, ErrorCode::kNotFound)
      << "an entry about nobody in particular is nobody's to prove";
}

// R-S9: after a rotation the next checkpoint is signed by the new key (its key hash names
// it); verification holds the older checkpoints against the retired key, and fails once
// the retired key is not the log's.
TEST(AuditSequencer, R_S9_ARotatedKeySignsTheNextCheckpointAndTheOldOnesStillVerify) {
  testing::TestPlatform t;
  auto& log = t.platform().audit;
  const auto append = [&](int n) {
    (void)t.ctx().db.write<bool>([&](store::Connection& c) -> Result<bool> {
      for (int i = 0; i < n; ++i)
        store::append_audit(c, t.clock().now_ms(), "test", "audit.append", "x", "ok");
      return true;
    });
    t.sequence_audit();
  };
  append(3);
  const auto old_key = log.key();
  const auto old_note = log.checkpoint();
  ASSERT_TRUE(old_note && crypto::verify_note(*old_note, old_key.vkey()));

  const auto new_seed = crypto::random_bytes(32);
  const std::vector<crypto::RetiredAuditKey> retired{
      {crypto::ed25519_public_key(old_key.seed), t.clock().now_ms()}};
  log.rotate_key(new_seed, retired);
  append(2);
  const auto rotated = log.key();
  EXPECT_EQ(rotated.origin, old_key.origin);
  EXPECT_NE(rotated.vkey(), old_key.vkey());
  EXPECT_EQ(rotated.vkeys(), (std::vector<std::string>{rotated.vkey(), old_key.vkey()}));
  const auto note = log.checkpoint();
  ASSERT_TRUE(note);
  EXPECT_TRUE(crypto::verify_note(*note, rotated.vkey())) << *note;
  EXPECT_FALSE(crypto::verify_note(*note, old_key.vkey())) << "the old key signed after rotation";
  const auto verified = log.verify();
  EXPECT_TRUE(verified.ok()) << verified.problem.value_or("");
  EXPECT_GE(verified.checkpoints, 2);

  // Without the retired key the first checkpoint carries no signature of the log's.
  log.rotate_key(new_seed, {});
  const auto without = log.verify();
  ASSERT_FALSE(without.ok());
  EXPECT_NE(without.problem->find("does not carry the platform's signature"), std::string::npos);
}

}  // namespace
}  // namespace essc::services
