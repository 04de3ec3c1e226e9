// The nonce set and rate counters behind R-S2 and R-S4, in memory and journalled.
#include "store/nonce_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/limits.hpp"
#include "crypto/sodium.hpp"
#include "support/test_platform.hpp"

namespace essc::store {
namespace {

constexpr std::int64_t kStart = 1'780'000'000'000;
constexpr std::int64_t kWindow = 60'000;

class NonceStoreTest : public ::testing::Test {
 protected:
  NonceStoreTest() { crypto::initialize_sodium(); }
  std::optional<std::int64_t> claim(const std::string& client, const std::string& nonce,
                                    std::int64_t now, std::int64_t expires) {
    return store_.claim_and_count(client, nonce, now, expires, "client:" + client, kWindow);
  }
  NonceStore store_{kStart};
};

TEST_F(NonceStoreTest, R_S2_NonceIsSingleUseUntilItExpires) {
  EXPECT_EQ(claim("ch_a", "n-1", kStart, kStart + 301'000), 1);
  EXPECT_EQ(claim("ch_a", "n-1", kStart + 1, kStart + 301'001), std::nullopt);
  EXPECT_EQ(claim("ch_a", "n-1", kStart + 300'999, kStart + 601'000), std::nullopt);
  // Once expired, the timestamp window already refuses the old request: the nonce is free.
  EXPECT_EQ(claim("ch_a", "n-1", kStart + 301'000, kStart + 602'000), 1);
  EXPECT_EQ(claim("ch_a", "n-1", kStart + 302'000, kStart + 603'000), std::nullopt);
}

TEST_F(NonceStoreTest, R_S2_NoncesBelongToTheirClient) {
  EXPECT_TRUE(claim("ch_a", "n-1", kStart, kStart + 301'000));
  EXPECT_TRUE(claim("ch_b", "n-1", kStart, kStart + 301'000));
  // The pair is joined unambiguously: "ch_a" + "bn" is not "ch_ab" + "n".
  EXPECT_TRUE(claim("ch_ab", "n", kStart, kStart + 301'000));
  EXPECT_TRUE(claim("ch_a", "bn", kStart, kStart + 301'000));
}

// Without a journal (tests, tools): only what was signed since the store began.
TEST_F(NonceStoreTest, R_S2_RemembersOnlyWhatWasSignedSinceCreation) {
  EXPECT_FALSE(store_.remembers(kStart / 1000 - 1));
  EXPECT_TRUE(store_.remembers(kStart / 1000));
  EXPECT_TRUE(store_.remembers(kStart / 1000 + 300));
}

TEST_F(NonceStoreTest, ExpiredNoncesArePurged) {
  for (int i = 0; i < 1000; ++i)
    claim("ch_a", "n-" + std::to_string(i), kStart + i, kStart + 301'000 + i);
  EXPECT_EQ(store_.size(), 1000u);
  // A claim purges its shard's generations whose nonces have all expired; a thousand
  // claims reach all 16 shards (the chance that one is missed is about 1e-27).
  for (int i = 0; i < 1000; ++i)
    claim("ch_a", "later-" + std::to_string(i), kStart + 303'000, kStart + 604'000);
  EXPECT_EQ(store_.size(), 1000u);
  EXPECT_EQ(claim("ch_a", "later-0", kStart + 303'001, kStart + 604'001), std::nullopt);
}

TEST_F(NonceStoreTest, R_S4_CountsPerKeyInFixedWindows) {
  EXPECT_EQ(claim("ch_a", "n-1", kStart, kStart + 301'000), 1);
  EXPECT_EQ(claim("ch_a", "n-2", kStart + 10, kStart + 301'000), 2);
  EXPECT_EQ(claim("ch_b", "n-3", kStart + 20, kStart + 301'000), 1);
  // A replay is not counted.
  EXPECT_EQ(claim("ch_a", "n-2", kStart + 30, kStart + 301'000), std::nullopt);
  EXPECT_EQ(claim("ch_a", "n-4", kStart + 40, kStart + 301'000), 3);
  const std::int64_t next_window = kStart - kStart % kWindow + kWindow;
  EXPECT_EQ(claim("ch_a", "n-5", next_window, next_window + 301'000), 1);
}

TEST_F(NonceStoreTest, R_S2_ConcurrentClaimsOfOneNonceSucceedOnce) {
  std::atomic<int> granted = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i)
        granted += claim("ch_a", "n-" + std::to_string(i), kStart, kStart + 301'000).has_value();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), 500);
}

// One server process after another on the same data folder, with its clock and boot.
class NonceJournalTest : public ::testing::Test {
 protected:
  NonceJournalTest() { crypto::initialize_sodium(); }

  std::unique_ptr<NonceStore> start(const std::string& boot = "boot-1") {
    auto store = std::make_unique<NonceStore>(clock_.now_ms());
    store->open_journal(dir_.path() / "nonces", clock_, boot);
    return store;
  }
  // A signed request's claim as ClientService makes it, `ahead_s` seconds in the future.
  std::optional<std::int64_t> claim(NonceStore& store, const std::string& nonce,
                                    std::int64_t ahead_s = 0) {
    const auto now = clock_.now_ms();
    const auto expires = (now / 1000 + ahead_s + limits::kSignatureWindowSeconds + 1) * 1000;
    return store.claim_and_count("ch_a", nonce, now, expires, "client:ch_a", kWindow);
  }
  std::size_t files() const {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path() / "nonces")) {
      n += e.path().filename().string().starts_with("journal-");
    }
    return n;
  }

  testing::TempDir dir_;
  ManualClock clock_{kStart};
};

// Finding 9: a request signed 120 s ahead, answered, was answered again after a restart.
TEST_F(NonceJournalTest, R_S2_ANonceAnsweredBeforeARestartIsAReplayAfterIt) {
  auto first = start();
  EXPECT_EQ(claim(*first, "future-120", 120), 1);
  first->close_journal();
  first.reset();
  clock_.advance_ms(2000);
  auto second = start();
  EXPECT_EQ(claim(*second, "future-120", 120), std::nullopt) << "replayed after a clean restart";
  EXPECT_TRUE(second->remembers(clock_.now_seconds() - limits::kSignatureWindowSeconds))
      << "a clean restart refuses nothing";
  EXPECT_EQ(claim(*second, "fresh-1"), 1);
}

// A killed process: every write(2) reached the kernel, so nothing is lost or refused.
TEST_F(NonceJournalTest, R_S2_NoncesSurviveACrashOfTheProcess) {
  auto first = start();
  EXPECT_EQ(claim(*first, "before-kill", 120), 1);
  first->journal()->abandon();
  first.reset();
  auto second = start("boot-1");
  EXPECT_EQ(claim(*second, "before-kill", 120), std::nullopt);
  EXPECT_TRUE(second->remembers(clock_.now_seconds()));
  EXPECT_TRUE(second->remembers(clock_.now_seconds() - limits::kSignatureWindowSeconds));
}

// A crash of the machine may lose what was written after the last sync: the next start
// refuses every timestamp such a request could have had, and a clean restart soon after
// still does.
TEST_F(NonceJournalTest, R_S2_AfterACrashOfTheMachineWhatTheLastSyncMayHaveLostIsRefused) {
  auto first = start();
  first->journal()->sync();
  const auto synced_s = clock_.now_seconds();
  clock_.advance_ms(400);
  EXPECT_EQ(claim(*first, "after-sync", 120), 1);
  first->journal()->abandon();
  first.reset();
  clock_.advance_ms(5000);
  auto second = start("boot-2");
  const auto bound =
      synced_s + limits::kSignatureWindowSeconds + limits::kNonceJournalSyncMs / 1000 + 1;
  EXPECT_FALSE(second->remembers(synced_s + 120));
  EXPECT_FALSE(second->remembers(bound));
  EXPECT_TRUE(second->remembers(bound + 1));
  second->close_journal();
  second.reset();
  auto third = start("boot-2");
  EXPECT_FALSE(third->remembers(bound)) << "the bound outlives a clean restart within the window";
  EXPECT_TRUE(third->remembers(bound + 1));
}

// The first start on a data folder an earlier essc served (no journal folder) knows
// nothing of the process before: the second it starts in is refused too, which closes
// the one-second gap of the in-memory store.
TEST_F(NonceJournalTest, R_S2_AFirstStartAfterAnUpgradeRefusesWhatWasSignedUpToItsSecond) {
  auto store = start();
  EXPECT_FALSE(store->remembers(clock_.now_seconds()));
  EXPECT_TRUE(store->remembers(clock_.now_seconds() + 1));
}

// `essc init` makes the folder: a new data folder's first server refuses nothing.
TEST_F(NonceJournalTest, R_S2_ANewDataFoldersFirstStartRefusesNothing) {
  std::filesystem::create_directories(dir_.path() / "nonces");
  auto store = start();
  EXPECT_TRUE(store->remembers(clock_.now_seconds() - limits::kSignatureWindowSeconds));
}

TEST_F(NonceJournalTest, FilesRotateAndAreRemovedOnceTheirNoncesExpired) {
  auto store = start();
  EXPECT_EQ(files(), 1u);
  for (int minute = 0; minute < 40; ++minute) {
    EXPECT_EQ(claim(*store, "n-" + std::to_string(minute)), 1);
    clock_.advance_ms(60'000);
    store->journal()->sync();
  }
  EXPECT_LE(files(), 4u) << "old files are removed";
  EXPECT_GE(files(), 2u);
  store->close_journal();
  store.reset();
  auto next = start();
  EXPECT_EQ(claim(*next, "n-39"), std::nullopt) << "the newest nonces are still loaded";
  EXPECT_EQ(claim(*next, "n-0"), 1) << "long expired";
}

// A process killed in the middle of a write leaves a torn last line: it is skipped, and
// every complete record before it still counts.
TEST_F(NonceJournalTest, R_S2_ATornLastRecordIsSkipped) {
  auto first = start();
  EXPECT_EQ(claim(*first, "whole-1"), 1);
  first->journal()->abandon();
  first.reset();
  for (const auto& e : std::filesystem::directory_iterator(dir_.path() / "nonces")) {
    if (e.path().filename().string().starts_with("journal-"))
      std::ofstream(e.path(), std::ios::app) << "N 99999999999999 ch_a tor";
  }
  auto second = start();
  EXPECT_EQ(claim(*second, "whole-1"), std::nullopt);
  EXPECT_EQ(claim(*second, "tor"), 1);
  EXPECT_TRUE(second->remembers(clock_.now_seconds()));
}

// A journal file that cannot be read would forget its nonces, which could then be
// replayed: the start fails instead, and leaves the folder to the next attempt.
TEST_F(NonceJournalTest, R_S2_AJournalFileThatCannotBeReadStopsTheStart) {
  auto first = start();
  EXPECT_EQ(claim(*first, "n-1"), 1);
  first.reset();
  const auto unreadable = dir_.path() / "nonces" / "journal-0000000000000001.log";
  std::filesystem::create_directory(unreadable);  // open(2) takes it, read(2) fails
  NonceStore second(clock_.now_ms());
  EXPECT_THROW(second.open_journal(dir_.path() / "nonces", clock_, "boot-1"), std::runtime_error);
  std::filesystem::remove(unreadable);
  auto third = start();
  EXPECT_EQ(claim(*third, "n-1"), std::nullopt);
}

TEST_F(NonceJournalTest, OneServerAtATimeUsesAJournal) {
  auto store = start();
  NonceStore other(clock_.now_ms());
  EXPECT_THROW(other.open_journal(dir_.path() / "nonces", clock_, "boot-1"), std::runtime_error);
}

TEST_F(NonceJournalTest, TheJournalIsPrivate) {
  auto store = start();
  EXPECT_EQ(claim(*store, "n-1"), 1);
  const auto folder = std::filesystem::status(dir_.path() / "nonces").permissions();
  EXPECT_EQ(folder & std::filesystem::perms::all, std::filesystem::perms::owner_all);
  for (const auto& e : std::filesystem::directory_iterator(dir_.path() / "nonces")) {
    if (!e.path().filename().string().starts_with("journal-")) continue;
    EXPECT_EQ(e.status().permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
}

}  // namespace
}  // namespace essc::store
