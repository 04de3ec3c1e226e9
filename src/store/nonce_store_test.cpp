// The in-memory nonce set and rate counters behind R-S2 and R-S4.
#include "store/nonce_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "crypto/sodium.hpp"

namespace essc::store {
namespace {

constexpr std::int64_t kStart = 1'780'000'000'000;
constexpr std::int64_t kWindow = 60'000;

class NonceStoreTest : public ::testing::Test {
 protected:
  NonceStoreTest() { crypto::initialize_sodium(); }
  std::optional<std::int64_t> claim(const std::string& client, const std::string& nonce, std::int64_t now,
                                    std::int64_t expires) {
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

TEST_F(NonceStoreTest, R_S2_RemembersOnlyWhatWasSignedSinceCreation) {
  EXPECT_FALSE(store_.remembers(kStart / 1000 - 1));
  EXPECT_TRUE(store_.remembers(kStart / 1000));
  EXPECT_TRUE(store_.remembers(kStart / 1000 + 300));
}

TEST_F(NonceStoreTest, ExpiredNoncesArePurged) {
  for (int i = 0; i < 1000; ++i) claim("ch_a", "n-" + std::to_string(i), kStart + i, kStart + 301'000 + i);
  EXPECT_EQ(store_.size(), 1000u);
  // A claim purges its shard's generations whose nonces have all expired; a thousand
  // claims reach all 16 shards (the chance that one is missed is about 1e-27).
  for (int i = 0; i < 1000; ++i) claim("ch_a", "later-" + std::to_string(i), kStart + 303'000, kStart + 604'000);
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
      for (int i = 0; i < 500; ++i) granted += claim("ch_a", "n-" + std::to_string(i), kStart, kStart + 301'000).has_value();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), 500);
}

}  // namespace
}  // namespace essc::store
