#include "store/account_repository.hpp"

#include <tuple>
#include <utility>

namespace essc::store {
namespace {

constexpr char kBalance[] = "SELECT balance_fen FROM medical_accounts WHERE person_id = ?";
// Both answer the balance they leave, so a movement reads its account once. A debit only
// ever meets an existing account (callers check the balance first), and an INSERT of a
// negative row would trip the CHECK before ON CONFLICT is considered.
#define ESSC_CREDIT                                                                   \
  "INSERT INTO medical_accounts (person_id, balance_fen) VALUES (?, ?) "              \
  "ON CONFLICT (person_id) DO UPDATE SET balance_fen = medical_accounts.balance_fen " \
  "+ excluded.balance_fen RETURNING balance_fen"
#define ESSC_DEBIT                                                                           \
  "UPDATE medical_accounts SET balance_fen = balance_fen + ? WHERE person_id = ? RETURNING " \
  "balance_fen"
#define ESSC_INTO_MOVEMENTS                                                               \
  "INSERT INTO account_movements (person_id, kind, amount_fen, balance_after_fen, memo, " \
  "reference, at_ms) "
// On PostgreSQL the account's change and its movement are one statement, one round trip
// (SQLite's WITH takes no INSERT or UPDATE, and its statements cost none).
#define ESSC_RECORDED(change)                         \
  "WITH account AS (" change ") " ESSC_INTO_MOVEMENTS \
  "SELECT ?, ?, ?, balance_fen, ?, ?, ? FROM account RETURNING movement_id, balance_after_fen"

constexpr char kUpsert[] = ESSC_CREDIT;
constexpr char kDebit[] = ESSC_DEBIT;
constexpr char kInsertMovement[] =
    ESSC_INTO_MOVEMENTS "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING movement_id";
constexpr char kCreditRecorded[] = ESSC_RECORDED(ESSC_CREDIT);
constexpr char kDebitRecorded[] = ESSC_RECORDED(ESSC_DEBIT);

#undef ESSC_RECORDED
#undef ESSC_INTO_MOVEMENTS
#undef ESSC_DEBIT
#undef ESSC_CREDIT

constexpr char kMovementByReference[] =
    "SELECT movement_id, kind, amount_fen, balance_after_fen, memo, at_ms FROM account_movements "
    "WHERE reference = ?";
constexpr char kInsertBenefit[] =
    "INSERT INTO benefits (benefit_id, person_id, card_no, kind, period, amount_fen, at_ms) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kFindBenefit[] =
    "SELECT benefit_id, person_id, card_no, kind, period, amount_fen, at_ms FROM benefits "
    "WHERE person_id = ? AND kind = ? AND period = ?";

Statement& balance_of(Connection& c, std::int64_t person_id) {
  return c.prepare(kBalance).bind_all(person_id);
}

}  // namespace

std::int64_t medical_balance_fen(Connection& c, std::int64_t person_id) {
  return balance_of(c, person_id).first([](const Statement& s) { return s.int64(0); }).value_or(0);
}

void send_medical_balance_ahead(Connection& c, std::int64_t person_id) {
  balance_of(c, person_id).send_ahead();
}

domain::AccountMovement apply_medical_movement(Connection& c, std::int64_t person_id,
                                               std::string_view kind, std::int64_t amount_fen,
                                               std::string_view memo,
                                               std::optional<std::string_view> reference,
                                               std::int64_t at_ms) {
  const auto no_account = [] {
    return StoreError(StoreError::Kind::kOther, "a debit of an account never credited");
  };
  const auto credit = amount_fen >= 0;
  std::int64_t movement_id = 0;
  std::int64_t balance = 0;
  if (c.dialect() == Dialect::kPostgres) {
    auto& both = credit ? c.prepare(kCreditRecorded).bind_all(person_id, amount_fen)
                        : c.prepare(kDebitRecorded).bind_all(amount_fen, person_id);
    const auto recorded = both.bind(3, person_id)
                              .bind(4, kind)
                              .bind(5, amount_fen)
                              .bind(6, memo)
                              .bind(7, reference)
                              .bind(8, at_ms)
                              .first([](const Statement& s) {
                                return std::pair{s.int64(0), s.int64(1)};
                              });
    if (!recorded) throw no_account();
    std::tie(movement_id, balance) = *recorded;
  } else {
    auto& change = credit ? c.prepare(kUpsert).bind_all(person_id, amount_fen)
                          : c.prepare(kDebit).bind_all(amount_fen, person_id);
    const auto changed = change.first([](const Statement& s) { return s.int64(0); });
    if (!changed) throw no_account();
    balance = *changed;
    movement_id = *c.prepare(kInsertMovement)
                       .bind_all(person_id, kind, amount_fen, balance, memo, reference, at_ms)
                       .first([](const Statement& s) { return s.int64(0); });
  }
  return {movement_id, std::string(kind), amount_fen, balance, std::string(memo), at_ms};
}

std::optional<domain::AccountMovement> find_movement_by_reference(Connection& c,
                                                                  std::string_view reference) {
  return c.prepare(kMovementByReference).bind_all(reference).first([](const Statement& s) {
    return domain::AccountMovement{s.int64(0), s.text(1), s.int64(2),
                                   s.int64(3), s.text(4), s.int64(5)};
  });
}

void insert_benefit(Connection& c, const domain::Benefit& b) {
  c.prepare(kInsertBenefit)
      .bind_all(b.benefit_id, b.person_id, b.card_no, b.kind, b.period, b.amount_fen, b.at_ms)
      .run();
}

std::optional<domain::Benefit> find_benefit(Connection& c, std::int64_t person_id,
                                            std::string_view kind, std::string_view period) {
  return c.prepare(kFindBenefit).bind_all(person_id, kind, period).first([](const Statement& s) {
    return domain::Benefit{s.text(0), s.int64(1), s.text(2), s.text(3),
                           s.text(4), s.int64(5), s.int64(6)};
  });
}

}  // namespace essc::store
