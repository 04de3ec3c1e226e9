#include "store/card_repository.hpp"

#include <algorithm>

#include "store/ecard_repository.hpp"
#include "store/person_repository.hpp"
#include "store/sealed_column.hpp"

namespace essc::store {
namespace {

#define ESSC_CARD_COLUMNS                                                                 \
  "card_no, person_id, status, region_code, bank_code, hr_pin_hash, financial_pin_hash, " \
  "financial_active, bank_account_sealed, reserved_phone_sealed, replaces_card_no, "      \
  "created_at_ms, updated_at_ms"

constexpr char kInsert[] =
    "INSERT INTO cards (" ESSC_CARD_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kUpdate[] =
    "UPDATE cards SET status = ?, hr_pin_hash = ?, financial_pin_hash = ?, financial_active = ?, "
    "bank_account_sealed = ?, reserved_phone_sealed = ?, updated_at_ms = ? WHERE card_no = ?";
constexpr char kFind[] = "SELECT " ESSC_CARD_COLUMNS " FROM cards WHERE card_no = ?";
constexpr char kLive[] = "SELECT " ESSC_CARD_COLUMNS
                         " FROM cards WHERE person_id = ? AND status NOT IN ('cancelled', "
                         "'replaced')";
constexpr char kLatest[] = "SELECT " ESSC_CARD_COLUMNS
                           " FROM cards WHERE person_id = ? ORDER BY created_at_ms DESC, "
                           "rowid DESC LIMIT 1";
// Live first (false sorts before true on both engines), then the latest: one statement
// where the two lookups would be two round trips on PostgreSQL.
constexpr char kCurrent[] = "SELECT " ESSC_CARD_COLUMNS
                            " FROM cards WHERE person_id = ? ORDER BY status IN ('cancelled', "
                            "'replaced'), created_at_ms DESC, rowid DESC LIMIT 1";
constexpr char kExists[] = "SELECT 1 FROM cards WHERE card_no = ?";

// How many columns a list of them names, so that the decoders' offsets follow the lists.
constexpr int column_count(std::string_view columns) {
  return 1 + static_cast<int>(std::count(columns.begin(), columns.end(), ','));
}
constexpr int kBindingColumns = column_count(kBindingJoinedColumns);
constexpr int kCardColumns = column_count(ESSC_CARD_COLUMNS);

// binding_from_row and card_from_row read exactly these many: a column added to a list
// alone fails here.
static_assert(kBindingColumns == 7 && kCardColumns == 13);

// The binding's columns, the card's, then the holder's.
const std::string& binding_with_holder_sql() {
  static const std::string sql = [] {
    std::string cards = "c." ESSC_CARD_COLUMNS;
    for (auto at = cards.find(", "); at != std::string::npos; at = cards.find(", ", at + 4))
      cards.replace(at, 2, ", c.");
    return "SELECT " + std::string(kBindingJoinedColumns) + ", " + cards + ", " +
           std::string(kPersonJoinedColumns) +
           " FROM bindings b JOIN ecards e ON e.ecard_id = b.ecard_id JOIN cards c ON c.card_no = "
           "e.card_no "
           "JOIN persons p ON p.person_id = c.person_id WHERE b.binding_id = ?";
  }();
  return sql;
}

#undef ESSC_CARD_COLUMNS

domain::Card card_from_row(const crypto::PiiVault& vault, const Statement& s, int first = 0) {
  domain::Card card;
  card.card_no = s.text(first);
  card.person_id = s.int64(first + 1);
  card.status = domain::parse_card_status(s.text(first + 2)).value();
  card.region_code = s.text(first + 3);
  card.bank_code = s.text(first + 4);
  card.hr_pin_hash = s.optional_text(first + 5);
  card.financial_pin_hash = s.optional_text(first + 6);
  card.financial_active = s.int64(first + 7) != 0;
  if (auto sealed = s.optional_blob(first + 8))
    card.bank_account_no = vault.open("bank_account_no", *sealed).value();
  if (auto sealed = s.optional_blob(first + 9))
    card.reserved_phone = vault.open("reserved_phone", *sealed).value();
  card.replaces_card_no = s.optional_text(first + 10);
  card.created_at_ms = s.int64(first + 11);
  card.updated_at_ms = s.int64(first + 12);
  return card;
}

}  // namespace

void insert_card(Connection& c, const crypto::PiiVault& vault, const domain::Card& card) {
  auto& s = c.prepare(kInsert);
  s.bind_all(card.card_no, card.person_id, domain::to_string(card.status), card.region_code,
             card.bank_code, card.hr_pin_hash, card.financial_pin_hash, card.financial_active);
  bind_sealed(s, 9, vault, "bank_account_no", card.bank_account_no);
  bind_sealed(s, 10, vault, "reserved_phone", card.reserved_phone);
  s.bind(11, card.replaces_card_no).bind(12, card.created_at_ms).bind(13, card.updated_at_ms);
  s.run();
}

void update_card(Connection& c, const crypto::PiiVault& vault, const domain::Card& card) {
  auto& s = c.prepare(kUpdate);
  s.bind_all(domain::to_string(card.status), card.hr_pin_hash, card.financial_pin_hash,
             card.financial_active);
  bind_sealed(s, 5, vault, "bank_account_no", card.bank_account_no);
  bind_sealed(s, 6, vault, "reserved_phone", card.reserved_phone);
  s.bind(7, card.updated_at_ms).bind(8, card.card_no);
  s.run();
}

std::optional<domain::Card> find_card(Connection& c, const crypto::PiiVault& vault,
                                      std::string_view card_no) {
  auto& s = c.prepare(kFind);
  s.bind(1, card_no);
  return s.first([&](const Statement& row) { return card_from_row(vault, row); });
}

std::optional<domain::Card> find_live_card(Connection& c, const crypto::PiiVault& vault,
                                           std::int64_t person_id) {
  auto& s = c.prepare(kLive);
  s.bind(1, person_id);
  return s.first([&](const Statement& row) { return card_from_row(vault, row); });
}

std::optional<domain::Card> find_latest_card(Connection& c, const crypto::PiiVault& vault,
                                             std::int64_t person_id) {
  auto& s = c.prepare(kLatest);
  s.bind(1, person_id);
  return s.first([&](const Statement& row) { return card_from_row(vault, row); });
}

std::optional<domain::Card> find_current_card(Connection& c, const crypto::PiiVault& vault,
                                              std::int64_t person_id) {
  auto& s = c.prepare(kCurrent);
  s.bind(1, person_id);
  return s.first([&](const Statement& row) { return card_from_row(vault, row); });
}

bool card_exists(Connection& c, std::string_view card_no) {
  auto& s = c.prepare(kExists);
  s.bind(1, card_no);
  return s.first([](const Statement&) { return true; }).has_value();
}

std::optional<BindingAndHolder> find_binding_with_holder(Connection& c,
                                                         const crypto::PiiVault& vault,
                                                         std::string_view binding_id) {
  return c.prepare(binding_with_holder_sql().c_str())
      .bind_all(binding_id)
      .first([&](const Statement& row) {
        return BindingAndHolder{binding_from_row(row), card_from_row(vault, row, kBindingColumns),
                                person_from_row(vault, row, kBindingColumns + kCardColumns)};
      });
}

void send_binding_with_holder_ahead(Connection& c, std::string_view binding_id) {
  c.prepare(binding_with_holder_sql().c_str()).bind_all(binding_id).send_ahead();
}

}  // namespace essc::store
