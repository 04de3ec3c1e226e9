// The cache of decoded client records (ClientCache): what one server writes holds on
// the next request of every other server on the store, and a write that rolls back
// leaves no trace in any cache (R-S2).
#include "store/client_repository.hpp"

#include <gtest/gtest.h>

#include "support/test_platform.hpp"

namespace essc::store {
namespace {

domain::Client channel(std::string id) {
  domain::Client c;
  c.client_id = std::move(id);
  c.name = "政务APP";
  c.channel_type = domain::ChannelType::kGov;
  c.secret = std::string(64, 'a');
  c.requests_per_minute = 6000;
  return c;
}

class ClientCacheTest : public ::testing::Test {
 protected:
  // Each server has its own cache; both read one store.
  std::optional<domain::Client> find_on(Database& db, const ClientCache& cache,
                                        std::string_view id) {
    return db.read([&](Connection& c) { return cache.find(c, id); });
  }
  void write(Database& db, const std::function<void(Connection&)>& f) {
    ASSERT_TRUE(db.write<bool>([&](Connection& c) -> Result<bool> {
                    f(c);
                    return true;
                  }).ok());
  }

  testing::TestPlatform t_;
  std::unique_ptr<Database> second_db_ = t_.open_database();
  ClientCache first_{t_.vault()};
  ClientCache second_{t_.vault()};
};

TEST_F(ClientCacheTest, R_S2_ASuspensionOnOneServerHoldsOnTheNextRequestOfAnother) {
  write(t_.ctx().db, [&](Connection& c) { insert_client(c, t_.vault(), channel("ch_cache_a")); });
  ASSERT_FALSE(
      find_on(*second_db_, second_, "ch_cache_a")->suspended);  // now cached on the second server
  ASSERT_FALSE(find_on(*second_db_, second_, "ch_cache_a")->suspended);

  write(t_.ctx().db, [&](Connection& c) { set_client_suspended(c, "ch_cache_a", true); });
  EXPECT_TRUE(find_on(*second_db_, second_, "ch_cache_a")->suspended);

  write(*second_db_, [&](Connection& c) {
    set_client_secret(c, t_.vault(), "ch_cache_a", std::string(64, 'b'));
  });
  EXPECT_EQ(find_on(t_.ctx().db, first_, "ch_cache_a")->secret, std::string(64, 'b'));
  EXPECT_TRUE(find_on(t_.ctx().db, first_, "ch_cache_a")->suspended);
}

TEST_F(ClientCacheTest, R_S2_AWriteThatRollsBackLeavesTheCommittedRecord) {
  write(t_.ctx().db, [&](Connection& c) { insert_client(c, t_.vault(), channel("ch_cache_b")); });
  ASSERT_FALSE(find_on(t_.ctx().db, first_, "ch_cache_b")->suspended);
  // Suspended and read back inside the write, which then gives up.
  ASSERT_FALSE(t_.ctx()
                   .db
                   .write<bool>([&](Connection& c) -> Result<bool> {
                     set_client_suspended(c, "ch_cache_b", true);
                     EXPECT_TRUE(first_.find(c, "ch_cache_b")->suspended);
                     return Error(ErrorCode::kConflict, "given up");
                   })
                   .ok());
  EXPECT_FALSE(find_on(t_.ctx().db, first_, "ch_cache_b")->suspended);
  EXPECT_FALSE(find_on(*second_db_, second_, "ch_cache_b")->suspended);
}

TEST_F(ClientCacheTest, UnknownClientsAreNotCached) {
  EXPECT_FALSE(find_on(t_.ctx().db, first_, "ch_cache_c").has_value());
  write(*second_db_, [&](Connection& c) { insert_client(c, t_.vault(), channel("ch_cache_c")); });
  EXPECT_TRUE(find_on(t_.ctx().db, first_, "ch_cache_c").has_value());
}

}  // namespace
}  // namespace essc::store
