#include "store/verification_repository.hpp"

namespace essc::store {
namespace {

constexpr char kInsert[] =
    "INSERT INTO verifications (verification_id, client_id, purpose, person_id, card_no, "
    "binding_id, "
    "verified_level, face_attempts, factor_attempts, otp_hash, otp_sent_at_ms, otp_expires_at_ms, "
    "otp_attempts, "
    "consumed, expires_at_ms, created_at_ms, risk_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?)";
constexpr char kFind[] =
    "SELECT verification_id, client_id, purpose, person_id, card_no, binding_id, verified_level, "
    "face_attempts, "
    "factor_attempts, otp_hash, otp_sent_at_ms, otp_expires_at_ms, otp_attempts, consumed, "
    "expires_at_ms, "
    "created_at_ms, risk_id FROM verifications WHERE verification_id = ?";
constexpr char kUpdate[] =
    "UPDATE verifications SET verified_level = ?, face_attempts = ?, factor_attempts = ?, otp_hash "
    "= ?, "
    "otp_sent_at_ms = ?, otp_expires_at_ms = ?, otp_attempts = ?, consumed = ? WHERE "
    "verification_id = ?";
constexpr char kSmsSent[] = "SELECT sent FROM sms_daily_counts WHERE phone_index = ? AND day = ?";
constexpr char kCountSms[] =
    "INSERT INTO sms_daily_counts (phone_index, day, sent) VALUES (?, ?, 1) "
    "ON CONFLICT (phone_index, day) DO UPDATE SET sent = sms_daily_counts.sent + 1";
constexpr char kDailyChecks[] =
    "SELECT checks FROM daily_checks WHERE person_id = ? AND kind = ? AND day = ?";
constexpr char kCountCheck[] =
    "INSERT INTO daily_checks (person_id, kind, day, checks) VALUES (?, ?, ?, 1) "
    "ON CONFLICT (person_id, kind, day) DO UPDATE SET checks = daily_checks.checks + 1";
constexpr char kUncountCheck[] =
    "UPDATE daily_checks SET checks = checks - 1 WHERE person_id = ? AND kind = ? AND day = ? AND "
    "checks > 0";

}  // namespace

void insert_verification(Connection& c, const domain::Verification& v) {
  auto& s = c.prepare(kInsert);
  s.bind_all(v.verification_id, v.client_id, domain::to_string(v.purpose), v.person_id, v.card_no,
             v.binding_id, v.verified_level, v.face_attempts, v.factor_attempts);
  s.bind_optional_blob(10, v.otp_hash);
  s.bind(11, v.otp_sent_at_ms)
      .bind(12, v.otp_expires_at_ms)
      .bind(13, v.otp_attempts)
      .bind(14, v.consumed);
  s.bind(15, v.expires_at_ms).bind(16, v.created_at_ms).bind(17, v.risk_id).run();
}

std::optional<domain::Verification> find_verification(Connection& c,
                                                      std::string_view verification_id) {
  return c.prepare(kFind).bind_all(verification_id).first([](const Statement& s) {
    domain::Verification v;
    v.verification_id = s.text(0);
    v.client_id = s.text(1);
    v.purpose = domain::parse_verification_purpose(s.text(2)).value();
    v.person_id = s.int64(3);
    v.card_no = s.text(4);
    v.binding_id = s.optional_text(5);
    v.verified_level = s.optional_int64(6);
    v.face_attempts = s.int64(7);
    v.factor_attempts = s.int64(8);
    v.otp_hash = s.optional_blob(9);
    v.otp_sent_at_ms = s.optional_int64(10);
    v.otp_expires_at_ms = s.optional_int64(11);
    v.otp_attempts = s.int64(12);
    v.consumed = s.int64(13) != 0;
    v.expires_at_ms = s.int64(14);
    v.created_at_ms = s.int64(15);
    v.risk_id = s.optional_text(16);
    return v;
  });
}

void update_verification(Connection& c, const domain::Verification& v) {
  auto& s = c.prepare(kUpdate);
  s.bind_all(v.verified_level, v.face_attempts, v.factor_attempts);
  s.bind_optional_blob(4, v.otp_hash);
  s.bind(5, v.otp_sent_at_ms)
      .bind(6, v.otp_expires_at_ms)
      .bind(7, v.otp_attempts)
      .bind(8, v.consumed);
  s.bind(9, v.verification_id).run();
}

std::int64_t sms_sent_on(Connection& c, std::string_view phone_index, std::string_view day) {
  auto& s = c.prepare(kSmsSent);
  s.bind_blob(1, phone_index).bind(2, day);
  return s.first([](const Statement& row) { return row.int64(0); }).value_or(0);
}

void count_sms_sent(Connection& c, std::string_view phone_index, std::string_view day) {
  c.prepare(kCountSms).bind_blob(1, phone_index).bind(2, day).run();
}

std::string_view to_string(DailyCheck kind) {
  switch (kind) {
    case DailyCheck::kFourFactor:
      return "four_factor";
    case DailyCheck::kCardPin:
      return "card_pin";
    case DailyCheck::kBankDebit:
      return "bank_debit";
  }
  return "";
}

std::int64_t daily_checks_on(Connection& c, std::int64_t person_id, DailyCheck kind,
                             std::string_view day) {
  return c.prepare(kDailyChecks)
      .bind_all(person_id, to_string(kind), day)
      .first([](const Statement& s) { return s.int64(0); })
      .value_or(0);
}

void count_daily_check(Connection& c, std::int64_t person_id, DailyCheck kind,
                       std::string_view day) {
  c.prepare(kCountCheck).bind_all(person_id, to_string(kind), day).run();
}

void uncount_daily_check(Connection& c, std::int64_t person_id, DailyCheck kind,
                         std::string_view day) {
  c.prepare(kUncountCheck).bind_all(person_id, to_string(kind), day).run();
}

}  // namespace essc::store
