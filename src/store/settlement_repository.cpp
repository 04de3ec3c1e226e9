#include "store/settlement_repository.hpp"

#include "store/audit_log.hpp"

namespace essc::store {
namespace {

#define ESSC_SETTLEMENT_COLUMNS                                                                    \
  "settlement_id, institution_id, order_id, request_hash, binding_id, person_id, visit, "          \
  "total_fen, "                                                                                    \
  "fund_fen, account_fen, self_pay_fen, deductible_part_fen, self_pay_method, balance_after_fen, " \
  "year, "                                                                                         \
  "day, at_ms, refunded_at_ms, refund_reason, insured_region, treatment_region"

// The log indices of the entries that audit the settlement and its refund (R-S8), once
// sequenced.
#define ESSC_SETTLEMENT_AUDIT_INDICES                                               \
  ", (SELECT seq FROM audit_entries WHERE entry_id = settlements.audit_entry_id), " \
  "(SELECT seq FROM audit_entries WHERE entry_id = settlements.refund_audit_entry_id)"

#define ESSC_INSERT_AUDITED_BY(entry)                                                      \
  "INSERT INTO settlements (" ESSC_SETTLEMENT_COLUMNS                                      \
  ", audit_entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " \
  "?, " entry ")"
constexpr char kInsertPostgres[] = ESSC_INSERT_AUDITED_BY(ESSC_LAST_AUDIT_ENTRY_POSTGRES);
constexpr char kInsertSqlite[] = ESSC_INSERT_AUDITED_BY(ESSC_LAST_AUDIT_ENTRY_SQLITE);
#undef ESSC_INSERT_AUDITED_BY
constexpr char kFind[] = "SELECT " ESSC_SETTLEMENT_COLUMNS ESSC_SETTLEMENT_AUDIT_INDICES
                         " FROM settlements WHERE settlement_id = ?";
constexpr char kByOrder[] = "SELECT " ESSC_SETTLEMENT_COLUMNS ESSC_SETTLEMENT_AUDIT_INDICES
                            " FROM settlements WHERE institution_id = ? AND order_id = ?";
constexpr char kOfDay[] =
    "SELECT " ESSC_SETTLEMENT_COLUMNS ESSC_SETTLEMENT_AUDIT_INDICES
    " FROM settlements WHERE institution_id = ? AND day = ? ORDER BY at_ms, settlement_id";
constexpr char kAuditIndices[] = "SELECT settlement_id" ESSC_SETTLEMENT_AUDIT_INDICES
                                 " FROM settlements WHERE settlement_id = ?";
#undef ESSC_SETTLEMENT_AUDIT_INDICES
#undef ESSC_SETTLEMENT_COLUMNS
constexpr char kRecordDebit[] =
    "UPDATE settlements SET bank_account_sealed = ? WHERE settlement_id = ?";
constexpr char kDebitAccount[] =
    "SELECT bank_account_sealed FROM settlements WHERE settlement_id = ?";
constexpr char kAccountField[] = "bank_account_no";
#define ESSC_REFUND_AUDITED_BY(entry)                                                            \
  "UPDATE settlements SET refunded_at_ms = ?, refund_reason = ?, refund_audit_entry_id = " entry \
  " WHERE settlement_id = ? AND refunded_at_ms IS NULL"
constexpr char kRefundPostgres[] = ESSC_REFUND_AUDITED_BY(ESSC_LAST_AUDIT_ENTRY_POSTGRES);
constexpr char kRefundSqlite[] = ESSC_REFUND_AUDITED_BY(ESSC_LAST_AUDIT_ENTRY_SQLITE);
#undef ESSC_REFUND_AUDITED_BY
// CAST: PostgreSQL's SUM of a BIGINT is a NUMERIC.
constexpr char kClearing[] =
    "SELECT insured_region, treatment_region, "
    "CAST(SUM(CASE WHEN refunded_at_ms IS NULL THEN 1 ELSE 0 END) AS BIGINT), "
    "CAST(SUM(CASE WHEN refunded_at_ms IS NULL THEN 0 ELSE 1 END) AS BIGINT), "
    "CAST(SUM(CASE WHEN refunded_at_ms IS NULL THEN fund_fen ELSE 0 END) AS BIGINT), "
    "CAST(SUM(CASE WHEN refunded_at_ms IS NULL THEN account_fen ELSE 0 END) AS BIGINT) "
    "FROM settlements WHERE day = ? GROUP BY insured_region, treatment_region ORDER BY "
    "insured_region, treatment_region";
constexpr char kCountOfPerson[] =
    "SELECT COUNT(*) FROM settlements WHERE person_id = ? AND day = ?";
constexpr char kInsertItem[] =
    "INSERT INTO settlement_items (settlement_id, line, person_id, code, quantity, "
    "quantity_over, day) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kFlags[] =
    "SELECT code, quantity_over FROM settlement_items WHERE settlement_id = ? AND "
    "quantity_over > 0 ORDER BY line";
constexpr char kBoughtSince[] =
    "SELECT CAST(COALESCE(SUM(i.quantity), 0) AS BIGINT) FROM settlement_items i JOIN "
    "settlements s ON s.settlement_id = i.settlement_id WHERE i.person_id = ? AND i.code = ? "
    "AND i.day >= ? AND s.refunded_at_ms IS NULL";
constexpr char kYear[] =
    "SELECT deductible_used_fen, fund_paid_fen FROM medical_years WHERE person_id = ? AND year = ?";
constexpr char kAddYear[] =
    "INSERT INTO medical_years (person_id, year, deductible_used_fen, fund_paid_fen) VALUES (?, ?, "
    "?, ?) "
    "ON CONFLICT (person_id, year) DO UPDATE SET deductible_used_fen = "
    "medical_years.deductible_used_fen + "
    "excluded.deductible_used_fen, fund_paid_fen = medical_years.fund_paid_fen + "
    "excluded.fund_paid_fen";

domain::Settlement from_row(const Statement& s) {
  return {s.text(0),
          s.text(1),
          s.text(2),
          s.blob(3),
          s.text(4),
          s.int64(5),
          domain::parse_visit(s.text(6)).value(),
          s.int64(7),
          s.int64(8),
          s.int64(9),
          s.int64(10),
          s.int64(11),
          domain::parse_self_pay_method(s.text(12)).value(),
          s.int64(13),
          s.int64(14),
          s.text(15),
          s.int64(16),
          s.optional_int64(17),
          s.optional_text(18),
          s.text(19),
          s.text(20),
          s.optional_int64(21),
          s.optional_int64(22),
          {}};
}

}  // namespace

void insert_settlement(Connection& c, const domain::Settlement& r) {
  auto& s = c.prepare(c.dialect() == Dialect::kPostgres ? kInsertPostgres : kInsertSqlite);
  s.bind_all(r.settlement_id, r.institution_id, r.order_id);
  s.bind_blob(4, r.request_hash);
  s.bind(5, r.binding_id)
      .bind(6, r.person_id)
      .bind(7, domain::to_string(r.visit))
      .bind(8, r.total_fen)
      .bind(9, r.fund_fen);
  s.bind(10, r.account_fen)
      .bind(11, r.self_pay_fen)
      .bind(12, r.deductible_part_fen)
      .bind(13, domain::to_string(r.self_pay_method));
  s.bind(14, r.balance_after_fen)
      .bind(15, r.year)
      .bind(16, r.day)
      .bind(17, r.at_ms)
      .bind(18, r.refunded_at_ms);
  s.bind(19, r.refund_reason).bind(20, r.insured_region).bind(21, r.treatment_region).run();
}

void read_audit_indices(Connection& c, domain::Settlement& s) {
  (void)c.prepare(kAuditIndices).bind_all(s.settlement_id).first([&](const Statement& row) {
    s.audit_index = row.optional_int64(1);
    s.refund_audit_index = row.optional_int64(2);
    return true;
  });
}

// Lines of one code are one flag, as the settlement's answer gave it.
std::optional<domain::Settlement> with_flags(Connection& c, std::optional<domain::Settlement> s) {
  if (!s) return s;
  auto& q = c.prepare(kFlags).bind_all(s->settlement_id);
  while (q.step()) domain::add_quantity_over(s->quantity_flags, q.text(0), q.int64(1));
  return s;
}

std::optional<domain::Settlement> find_settlement(Connection& c, std::string_view settlement_id) {
  return with_flags(c, c.prepare(kFind).bind_all(settlement_id).first(from_row));
}

std::optional<domain::Settlement> find_settlement_by_order(Connection& c,
                                                           std::string_view institution_id,
                                                           std::string_view order_id) {
  return with_flags(c, c.prepare(kByOrder).bind_all(institution_id, order_id).first(from_row));
}

void record_settlement_debit(Connection& c, const crypto::PiiVault& vault,
                             std::string_view settlement_id, std::string_view account_no) {
  auto& s = c.prepare(kRecordDebit);
  s.bind_blob(1, vault.seal(kAccountField, account_no)).bind(2, settlement_id).run();
}

std::optional<std::string> settlement_debit_account(Connection& c, const crypto::PiiVault& vault,
                                                    std::string_view settlement_id) {
  const auto sealed =
      c.prepare(kDebitAccount).bind_all(settlement_id).first([](const Statement& s) {
        return s.optional_blob(0);
      });
  if (!sealed || !*sealed) return std::nullopt;
  return vault.open(kAccountField, **sealed);
}

void mark_refunded(Connection& c, std::string_view settlement_id, std::int64_t at_ms,
                   std::string_view reason) {
  c.prepare(c.dialect() == Dialect::kPostgres ? kRefundPostgres : kRefundSqlite)
      .bind_all(at_ms, reason, settlement_id)
      .run();
}

std::vector<domain::Settlement> settlements_of_day(Connection& c, std::string_view institution_id,
                                                   std::string_view day) {
  std::vector<domain::Settlement> out;
  auto& s = c.prepare(kOfDay).bind_all(institution_id, day);
  while (s.step()) out.push_back(from_row(s));
  return out;
}

std::vector<domain::ClearingLine> clearing_of_day(Connection& c, std::string_view day) {
  std::vector<domain::ClearingLine> out;
  auto& s = c.prepare(kClearing).bind_all(day);
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.int64(2), s.int64(3), s.int64(4), s.int64(5)});
  return out;
}

namespace {

Statement& count_of_person(Connection& c, std::int64_t person_id, std::string_view day) {
  return c.prepare(kCountOfPerson).bind_all(person_id, day);
}

}  // namespace

std::int64_t settlements_of_person_on(Connection& c, std::int64_t person_id, std::string_view day) {
  return count_of_person(c, person_id, day)
      .first([](const Statement& s) { return s.int64(0); })
      .value_or(0);
}

void send_settlements_of_person_on_ahead(Connection& c, std::int64_t person_id,
                                         std::string_view day) {
  count_of_person(c, person_id, day).send_ahead();
}

void insert_settlement_items(Connection& c, const domain::Settlement& s,
                             const std::vector<domain::BillItem>& items,
                             const std::vector<std::int64_t>& units_outside) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto over = units_outside.empty() ? 0 : units_outside[i];
    c.prepare(kInsertItem)
        .bind_all(s.settlement_id, static_cast<std::int64_t>(i), s.person_id, items[i].code,
                  items[i].quantity, over, s.day)
        .run();
  }
}

std::int64_t quantity_bought_since(Connection& c, std::int64_t person_id, std::string_view code,
                                   std::string_view first_day) {
  return c.prepare(kBoughtSince)
      .bind_all(person_id, code, first_day)
      .first([](const Statement& s) { return s.int64(0); })
      .value_or(0);
}

namespace {

Statement& year_of(Connection& c, std::int64_t person_id, std::int64_t year) {
  return c.prepare(kYear).bind_all(person_id, year);
}

}  // namespace

domain::YearFigures year_figures(Connection& c, std::int64_t person_id, std::int64_t year) {
  return year_of(c, person_id, year)
      .first([](const Statement& s) {
        return domain::YearFigures{s.int64(0), s.int64(1)};
      })
      .value_or(domain::YearFigures{});
}

void send_year_figures_ahead(Connection& c, std::int64_t person_id, std::int64_t year) {
  year_of(c, person_id, year).send_ahead();
}

void add_year_figures(Connection& c, std::int64_t person_id, std::int64_t year,
                      std::int64_t deductible_delta_fen, std::int64_t fund_delta_fen) {
  c.prepare(kAddYear).bind_all(person_id, year, deductible_delta_fen, fund_delta_fen).run();
}

}  // namespace essc::store
