#include "crypto/sodium.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <thread>
#include <vector>

namespace essc::crypto {
namespace {

TEST(Sodium, InitializeIsIdempotent) {
  initialize_sodium();
  initialize_sodium();
  // sodium_init returns 1 when the library is already initialised.
  EXPECT_EQ(sodium_init(), 1);
}

TEST(Sodium, InitializeFromManyThreads) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) threads.emplace_back([] { initialize_sodium(); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(sodium_init(), 1);
}

}  // namespace
}  // namespace essc::crypto
