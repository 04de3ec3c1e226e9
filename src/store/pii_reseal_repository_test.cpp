// Re-sealing after a PII key rotation (R-S9), on both engines: batches walk every sealed
// table, move what the retired key sealed to the current one and nothing else, record
// their progress, and leave every field readable once the retired key is gone. The list
// of sealed columns re-sealing walks is the schema's, every `*_sealed` column.
#include "store/pii_reseal_repository.hpp"

#include <gtest/gtest.h>

#include <set>

#include "store/card_repository.hpp"
#include "store/client_repository.hpp"
#include "store/person_repository.hpp"
#include "support/store_rows.hpp"

namespace essc::store {
namespace {

using testing::read_rows;
using testing::write_rows;

constexpr char kSqliteSealedColumns[] =
    "SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p "
    "WHERE m.type = 'table' AND p.name LIKE '%\\_sealed' ESCAPE '\\'";
constexpr char kPostgresSealedColumns[] =
    "SELECT table_name || '.' || column_name FROM information_schema.columns "
    "WHERE table_schema = current_schema() AND column_name LIKE '%\\_sealed' ESCAPE '\\'";

std::size_t sealed_tables_count() {
  std::set<std::string> tables;
  for (const auto& column : sealed_columns()) tables.insert(column.substr(0, column.find('.')));
  return tables.size();
}

class PiiResealTest : public ::testing::Test {
 protected:
  ResealBatch batch(int rows) {
    ResealBatch out;
    EXPECT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                  out = reseal_next_batch(c, t_.vault(), rows);
                }).ok());
    return out;
  }
  // Batches until every table is done; the batches it took.
  int reseal_all(int rows) {
    for (int batches = 1; batches < 1000; ++batches) {
      if (batch(rows).all_done) return batches;
    }
    ADD_FAILURE() << "re-sealing never finished";
    return 0;
  }

  testing::TestPlatform t_;
  const std::string old_key_ = std::string(32, '\x11');
  const std::string new_key_ = std::string(32, '\x77');
};

TEST_F(PiiResealTest, R_S9_EverySealedColumnOfTheSchemaIsWalked) {
  const bool postgres = t_.postgres_schema().has_value();
  const auto columns = read_rows(t_.ctx().db, [&](Connection& c) {
    std::set<std::string> out;
    auto& s = c.prepare(postgres ? kPostgresSealedColumns : kSqliteSealedColumns);
    while (s.step()) out.insert(s.text(0));
    return out;
  });
  ASSERT_FALSE(columns.empty());
  const auto walked = sealed_columns();
  EXPECT_EQ(columns, std::set<std::string>(walked.begin(), walked.end()));
}

TEST_F(PiiResealTest, R_S9_ResealingMovesEveryFieldToTheNewKeyAndResumesFromItsCursor) {
  t_.vault().set_encryption_keys(old_key_, {});
  std::vector<domain::Person> people;
  for (int n = 1; n <= 5; ++n) people.push_back(testing::stored_person(t_, n));
  const auto channel = testing::stored_channel(t_, 1);
  const auto card = testing::stored_card(t_, people.front().person_id, 1);

  t_.vault().set_encryption_keys(new_key_, {old_key_});
  const auto key_id = t_.vault().key_id();
  const auto first = batch(2);
  EXPECT_EQ(first.table, "persons");
  EXPECT_EQ(first.checked, 2);
  EXPECT_EQ(first.resealed, 6);  // ID number, name and phone of two persons
  EXPECT_FALSE(first.all_done);
  const auto progress =
      read_rows(t_.ctx().db, [&](Connection& c) { return reseal_progress(c, key_id); });
  ASSERT_EQ(progress.size(), sealed_tables_count());
  EXPECT_EQ(progress[0].checked, 2);
  EXPECT_FALSE(progress[0].done);
  EXPECT_EQ(progress[1].checked, 0);

  reseal_all(2);
  const auto after =
      read_rows(t_.ctx().db, [&](Connection& c) { return reseal_progress(c, key_id); });
  std::int64_t resealed = 0;
  for (const auto& table : after) {
    EXPECT_TRUE(table.done) << table.table;
    EXPECT_EQ(table.unreadable, 0) << table.table;
    resealed += table.resealed;
  }
  // 5 persons × 3, the card's account and reserved phone, the channel's secret.
  EXPECT_EQ(resealed, 5 * 3 + 2 + 1);
  EXPECT_TRUE(batch(2).all_done);  // nothing more to do under this key

  t_.vault().set_encryption_keys(new_key_, {});  // the retired key is gone
  for (const auto& p : people) {
    const auto got = read_rows(
        t_.ctx().db, [&](Connection& c) { return find_person(c, t_.vault(), p.person_id); });
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->id_number, p.id_number);
    EXPECT_EQ(got->name, p.name);
    EXPECT_EQ(got->phone, p.phone);
  }
  const auto got_channel = read_rows(
      t_.ctx().db, [&](Connection& c) { return find_client(c, t_.vault(), channel.client_id); });
  ASSERT_TRUE(got_channel.has_value());
  EXPECT_EQ(got_channel->secret, channel.secret);
  const auto got_card =
      read_rows(t_.ctx().db, [&](Connection& c) { return find_card(c, t_.vault(), card.card_no); });
  ASSERT_TRUE(got_card.has_value());
  EXPECT_EQ(got_card->bank_account_no, card.bank_account_no);
  EXPECT_EQ(got_card->reserved_phone, card.reserved_phone);
}

TEST_F(PiiResealTest, R_S9_AValueNoKeyOpensIsCountedAndLeftAsItIs) {
  t_.vault().set_encryption_keys(std::string(32, '\x33'), {});
  testing::stored_person(t_, 1);
  t_.vault().set_encryption_keys(new_key_, {old_key_});  // neither sealed that person
  reseal_all(10);
  const auto progress = read_rows(
      t_.ctx().db, [&](Connection& c) { return reseal_progress(c, t_.vault().key_id()); });
  EXPECT_EQ(progress[0].unreadable, 3);
  EXPECT_EQ(progress[0].resealed, 0);
}

}  // namespace
}  // namespace essc::store
