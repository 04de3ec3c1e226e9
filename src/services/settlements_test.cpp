// Using the e-card on a real SQLite file: sessions, single-use QR codes, identity
// checks and medical-insurance settlement to the fen (R-U1…R-U5, R-S4; POLICY.md).
#include "services/settlements.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <map>
#include <thread>

#include "common/clock.hpp"
#include "common/limits.hpp"
#include "crypto/encoding.hpp"
#include "domain/client.hpp"
#include "domain/operator.hpp"
#include "services/platform.hpp"
#include "services/regions.hpp"
#include "services/stats.hpp"
#include "store/account_repository.hpp"
#include "store/audit_log.hpp"
#include "store/bank_transfer_repository.hpp"
#include "store/person_repository.hpp"
#include "store/record_repository.hpp"
#include "store/risk_event_repository.hpp"
#include "store/settlement_repository.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

using domain::CardAction;
using domain::ItemCategory;
using domain::OperatorRole;

constexpr char kAccount[] = "6222021234567890128";
constexpr char kReservedPhone[] = "13900139000";
constexpr char kPassword[] = "258147";

class UseTest : public ::testing::Test {
 protected:
  UseTest() {
    clerk_ = Actor::of_operator(t_.make_operator("clerk", domain::OperatorRole::kHrClerk));
    auto teller =
        Actor::of_operator(t_.make_operator("teller", domain::OperatorRole::kBankTeller, "NBCB"));
    channel_ = *p().clients.add(Actor::command_line(), {"channel", "政务APP", "gov", std::nullopt,
                                                        std::nullopt, std::nullopt});
    pharmacy_ = institution("pharmacy");
    hospital_ = institution("hospital");
    hall_ = institution("service_hall");
    id_ = testing::make_id_number("33020219900307123");
    EXPECT_TRUE(
        p().registry.add_person(clerk_, {"张三", id_, "330200", std::nullopt, true, true}).ok());
    card_no_ = p().registry.issue_card(clerk_, id_, "NBCB")->card.card_no;
    EXPECT_TRUE(p().registry.apply(clerk_, card_no_, CardAction::kCollect).ok());
    EXPECT_TRUE(p().registry.activate(clerk_, card_no_, "975310").ok());
    EXPECT_TRUE(
        p().registry.activate_financial(teller, card_no_, {kAccount, kReservedPhone, "864200"})
            .ok());
    EXPECT_TRUE(
        p().accounts.credit_medical(clerk_, {id_, 100000, "个人账户划入", std::nullopt}).ok());
    auto v = p().verifications.start(channel_, {"issue", "张三", id_, std::nullopt, std::nullopt});
    EXPECT_TRUE(
        p().verifications.face(channel_, v->verification_id, crypto::to_base64("face")).ok());
    binding_ = p().ecards.issue(channel_, v->verification_id, kPassword)->binding.binding_id;
    session_ = p().usage.open_session(channel_, binding_, kPassword)->token;
  }

  domain::Client institution(const std::string& type,
                             const std::string& region = testing::kNingbo) {
    return *p().clients.add(Actor::command_line(),
                            {"institution", type, std::nullopt, type, region, std::nullopt});
  }
  Platform& p() { return t_.platform(); }
  std::vector<store::DueBankTransfer> due_transfers() {
    return t_.ctx().db.read(
        [&](store::Connection& c) { return store::due_bank_transfers(c, t_.vault()); });
  }

  std::string code(const std::string& purpose = "payment") {
    auto holder = p().usage.authenticate_session(channel_, binding_, session_);
    EXPECT_TRUE(holder.ok());
    return p().usage.issue_qr(*holder, purpose)->token;
  }

  SettlementRequest worked_example(const std::string& order_id) {
    return {code(),
            order_id,
            "outpatient",
            {{"A1", "甲类", ItemCategory::kA, 1, 20000},
             {"B1", "乙类", ItemCategory::kB, 1, 50000},
             {"C1", "丙类", ItemCategory::kC, 1, 10000}},
            false};
  }

  // R-E4: the SMS check to the bank-reserved phone lifts the binding to level 2.
  void upgrade_to_level_two() {
    const auto vid =
        p().verifications
            .start(channel_, {"upgrade", std::nullopt, std::nullopt, binding_, std::nullopt})
            ->verification_id;
    ASSERT_TRUE(p().verifications.send_sms(channel_, vid, kAccount, kReservedPhone).ok());
    const auto text = t_.sms().messages_to(kReservedPhone).front().text;
    ASSERT_TRUE(p().verifications.verify_sms(channel_, vid, testing::sms_code_in(text)).ok());
    ASSERT_TRUE(p().ecards.upgrade(channel_, binding_, vid).ok());
  }

  SettlementRequest bank_paid(const std::string& token, const std::string& order_id,
                              std::int64_t self_pay_fen) {
    return {token, order_id, "pharmacy", {{"C1", "丙类", ItemCategory::kC, 1, self_pay_fen}}, true};
  }

  std::int64_t balance() {
    return t_.ctx().db.read([&](store::Connection& c) {
      return store::medical_balance_fen(c, p().ecards.get(channel_, binding_)->person.person_id);
    });
  }

  testing::TestPlatform t_;
  Actor clerk_;
  domain::Client channel_, pharmacy_, hospital_, hall_;
  std::string id_, card_no_, binding_, session_;
};

TEST_F(UseTest, R_U1_SessionsNeedThePasswordAndExpireAfterTenMinutes) {
  EXPECT_EQ(p().usage.open_session(channel_, binding_, "369258").error().code,
            ErrorCode::kPasswordIncorrect);
  EXPECT_TRUE(p().usage.authenticate_session(channel_, binding_, session_).ok());
  EXPECT_EQ(p().usage.authenticate_session(channel_, binding_, "forged").error().code,
            ErrorCode::kSessionInvalid);
  t_.clock().advance_ms(limits::kEcardSessionMs);
  EXPECT_EQ(p().usage.authenticate_session(channel_, binding_, session_).error().code,
            ErrorCode::kSessionInvalid);
}

// R-U1, R-L1: a suspended e-card opens a session to read (its inbox says why), but no
// session of it serves a use: no code, no card face.
TEST_F(UseTest, R_U1_R_L1_ASuspendedEcardsSessionReadsButServesNoUse) {
  ASSERT_TRUE(p().registry.apply(clerk_, card_no_, CardAction::kReportLoss).ok());
  const auto reading = p().usage.open_session(channel_, binding_, kPassword);
  ASSERT_TRUE(reading.ok());
  EXPECT_TRUE(
      p().usage.authenticate_session(channel_, binding_, reading->token, BindingUse::kRead).ok());
  EXPECT_EQ(p().usage.authenticate_session(channel_, binding_, session_).error().code,
            ErrorCode::kEcardSuspended);
  EXPECT_EQ(p().usage.authenticate_session(channel_, binding_, reading->token).error().code,
            ErrorCode::kEcardSuspended);
}

// R-F3: a member's code stands for the member, at level 1: a holder's level 2 is not the
// member's, and an institution must not be told it is.
TEST_F(UseTest, R_F3_R_U3_AMembersCodeShowsTheMembersLevelNotTheHolders) {
  upgrade_to_level_two();
  const auto child = testing::make_id_number("33020220200601002");
  ASSERT_TRUE(
      p().registry.add_person(clerk_, {"张小花", child, "330200", std::nullopt, true, true}).ok());
  const auto card = p().registry.issue_card(clerk_, child, "NBCB")->card.card_no;
  ASSERT_TRUE(p().registry.apply(clerk_, card, CardAction::kCollect).ok());
  ASSERT_TRUE(p().registry.activate(clerk_, card, "975310").ok());
  const auto holder = p().usage.authenticate_session(channel_, binding_, session_);
  ASSERT_TRUE(holder.ok());
  ASSERT_EQ(holder->binding.level, 2);
  const auto member = p().family.add(channel_, *holder, {"张小花", child, "child", std::nullopt});
  ASSERT_TRUE(member.ok());
  const auto identity =
      p().usage.verify_identity(hall_, p().family.issue_qr(*holder, member->id, "identity")->token);
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->name_masked, "**花");
  EXPECT_EQ(identity->level, 1);
  EXPECT_EQ(p().usage.verify_identity(hall_, code("identity"))->level, 2);
}

TEST_F(UseTest, R_U2_R_U3_IdentityCodeIsMaskedSingleUseAndTimed) {
  const auto token = code("identity");
  auto identity = p().usage.verify_identity(hall_, token);
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->name_masked, "*三");
  EXPECT_EQ(identity->id_number_masked, id_.substr(0, 3) + "***********" + id_.substr(14));
  EXPECT_EQ(identity->level, 1);
  EXPECT_EQ(p().usage.verify_identity(hall_, token).error().code, ErrorCode::kQrUsed);
  EXPECT_EQ(p().usage.verify_identity(hall_, code("payment")).error().code,
            ErrorCode::kQrPurposeMismatch);
  const auto late = code("identity");
  t_.clock().advance_ms(limits::kQrTtlSeconds * 1000);
  EXPECT_EQ(p().usage.verify_identity(hall_, late).error().code, ErrorCode::kQrExpired);
  EXPECT_EQ(p().usage.verify_identity(hall_, "ESSC1.e30.AAAA").error().code, ErrorCode::kQrInvalid);
}

// An institution saw the same `sub` on every code of a cardholder and could link visits.
TEST_F(UseTest, R_U2_TwoCodesOfOneCardholderShareNoSubject) {
  const auto first = t_.qr().verify(code());
  const auto second = t_.qr().verify(code());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->subject, second->subject);
  EXPECT_NE(first->token_id, second->token_id);
}

// Each issued code was a durable row: a write job on every refresh of every open app.
TEST_F(UseTest, R_U2_IssuingACodeWritesNothing) {
  auto holder = p().usage.authenticate_session(channel_, binding_, session_);
  ASSERT_TRUE(holder.ok());
  const auto before = t_.ctx().db.jobs_committed();
  for (const char* purpose : {"identity", "payment", "payment"})
    ASSERT_TRUE(p().usage.issue_qr(*holder, purpose).ok());
  EXPECT_EQ(t_.ctx().db.jobs_committed(), before);
  EXPECT_TRUE(p().usage.verify_identity(hall_, code("identity")).ok());
}

// The code carries its binding for consumption, enciphered: a reader of the payload
// learns nothing that names the binding.
TEST_F(UseTest, R_U2_CodeCarriesItsBindingOnlyEnciphered) {
  const auto token = code();
  const auto payload = crypto::from_base64url(token.substr(6, token.rfind('.') - 6));
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(payload->find(binding_), std::string::npos);
  const auto claims = t_.qr().verify(token);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->reference.find(binding_), std::string::npos);
  EXPECT_EQ(claims->reference.find("bd_"), std::string::npos);
}

// Single use under parallel scans: the use is a row keyed by the token id, inserted in
// the consuming transaction, so of eight institutions scanning one code at once one wins.
TEST_F(UseTest, R_U2_ParallelScansOfOneCodeUseItOnce) {
  const auto token = code("identity");
  std::atomic<int> ok{0}, used{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = p().usage.verify_identity(hall_, token);
      if (r.ok()) {
        ++ok;
      } else {
        ++(r.error().code == ErrorCode::kQrUsed ? used : other);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(used.load(), 7);
  EXPECT_EQ(other.load(), 0);
}

// A used code is remembered, under its person, until it could no longer be accepted on
// any server's clock; then it is purged.
TEST_F(UseTest, R_U2_UsedCodesAreRememberedUntilAfterExpiry) {
  const auto used_rows = [&] {
    return t_.ctx().db.read([&](store::Connection& c) {
      return *c.prepare("SELECT COUNT(*), MIN(person_id) FROM used_qr_tokens")
                  .first([](const store::Statement& s) {
                    return std::pair<std::int64_t, std::int64_t>{s.int64(0),
                                                                 s.is_null(1) ? 0 : s.int64(1)};
                  });
    });
  };
  const auto token = code("identity");
  ASSERT_TRUE(p().usage.verify_identity(hall_, token).ok());
  EXPECT_EQ(used_rows(),
            std::make_pair(std::int64_t{1}, p().ecards.get(channel_, binding_)->person.person_id));
  t_.clock().advance_ms(limits::kQrTtlSeconds * 1000 + limits::kQrUsedTokenKeptAfterExpiryMs -
                        1000);
  ASSERT_TRUE(p().usage.open_session(channel_, binding_, kPassword).ok());
  EXPECT_EQ(used_rows().first, 1);
  t_.clock().advance_ms(2000);
  ASSERT_TRUE(p().usage.open_session(channel_, binding_, kPassword).ok());
  EXPECT_EQ(used_rows().first, 0);
}

TEST_F(UseTest, R_U4_WorkedExampleToTheFen) {
  auto settled = p().settlements.settle(hospital_, worked_example("order-1"));
  ASSERT_TRUE(settled.ok());
  const auto& s = settled->settlement;
  EXPECT_EQ(s.total_fen, 80000);
  EXPECT_EQ(s.fund_fen, 3000);
  EXPECT_EQ(s.account_fen, 67000);
  EXPECT_EQ(s.self_pay_fen, 10000);
  EXPECT_EQ(s.balance_after_fen, 33000);
  EXPECT_EQ(balance(), 33000);
  const auto figures = t_.ctx().db.read(
      [&](store::Connection& c) { return store::year_figures(c, s.person_id, 2026); });
  EXPECT_EQ(figures.deductible_used_fen, 60000);
  EXPECT_EQ(figures.fund_paid_fen, 3000);
}

TEST_F(UseTest, R_U4_OrderIdMakesItIdempotent) {
  const auto request = worked_example("order-2");
  auto first = p().settlements.settle(hospital_, request);
  ASSERT_TRUE(first.ok());
  auto again = p().settlements.settle(hospital_, request);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->settlement.settlement_id, first->settlement.settlement_id);
  EXPECT_EQ(balance(), 33000);
  auto other = request;
  other.items[0].quantity = 2;
  EXPECT_EQ(p().settlements.settle(hospital_, other).error().code, ErrorCode::kIdempotencyMismatch);
}

// The code's signature is checked before the settling transaction; its refusals still
// come after the order id's replay, so a retry after the code expired, or with a code
// that no longer verifies, answers the settlement it made.
TEST_F(UseTest, R_U4_ReplayAfterTheCodeExpiredAnswersTheSettlement) {
  const auto request = worked_example("order-late");
  ASSERT_TRUE(p().settlements.settle(hospital_, request).ok());
  t_.clock().advance_ms(limits::kQrTtlSeconds * 1000 * 5);
  auto replay = p().settlements.settle(hospital_, request);
  ASSERT_TRUE(replay.ok()) << error_code_name(replay.error().code);
  EXPECT_TRUE(replay->replayed);
  auto forged = request;
  forged.qr_token = "ESSC1.e30.AAAA";
  EXPECT_EQ(p().settlements.settle(hospital_, forged).error().code,
            ErrorCode::kIdempotencyMismatch);
  EXPECT_EQ(balance(), 33000);
}

TEST_F(UseTest, R_U4_ConcurrentDuplicatesSettleOnce) {
  const auto request = worked_example("order-dup");
  std::vector<std::thread> threads;
  std::atomic<int> fresh{0}, replayed{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = p().settlements.settle(hospital_, request);
      ASSERT_TRUE(r.ok()) << error_code_name(r.error().code);
      (r->replayed ? replayed : fresh)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(fresh.load(), 1);
  EXPECT_EQ(replayed.load(), 7);
  EXPECT_EQ(balance(), 33000);
}

TEST_F(UseTest, R_U4_BalanceStaysExactUnderAConcurrentBurst) {
  std::vector<SettlementRequest> requests;
  for (int i = 0; i < 12; ++i) {
    requests.push_back({code(),
                        "burst-" + std::to_string(i),
                        "pharmacy",
                        {{"A1", "药", ItemCategory::kA, 1, 9000}},
                        false});
  }
  std::vector<std::thread> threads;
  std::atomic<std::int64_t> paid{0};
  for (const auto& r : requests) {
    threads.emplace_back([&, r] {
      auto s = p().settlements.settle(pharmacy_, r);
      ASSERT_TRUE(s.ok());
      paid += s->settlement.account_fen;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(paid.load(), 100000);  // 11 × 9000 + 1000: the account never goes below zero
  EXPECT_EQ(balance(), 0);
}

TEST_F(UseTest, R_U4_RefundReversesExactlyOnce) {
  auto settled = p().settlements.settle(hospital_, worked_example("order-3"));
  ASSERT_TRUE(settled.ok());
  auto refunded = p().settlements.refund(hospital_, settled->settlement.settlement_id, "退药");
  ASSERT_TRUE(refunded.ok());
  EXPECT_EQ(balance(), 100000);
  const auto figures = t_.ctx().db.read([&](store::Connection& c) {
    return store::year_figures(c, settled->settlement.person_id, 2026);
  });
  EXPECT_EQ(figures.deductible_used_fen, 0);
  EXPECT_EQ(figures.fund_paid_fen, 0);
  EXPECT_EQ(
      p().settlements.refund(hospital_, settled->settlement.settlement_id, "again").error().code,
      ErrorCode::kAlreadyRefunded);
  EXPECT_EQ(
      p().settlements.refund(pharmacy_, settled->settlement.settlement_id, "not mine").error().code,
      ErrorCode::kNotFound);
}

// Settlements and refunds, settled at once, name the entries that audit them, whose ids
// the writes never read back (store/audit_log.hpp).
TEST_F(UseTest, R_S8_SettlementsAndRefundsNameTheEntriesThatAuditThem) {
  std::vector<SettlementRequest> requests;
  for (int i = 0; i < 8; ++i) {
    requests.push_back({code(),
                        "audited-" + std::to_string(i),
                        "pharmacy",
                        {{"A1", "药", ItemCategory::kA, 1, 900 + i}},
                        false});
  }
  std::vector<std::string> ids(requests.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    threads.emplace_back([&, i] {
      auto settled = p().settlements.settle(pharmacy_, requests[i]);
      ASSERT_TRUE(settled.ok());
      ids[i] = settled->settlement.settlement_id;
      if (i % 2 == 0) {
        ASSERT_TRUE(p().settlements.refund(pharmacy_, ids[i], "退药").ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  t_.sequence_audit();
  const auto entry_at = [&](std::optional<std::int64_t> seq) {
    EXPECT_TRUE(seq.has_value());
    return t_.ctx().db.read([&](store::Connection& c) { return store::audit_entry_at(c, *seq); });
  };
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto s = p().settlements.get(pharmacy_, ids[i]);
    ASSERT_TRUE(s.ok());
    const auto settled = entry_at(s->audit_index);
    ASSERT_TRUE(settled.has_value());
    EXPECT_EQ(settled->action, "settlement.create");
    EXPECT_EQ(settled->target, ids[i]);
    if (i % 2 != 0) {
      EXPECT_FALSE(s->refund_audit_index.has_value());
      continue;
    }
    const auto refunded = entry_at(s->refund_audit_index);
    ASSERT_TRUE(refunded.has_value());
    EXPECT_EQ(refunded->action, "settlement.refund");
    EXPECT_EQ(refunded->target, ids[i]);
  }
}

TEST_F(UseTest, R_U4_ServiceHallCannotSettleAndDayTotalsReconcile) {
  EXPECT_EQ(p().settlements.settle(hall_, worked_example("hall-1")).error().code,
            ErrorCode::kForbidden);
  ASSERT_TRUE(p().settlements.settle(hospital_, worked_example("day-1")).ok());
  auto refunded = p().settlements.settle(hospital_, worked_example("day-2"));
  ASSERT_TRUE(p().settlements.refund(hospital_, refunded->settlement.settlement_id, "退费").ok());
  auto day = p().settlements.day(hospital_, "2026-11-26");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(day->settlements.size(), 2u);
  EXPECT_EQ(day->count, 1);
  EXPECT_EQ(day->refunded_count, 1);
  EXPECT_EQ(day->total_fen, 80000);
  EXPECT_EQ(p().settlements.day(hospital_, "2026-13-01").error().code, ErrorCode::kInvalidRequest);
}

TEST_F(UseTest, R_S4_DailySettlementLimitPerEcard) {
  ASSERT_TRUE(p().accounts.credit_medical(clerk_, {id_, 1000000, "top up", std::nullopt}).ok());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(p().settlements
                    .settle(pharmacy_, {code(),
                                        "v-" + std::to_string(i),
                                        "pharmacy",
                                        {{"A1", "药", ItemCategory::kA, 1, 100}},
                                        false})
                    .ok())
        << i;
  }
  auto refused = p().settlements.settle(
      pharmacy_, {code(), "v-20", "pharmacy", {{"A1", "药", ItemCategory::kA, 1, 100}}, false});
  EXPECT_EQ(refused.error().code, ErrorCode::kRiskVelocityLimit);
}

// Settlements are row-locked writes (READ COMMITTED on PostgreSQL): the person's lock,
// not a serializable snapshot, keeps a burst within the day's limit.
TEST_F(UseTest, R_S4_AConcurrentBurstCannotPassTheDailyLimit) {
  domain::RegionPolicy policy;
  policy.daily_settlement_limit = 3;
  RegionPolicies policies({{"330200", policy}});
  SettlementService regional(t_.clock(), t_.ctx().db, t_.vault(), t_.platform().qr_codes,
                             t_.platform().notifier, t_.platform().bank_transfers, policies);
  const auto retries_before = t_.ctx().db.write_retries();
  std::vector<std::thread> threads;
  std::atomic<int> settled{0};
  std::atomic<int> refused{0};
  constexpr int kBurst = 16;
  std::latch start(kBurst);
  for (int i = 0; i < kBurst; ++i) {
    threads.emplace_back([&, i, token = code()] {
      start.arrive_and_wait();
      auto s = regional.settle(pharmacy_, {token,
                                           "daily-" + std::to_string(i),
                                           "pharmacy",
                                           {{"A1", "药", ItemCategory::kA, 1, 100}},
                                           false});
      if (s.ok()) {
        ++settled;
      } else {
        EXPECT_EQ(s.error().code, ErrorCode::kRiskVelocityLimit) << s.error().detail;
        ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(settled.load(), 3);
  EXPECT_EQ(refused.load(), kBurst - 3);
  EXPECT_EQ(t_.ctx().db.write_retries(), retries_before)
      << "the person's settlements wait for its lock; none is cancelled and run again";
}

TEST_F(UseTest, R_U4_TheCardholdersRegionPolicyApplies) {
  domain::RegionPolicy strict;
  strict.outpatient_fund_ratio_bp = 9000;
  strict.daily_settlement_limit = 1;
  RegionPolicies policies({{"330200", strict}});
  SettlementService regional(t_.clock(), t_.ctx().db, t_.vault(), t_.platform().qr_codes,
                             t_.platform().notifier, t_.platform().bank_transfers, policies);
  auto first = regional.settle(hospital_, worked_example("region-1"));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->settlement.fund_fen, 4500);  // floor(5000 × 0.9)
  EXPECT_EQ(regional.settle(hospital_, worked_example("region-2")).error().code,
            ErrorCode::kRiskVelocityLimit);
}

TEST_F(UseTest, R_U5_SelfPayFromTheBankNeedsLevelTwoAndFunds) {
  auto request = worked_example("bank-1");
  request.self_pay_from_bank = true;
  auto refused = p().settlements.settle(hospital_, request);
  EXPECT_EQ(refused.error().code, ErrorCode::kLevelRequired);
  EXPECT_EQ(refused.error().extras.level_required, 2);

  // Upgrade by the SMS check, then pay: first with an empty account, then funded.
  upgrade_to_level_two();

  request = worked_example("bank-2");
  request.self_pay_from_bank = true;
  EXPECT_EQ(p().settlements.settle(hospital_, request).error().code, ErrorCode::kInsufficientFunds);
  EXPECT_EQ(balance(), 100000) << "nothing recorded when the debit fails";
  t_.bank().fund(kAccount, 50000);
  request = worked_example("bank-3");
  request.self_pay_from_bank = true;
  auto paid = p().settlements.settle(hospital_, request);
  ASSERT_TRUE(paid.ok());
  EXPECT_EQ(paid->settlement.self_pay_method, domain::SelfPayMethod::kBank);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 40000);
  ASSERT_TRUE(p().settlements.refund(hospital_, paid->settlement.settlement_id, "退费").ok());
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 50000);
  EXPECT_TRUE(due_transfers().empty()) << "nothing owed once every call has answered";
}

// POLICY.md "Refund": the bank part goes back to the account that paid it, also after the
// card was replaced (the new card has no financial function yet) or cancelled.
TEST_F(UseTest, R_U4_R_U5_ARefundCreditsTheDebitedAccountAfterAReplacementOrCancellation) {
  upgrade_to_level_two();
  t_.bank().fund(kAccount, 10000);
  const auto pay = [&](const std::string& order) {
    auto paid = p().settlements.settle(pharmacy_, bank_paid(code(), order, 5000));
    EXPECT_TRUE(paid.ok());
    return paid->settlement.settlement_id;
  };
  const auto before_replacement = pay("bank-replaced");
  const auto before_cancellation = pay("bank-cancelled");
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 0);

  const auto new_card = p().registry.replace(clerk_, card_no_);
  ASSERT_TRUE(new_card.ok());
  ASSERT_TRUE(p().settlements.refund(pharmacy_, before_replacement, "退药").ok());
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 5000);

  ASSERT_TRUE(p().registry.apply(clerk_, new_card->card.card_no, CardAction::kCancel).ok());
  ASSERT_TRUE(p().settlements.refund(pharmacy_, before_cancellation, "退药").ok());
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 10000);
  EXPECT_EQ(t_.bank().movements_fen(kAccount),
            (std::vector<std::int64_t>{-5000, -5000, 5000, 5000}));
  EXPECT_TRUE(due_transfers().empty());
}

// The bank-balance oracle: a pharmacy holding a used, mis-purposed, expired or suspended
// code learned the exact balance by bisection (QR_USED at 123456 fen, INSUFFICIENT_FUNDS
// at 123457) and left a debit and a reversal on the account for every probe. Every
// refusal must come before the bank is touched, and be the same whatever the amount.
TEST_F(UseTest, R_U5_RefusedBankSettlementsMoveNoMoneyAndNeverDependOnTheAmount) {
  upgrade_to_level_two();
  t_.bank().fund(kAccount, 123456);
  const auto statement = t_.bank().movements_fen(kAccount);
  const auto probe = [&](const std::string& token, const std::string& order) {
    const auto low = p().settlements.settle(pharmacy_, bank_paid(token, order + "-low", 123456));
    const auto high = p().settlements.settle(pharmacy_, bank_paid(token, order + "-high", 123457));
    EXPECT_FALSE(low.ok());
    EXPECT_FALSE(high.ok());
    if (low.ok() || high.ok()) return ErrorCode::kInternal;
    EXPECT_EQ(low.error().code, high.error().code) << "the refusal depends on the amount";
    return low.error().code;
  };
  const auto used = code();
  ASSERT_TRUE(
      p().settlements
          .settle(pharmacy_,
                  {used, "paid-cash", "pharmacy", {{"A1", "药", ItemCategory::kA, 1, 100}}, false})
          .ok());
  EXPECT_EQ(probe(used, "used"), ErrorCode::kQrUsed);
  EXPECT_EQ(probe(code("identity"), "identity"), ErrorCode::kQrPurposeMismatch);
  const auto late = code();
  t_.clock().advance_ms(limits::kQrTtlSeconds * 1000);
  EXPECT_EQ(probe(late, "late"), ErrorCode::kQrExpired);
  const auto before_loss = code();
  ASSERT_TRUE(p().registry.apply(clerk_, card_no_, CardAction::kReportLoss).ok());
  EXPECT_EQ(probe(before_loss, "lost"), ErrorCode::kEcardSuspended);
  EXPECT_EQ(t_.bank().movements_fen(kAccount), statement)
      << "a refused settlement touched the bank";
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 123456);
  EXPECT_TRUE(due_transfers().empty());
}

// A valid code buys one answer from the bank, not a bisection: INSUFFICIENT_FUNDS uses it up.
TEST_F(UseTest, R_U5_InsufficientFundsUsesTheCodeUp) {
  upgrade_to_level_two();
  t_.bank().fund(kAccount, 1000);
  const auto token = code();
  EXPECT_EQ(p().settlements.settle(pharmacy_, bank_paid(token, "short", 1001)).error().code,
            ErrorCode::kInsufficientFunds);
  EXPECT_EQ(p().settlements.settle(pharmacy_, bank_paid(token, "short-2", 1000)).error().code,
            ErrorCode::kQrUsed);
  EXPECT_TRUE(t_.bank().movements_fen(kAccount).empty());
  EXPECT_TRUE(due_transfers().empty());
}

// Parallel twins of one bank-paid order with one code: one debit, one settlement.
TEST_F(UseTest, R_U5_ConcurrentBankPaidTwinsDebitOnce) {
  upgrade_to_level_two();
  t_.bank().fund(kAccount, 50000);
  const auto request = bank_paid(code(), "bank-twin", 10000);
  std::vector<std::thread> threads;
  std::atomic<int> settled{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back(
        [&] { settled += p().settlements.settle(pharmacy_, request).ok() ? 1 : 0; });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(settled.load(), 1);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 40000);
  EXPECT_EQ(t_.bank().movements_fen(kAccount), std::vector<std::int64_t>{-10000});
  EXPECT_TRUE(due_transfers().empty());
}

// POLICY.md: a pharmacy sells from the personal account; only a hospital's outpatients
// draw on the pooled fund. A pharmacy claiming an outpatient visit got fund money.
TEST_F(UseTest, R_U4_R_S2_APharmacyCannotBillThePooledFund) {
  auto claimed = worked_example("pharmacy-outpatient");
  EXPECT_EQ(p().settlements.settle(pharmacy_, claimed).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(balance(), 100000);
  const auto figures = t_.ctx().db.read([&](store::Connection& c) {
    return store::year_figures(c, p().ecards.get(channel_, binding_)->person.person_id, 2026);
  });
  EXPECT_EQ(figures.fund_paid_fen, 0);
  // Nothing was consumed either: the cardholder's code still pays at the hospital.
  auto at_hospital = p().settlements.settle(
      hospital_, {claimed.qr_token, "h-1", "outpatient", claimed.items, false});
  ASSERT_TRUE(at_hospital.ok());
  EXPECT_EQ(at_hospital->settlement.fund_fen, 3000);
  // A hospital's own dispensary sells like a pharmacy.
  EXPECT_TRUE(
      p().settlements
          .settle(hospital_,
                  {code(), "h-2", "pharmacy", {{"A1", "药", ItemCategory::kA, 1, 100}}, false})
          .ok());
}

TEST_F(UseTest, R_U5_R_U7_ContributionsAndRecords) {
  NewContribution yearly{kPassword, "resident_medical", "2027", 38000};
  auto refused = p().contributions.pay(channel_, binding_, yearly);
  EXPECT_EQ(refused.error().code, ErrorCode::kLevelRequired);
  EXPECT_EQ(refused.error().extras.level_required, 2);
  upgrade_to_level_two();

  EXPECT_EQ(p().contributions.pay(channel_, binding_, yearly).error().code,
            ErrorCode::kInsufficientFunds);
  t_.bank().fund(kAccount, 40000);
  auto wrong = yearly;
  wrong.password = "369258";
  EXPECT_EQ(p().contributions.pay(channel_, binding_, wrong).error().code,
            ErrorCode::kPasswordIncorrect);
  auto paid = p().contributions.pay(channel_, binding_, yearly);
  ASSERT_TRUE(paid.ok());
  EXPECT_FALSE(paid->replayed);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 2000);
  auto again = p().contributions.pay(channel_, binding_, yearly);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 2000);

  // Concurrent twins of one payment take the money once; the others hand theirs back.
  t_.bank().fund(kAccount, 38000);
  NewContribution next_year{kPassword, "resident_medical", "2026", 38000};
  std::vector<std::thread> twins;
  for (int i = 0; i < 4; ++i) {
    twins.emplace_back([&] { (void)p().contributions.pay(channel_, binding_, next_year); });
  }
  for (auto& twin : twins) twin.join();
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 2000);
  EXPECT_EQ(
      p().records.list(channel_, binding_, {"contributions", 0, INT64_MAX, 0, 50})->items.size(),
      2u);

  ASSERT_TRUE(p().settlements.settle(hospital_, worked_example("rec-1")).ok());
  auto settlements = p().records.list(channel_, binding_, {"settlements", 0, INT64_MAX, 0, 50});
  ASSERT_TRUE(settlements.ok());
  ASSERT_EQ(settlements->items.size(), 1u);
  auto contributions = p().records.list(channel_, binding_, {"contributions", 0, INT64_MAX, 0, 50});
  EXPECT_EQ(contributions->items.size(), 2u);  // 2027 and 2026
  auto account = p().records.list(channel_, binding_, {"account", 0, INT64_MAX, 0, 1});
  ASSERT_EQ(account->items.size(), 1u);
  EXPECT_TRUE(account->next_before.has_value());  // the credit is on the next page
  auto auth = p().records.list(channel_, binding_, {"auth", 0, INT64_MAX, 0, 50});
  bool saw_wrong_password = false;
  for (const auto& row : auth->items) {
    for (const auto& [name, value] : row.text)
      saw_wrong_password |= name == "outcome" && value == "PASSWORD_INCORRECT";
  }
  EXPECT_TRUE(saw_wrong_password);
  EXPECT_EQ(p().records.list(channel_, binding_, {"gossip", 0, INT64_MAX, 0, 50}).error().code,
            ErrorCode::kInvalidRequest);
  const auto summary = p().records.account(channel_, binding_);
  EXPECT_EQ(summary->balance_fen, 33000);
  EXPECT_EQ(summary->fund_paid_fen, 3000);
  EXPECT_TRUE(due_transfers().empty()) << "every contribution debit was recorded";
}

// R-X1 ------------------------------------------------------------------------------

// A Ningbo cardholder was settled under the built-in defaults when Ningbo had no policy.
TEST_F(UseTest, R_X1_ARegionWithoutAPolicyIsRefusedNeverSettledUnderAnother) {
  RegionPolicies policies({{testing::kShanghai, domain::RegionPolicy{}}});
  SettlementService shanghai_only(t_.clock(), t_.ctx().db, t_.vault(), t_.platform().qr_codes,
                                  t_.platform().notifier, t_.platform().bank_transfers, policies);
  const auto request = worked_example("uncovered-1");
  const auto refused = shanghai_only.settle(hospital_, request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kRegionNotCovered);
  EXPECT_EQ(balance(), 100000);
  // Nothing was consumed: the code still pays where the region is covered.
  EXPECT_TRUE(p().settlements.settle(hospital_, request).ok());
}

TEST_F(UseTest, R_X1_TheInsuredRegionsPolicyAppliesInAnotherRegion) {
  const auto shanghai_hospital = institution("hospital", testing::kShanghai);
  const auto person_id = p().ecards.get(channel_, binding_)->person.person_id;
  ASSERT_TRUE(
      p().regions.add_filing(clerk_, id_, {testing::kShanghai, "2026-11-01", "2027-04-30"}).ok());
  auto settled = p().settlements.settle(shanghai_hospital, worked_example("sh-1"));
  ASSERT_TRUE(settled.ok()) << error_code_name(settled.error().code);
  // Ningbo's deductible (600 yuan), not Shanghai's (1,500 yuan, which would leave the fund 0).
  EXPECT_EQ(settled->settlement.fund_fen, 3000);
  EXPECT_EQ(settled->settlement.insured_region, testing::kNingbo);
  EXPECT_EQ(settled->settlement.treatment_region, testing::kShanghai);
  const auto stored = t_.ctx().db.read([&](store::Connection& c) {
    return store::find_settlement(c, settled->settlement.settlement_id);
  });
  EXPECT_EQ(stored->insured_region, testing::kNingbo);
  EXPECT_EQ(stored->treatment_region, testing::kShanghai);
  EXPECT_EQ(stored->person_id, person_id);
}

// R-X2 ------------------------------------------------------------------------------

TEST_F(UseTest, R_X2_CrossProvinceOutpatientCareNeedsAFilingCoveringTheDay) {
  const auto shanghai_hospital = institution("hospital", testing::kShanghai);
  const auto shanghai_pharmacy = institution("pharmacy", testing::kShanghai);
  const auto hangzhou_hospital = institution("hospital", "330100");
  auto request = worked_example("sh-out-1");
  EXPECT_EQ(p().settlements.settle(shanghai_hospital, request).error().code,
            ErrorCode::kCrossRegionFilingRequired);
  // A filing for another region, or one that starts tomorrow, does not cover today.
  ASSERT_TRUE(p().regions.add_filing(clerk_, id_, {"110100", "2026-11-01", "2026-12-31"}).ok());
  ASSERT_TRUE(
      p().regions.add_filing(clerk_, id_, {testing::kShanghai, "2026-11-27", "2026-12-31"}).ok());
  EXPECT_EQ(p().settlements.settle(shanghai_hospital, request).error().code,
            ErrorCode::kCrossRegionFilingRequired);
  // Within the province, and at a pharmacy in another, no filing is needed.
  EXPECT_TRUE(p().settlements.settle(hangzhou_hospital, worked_example("hz-out-1")).ok());
  EXPECT_TRUE(
      p().settlements
          .settle(shanghai_pharmacy,
                  {code(), "sh-ph-1", "pharmacy", {{"A1", "药", ItemCategory::kA, 1, 100}}, false})
          .ok());
  const auto filing =
      p().regions.add_filing(clerk_, id_, {testing::kShanghai, "2026-11-26", "2026-11-26"});
  ASSERT_TRUE(filing.ok());
  EXPECT_TRUE(p().settlements.settle(shanghai_hospital, request).ok());
  // Withdrawn at the counter, the filing covers nothing more.
  ASSERT_TRUE(p().regions.remove_filing(clerk_, id_, filing->filing_id).ok());
  EXPECT_EQ(p().settlements.settle(shanghai_hospital, worked_example("sh-out-2")).error().code,
            ErrorCode::kCrossRegionFilingRequired);
  EXPECT_EQ(p().regions.filings(id_)->size(), 2u);
}

// The test clock stands in November 2026 (China Standard Time): resident medical
// insurance is open for 2025 (arrears within twelve months), 2026 and 2027; the flexible
// pension for 2025-11 … 2026-11.
TEST_F(UseTest, R_U5_AContributionPeriodIsARealMonthOrYearTheRegionHasOpen) {
  upgrade_to_level_two();
  t_.bank().fund(kAccount, 1'000'000);
  for (const char* period : {"0000", "1900", "9999-12", "2026-13", "2026-00", "2028", "2024",
                             "2026-12", "2025-10", "26-11", "2026/11", "２０２６"}) {
    const auto refused =
        p().contributions.pay(channel_, binding_, {kPassword, "flexible_pension", period, 96000});
    ASSERT_FALSE(refused.ok()) << period;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidRequest) << period;
    EXPECT_EQ(refused.error().extras.field, "period") << period;
  }
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 1'000'000) << "nothing debited for a closed period";
  EXPECT_TRUE(
      p().contributions.pay(channel_, binding_, {kPassword, "flexible_pension", "2025-11", 96000})
          .ok());
  EXPECT_TRUE(
      p().contributions.pay(channel_, binding_, {kPassword, "resident_medical", "2025", 38000})
          .ok());

  const auto due = p().contributions.due(channel_, binding_);
  ASSERT_TRUE(due.ok());
  std::vector<std::string> years;
  std::int64_t months = 0, paid = 0;
  for (const auto& d : *due) {
    if (d.kind == domain::ContributionKind::kResidentMedical) {
      years.push_back(d.period.str());
      EXPECT_EQ(d.amount_fen, 38000);
    } else {
      ++months;
      EXPECT_EQ(d.amount_fen, 96000);
    }
    paid += d.paid;
  }
  EXPECT_EQ(years, (std::vector<std::string>{"2025", "2026", "2027"}));
  EXPECT_EQ(months, 13);
  EXPECT_EQ(paid, 2);
}

// Concurrent payments of one period with different amounts (100, 101, 102 fen): one is
// paid, every other caller hears CONFLICT (never a 200 naming an amount it did not send), one debit
// stays.
TEST_F(UseTest, R_U5_AnotherAmountForAPaidPeriodIsAConflictEvenWhenConcurrent) {
  upgrade_to_level_two();
  t_.bank().fund(kAccount, 1000);
  // As many payers as may await the bank at once (each holds one of the day's answers).
  constexpr int kPayers = static_cast<int>(limits::kBankFundsRefusalsPerPersonPerDayMax);
  std::vector<Result<ContributionOutcome>> answers(kPayers, Error(ErrorCode::kInternal));
  std::vector<std::thread> payers;
  for (int i = 0; i < kPayers; ++i) {
    payers.emplace_back([&, i] {
      answers[i] = p().contributions.pay(channel_, binding_,
                                         {kPassword, "flexible_pension", "2026-10", 100 + i});
    });
  }
  for (auto& payer : payers) payer.join();
  std::int64_t paid_fen = 0;
  for (int i = 0; i < kPayers; ++i) {
    if (answers[i]) {
      EXPECT_EQ(answers[i]->contribution.amount_fen, 100 + i) << "an answer names its own amount";
      EXPECT_FALSE(answers[i]->replayed);
      paid_fen += answers[i]->contribution.amount_fen;
    } else {
      EXPECT_EQ(answers[i].error().code, ErrorCode::kConflict);
    }
  }
  ASSERT_GT(paid_fen, 0);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 1000 - paid_fen);
  // The same amount again is the first payment, answered again; another is a conflict.
  const auto again = p().contributions.pay(channel_, binding_,
                                           {kPassword, "flexible_pension", "2026-10", paid_fen});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(p().contributions
                .pay(channel_, binding_, {kPassword, "flexible_pension", "2026-10", paid_fen + 1})
                .error()
                .code,
            ErrorCode::kConflict);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 1000 - paid_fen);
}

// The bank-balance oracle through contributions: each INSUFFICIENT_FUNDS says whether an
// amount the caller chose is covered, so a person's day has a few of them, each audited.
TEST_F(UseTest, R_U5_R_S4_FundsRefusalsOfContributionsAreBoundedAndAudited) {
  upgrade_to_level_two();
  const auto pay = [&](const char* period, std::int64_t amount) {
    return p().contributions.pay(channel_, binding_,
                                 {kPassword, "flexible_pension", period, amount});
  };
  t_.bank().fund(kAccount, 500);
  ASSERT_TRUE(pay("2026-01", 500).ok()) << "a paid contribution uses up no refusal";
  for (std::int64_t i = 0; i < limits::kBankFundsRefusalsPerPersonPerDayMax; ++i)
    EXPECT_EQ(pay("2026-02", 1000 + i).error().code, ErrorCode::kInsufficientFunds);
  t_.bank().fund(kAccount, 100000);
  EXPECT_EQ(pay("2026-02", 1000).error().code, ErrorCode::kAttemptsExceeded)
      << "the bank is not asked again today, even when it would say yes";
  EXPECT_EQ(t_.bank().movements_fen(kAccount), std::vector<std::int64_t>{-500});

  std::map<std::string, int> outcomes;
  for (const auto& e : t_.audit_entries()) {
    if (e.action == "contribution.pay") ++outcomes[e.outcome];
  }
  EXPECT_EQ(outcomes["ok"], 1);
  EXPECT_EQ(outcomes["INSUFFICIENT_FUNDS"], limits::kBankFundsRefusalsPerPersonPerDayMax);
  EXPECT_EQ(outcomes["ATTEMPTS_EXCEEDED"], 1);

  t_.clock().advance_ms(24 * 60 * 60 * 1000);
  EXPECT_TRUE(pay("2026-02", 1000).ok()) << "a new day, new answers";
}

TEST_F(UseTest, R_X2_FilingsAreCheckedAtTheCounter) {
  const auto add = [&](NewFiling f) { return p().regions.add_filing(clerk_, id_, f); };
  EXPECT_EQ(add({"31010", "2026-11-01", "2026-12-01"}).error().extras.field, "treatment_region");
  EXPECT_EQ(add({"310100", "2026-02-30", "2026-12-01"}).error().extras.field, "from");
  EXPECT_EQ(add({"310100", "2026-12-01", "2026-11-01"}).error().extras.field, "to");
  EXPECT_EQ(add({"310100", "2026-01-01", "2027-01-02"}).error().extras.field, "to");
  EXPECT_TRUE(add({"310100", "2026-01-01", "2027-01-01"}).ok());
  EXPECT_EQ(p().regions
                .add_filing(clerk_, testing::make_id_number("11010519491231002"),
                            {"310100", "2026-01-01", "2026-02-01"})
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(p().regions.remove_filing(clerk_, id_, "fl_none").error().code, ErrorCode::kNotFound);
}

// R-X3 ------------------------------------------------------------------------------

TEST_F(UseTest, R_X3_ClearingTotalsEqualTheSumOfTheInstitutionsReconciliations) {
  const auto shanghai_pharmacy = institution("pharmacy", testing::kShanghai);
  const auto pill = [&](const std::string& order) {
    return SettlementRequest{
        code(), order, "pharmacy", {{"A1", "药", ItemCategory::kA, 1, 1200}}, false};
  };
  ASSERT_TRUE(p().settlements.settle(hospital_, worked_example("nb-1")).ok());
  ASSERT_TRUE(p().settlements.settle(pharmacy_, pill("nb-2")).ok());
  ASSERT_TRUE(p().settlements.settle(shanghai_pharmacy, pill("sh-1")).ok());
  const auto refunded = p().settlements.settle(shanghai_pharmacy, pill("sh-2"));
  ASSERT_TRUE(refunded.ok());
  ASSERT_TRUE(
      p().settlements.refund(shanghai_pharmacy, refunded->settlement.settlement_id, "退药").ok());

  const auto clearing = p().regions.clearing("2026-11-26");
  ASSERT_TRUE(clearing.ok());
  ASSERT_EQ(clearing->lines.size(), 2u);
  const auto& away = clearing->lines[0];  // ordered by insured, then treatment region
  const auto& local = clearing->lines[1];
  EXPECT_EQ(local.insured_region + ">" + local.treatment_region, "330200>330200");
  EXPECT_EQ(away.insured_region + ">" + away.treatment_region, "330200>310100");
  EXPECT_EQ(local.settlements, 2);
  EXPECT_EQ(away.settlements, 1);
  EXPECT_EQ(away.refunds, 1);
  EXPECT_EQ(away.account_fen, 1200);
  domain::ClearingLine sum;
  for (const auto& institution : {hospital_, pharmacy_, shanghai_pharmacy}) {
    const auto day = p().settlements.day(institution, "2026-11-26");
    ASSERT_TRUE(day.ok());
    sum.settlements += day->count;
    sum.refunds += day->refunded_count;
    sum.fund_fen += day->fund_fen;
    sum.account_fen += day->account_fen;
  }
  EXPECT_EQ(clearing->totals.settlements, sum.settlements);
  EXPECT_EQ(clearing->totals.refunds, sum.refunds);
  EXPECT_EQ(clearing->totals.fund_fen, sum.fund_fen);
  EXPECT_EQ(clearing->totals.account_fen, sum.account_fen);
  EXPECT_EQ(clearing->totals.settlements, 3);
  EXPECT_EQ(p().regions.clearing("2026-13-01").error().extras.field, "date");
  EXPECT_TRUE(p().regions.clearing("2026-11-25")->lines.empty());
}

// Statistics (GET /v1/stats) -------------------------------------------------------

TEST_F(UseTest, StatsCountIssuancesSettlementsAndRefusalsPerChinaStandardTimeDay) {
  const auto request = worked_example("stats-1");
  ASSERT_TRUE(p().settlements.settle(hospital_, request).ok());
  EXPECT_EQ(
      p().settlements
          .settle(hospital_, {request.qr_token, "stats-2", "outpatient", request.items, false})
          .error()
          .code,
      ErrorCode::kQrUsed);
  const auto stats = p().stats.range("2026-11-25", "2026-11-26");
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->days.size(), 2u);
  EXPECT_EQ(stats->days[0].date, "2026-11-25");
  EXPECT_TRUE(stats->days[0].issuances.empty());
  const auto& today = stats->days[1];
  ASSERT_EQ(today.issuances.size(), 1u);
  EXPECT_EQ(today.issuances[0].channel_name, "政务APP");
  EXPECT_EQ(today.issuances[0].level, 1);
  EXPECT_EQ(today.issuances[0].count, 1);
  ASSERT_EQ(today.settlements.size(), 1u);
  EXPECT_EQ(today.settlements[0].visit, "outpatient");
  EXPECT_EQ(today.settlements[0].fund_fen, 3000);
  EXPECT_EQ(today.refusals.at("QR_USED"), 1);
  ASSERT_EQ(stats->live_bindings.size(), 1u);
  EXPECT_EQ(stats->live_bindings[0], (std::pair<std::string, std::int64_t>{"usable", 1}));
  EXPECT_EQ(p().stats.range("2026-11-27", "2026-11-26").error().extras.field, "to");
  EXPECT_EQ(p().stats.range("2026-01-01", "2026-12-31").error().extras.field, "to");
  EXPECT_EQ(p().stats.range("26-11-01", "2026-11-26").error().extras.field, "from");
}

// R-S4 "every refusal recorded with its reason": refusals that a rolled-back job used to
// take with it are audited, and the refusal log's minute entries count with their count.
TEST_F(UseTest, R_S4_R_S6_EveryRefusalIsAuditedAndCountedWithItsCount) {
  const auto request = worked_example("refusals-1");
  const auto settled = p().settlements.settle(hospital_, request);
  ASSERT_TRUE(settled.ok());
  auto other = request;
  other.items[0].quantity = 2;
  EXPECT_EQ(p().settlements.settle(hospital_, other).error().code, ErrorCode::kIdempotencyMismatch);
  ASSERT_TRUE(p().settlements.refund(hospital_, settled->settlement.settlement_id, "退药").ok());
  EXPECT_EQ(
      p().settlements.refund(hospital_, settled->settlement.settlement_id, "again").error().code,
      ErrorCode::kAlreadyRefunded);
  // Face tries used up on one verification: the sixth is refused, and recorded.
  auto v = p().verifications.start(
      channel_, {"reset_password", std::nullopt, std::nullopt, binding_, std::nullopt});
  ASSERT_TRUE(v.ok());
  for (std::int64_t i = 0; i < limits::kFaceAttemptsMax; ++i) {
    EXPECT_EQ(
        p().verifications.face(channel_, v->verification_id, crypto::to_base64("sandbox:mismatch"))
            .error()
            .code,
        ErrorCode::kFaceMismatch);
  }
  EXPECT_EQ(
      p().verifications.face(channel_, v->verification_id, crypto::to_base64("face")).error().code,
      ErrorCode::kAttemptsExceeded);
  for (int i = 0; i < 351; ++i)
    p().refusals.record(RefusalSource::kClient, channel_.client_id, ErrorCode::kRateLimited);
  p().refusals.flush(true);

  const auto stats = p().stats.range("2026-11-26", "2026-11-26");
  ASSERT_TRUE(stats.ok());
  const auto& refusals = stats->days[0].refusals;
  EXPECT_EQ(refusals.at("IDEMPOTENCY_MISMATCH"), 1);
  EXPECT_EQ(refusals.at("ALREADY_REFUNDED"), 1);
  EXPECT_EQ(refusals.at("ATTEMPTS_EXCEEDED"), 1);
  EXPECT_EQ(refusals.at("FACE_MISMATCH"), limits::kFaceAttemptsMax);
  EXPECT_EQ(refusals.at("RATE_LIMITED"), 351);
  const auto auth = p().records.list(channel_, binding_, {"auth", 0, INT64_MAX, 0, 50});
  ASSERT_TRUE(auth.ok());
  bool history_has_it = false;
  for (const auto& row : auth->items) {
    for (const auto& [name, value] : row.text)
      history_has_it |= name == "outcome" && value == "ATTEMPTS_EXCEEDED";
  }
  EXPECT_TRUE(history_has_it) << "the cardholder's authentication history shows the refusal";
}

}  // namespace
}  // namespace essc::services

namespace essc::services {
namespace {

// R-K4 (POLICY.md "Quantity limits"): a statin capped at 60 tablets in 30 days.
class QuantityLimitTest : public UseTest {
 protected:
  QuantityLimitTest()
      : capped_policies_({{"330200", statin_policy()}}),
        capped_(t_.clock(), t_.ctx().db, t_.vault(), t_.platform().qr_codes, t_.platform().notifier,
                t_.platform().bank_transfers, capped_policies_) {
    pharmacy_two_ = institution("pharmacy");
  }

  static domain::RegionPolicy statin_policy() {
    auto policy = testing::test_region_policies().at("330200");
    policy.item_limits = {{"YP-ATV-20", 60, 30}};
    return policy;
  }

  SettlementRequest statins(const std::string& order_id, std::int64_t tablets) {
    return {code(),
            order_id,
            "pharmacy",
            {{"YP-ATV-20", "阿托伐他汀钙片", ItemCategory::kA, tablets, 1000}},
            false};
  }

  // Days later, in a new session (a session lasts ten minutes).
  void advance_days(std::int64_t days) {
    t_.clock().advance_ms(days * kMsPerDay);
    session_ = p().usage.open_session(channel_, binding_, kPassword)->token;
  }

  std::vector<CaseView> open_cases() {
    auto page = p().risk_cases.list("open", 50, std::nullopt);
    EXPECT_TRUE(page.ok());
    return page->items;
  }

  RegionPolicies capped_policies_;
  SettlementService capped_;
  domain::Client pharmacy_two_;
};

TEST_F(QuantityLimitTest, R_K4_UnitsOverTheCapAcrossInstitutionsAreSettledOutsideTheCatalogue) {
  const auto first = capped_.settle(pharmacy_, statins("atv-1", 40));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->settlement.quantity_flags.empty());
  EXPECT_EQ(first->settlement.account_fen, 40000);
  EXPECT_TRUE(open_cases().empty());

  advance_days(1);
  const auto request = statins("atv-2", 40);
  const auto second = capped_.settle(pharmacy_two_, request);
  ASSERT_TRUE(second.ok());
  const auto& s = second->settlement;
  ASSERT_EQ(s.quantity_flags.size(), 1u);
  EXPECT_EQ(s.quantity_flags[0].item_code, "YP-ATV-20");
  EXPECT_EQ(s.quantity_flags[0].quantity_over, 20);
  EXPECT_EQ(s.account_fen, 20000);
  EXPECT_EQ(s.self_pay_fen, 20000);
  EXPECT_EQ(balance(), 100000 - 40000 - 20000);

  // R-K6: a case for the fund's auditors, naming the settlement and the person masked.
  const auto cases = open_cases();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].record.rule, "ITEM_QUANTITY_LIMIT");
  EXPECT_EQ(cases[0].record.settlement_id, s.settlement_id);
  EXPECT_EQ(cases[0].record.detail, "YP-ATV-20 超量 20");
  EXPECT_EQ(cases[0].name_masked, "*三");
  EXPECT_EQ(cases[0].id_number_masked.find(id_.substr(3, 11)), std::string::npos);

  // The same order again answers the same flags and opens nothing more.
  const auto again = capped_.settle(pharmacy_two_, request);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  ASSERT_EQ(again->settlement.quantity_flags.size(), 1u);
  EXPECT_EQ(again->settlement.quantity_flags[0].quantity_over, 20);
  EXPECT_EQ(open_cases().size(), 1u);
}

TEST_F(QuantityLimitTest, R_K4_RefundsGiveTheQuantityBackAndTheWindowEnds) {
  const auto first = capped_.settle(pharmacy_, statins("atv-1", 60));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(capped_.refund(pharmacy_, first->settlement.settlement_id, "退药").ok());
  const auto second = capped_.settle(pharmacy_, statins("atv-2", 60));
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->settlement.quantity_flags.empty());

  // The settlement's day and the 29 before it: on the 30th day after, all 60 count again
  // as bought outside the window.
  advance_days(29);
  const auto within = capped_.settle(pharmacy_, statins("atv-3", 1));
  ASSERT_EQ(within->settlement.quantity_flags.size(), 1u);
  advance_days(1);
  const auto after = capped_.settle(pharmacy_, statins("atv-4", 59));
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->settlement.quantity_flags.empty());
}

TEST_F(QuantityLimitTest, R_K4_ABurstAtSeveralPharmaciesCannotPassTheCap) {
  ASSERT_TRUE(p().accounts.credit_medical(clerk_, {id_, 1000000, "top up", std::nullopt}).ok());
  const domain::Client* pharmacies[] = {&pharmacy_, &pharmacy_two_};
  std::vector<SettlementRequest> requests;
  for (int i = 0; i < 8; ++i) requests.push_back(statins("burst-" + std::to_string(i), 20));
  std::vector<std::thread> threads;
  std::vector<Result<SettlementOutcome>> outcomes(requests.size(), Error(ErrorCode::kInternal));
  for (std::size_t i = 0; i < requests.size(); ++i) {
    threads.emplace_back([&, i] { outcomes[i] = capped_.settle(*pharmacies[i % 2], requests[i]); });
  }
  for (auto& thread : threads) thread.join();
  std::int64_t within_cap = 0;
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome.ok());
    std::int64_t over = 0;
    for (const auto& flag : outcome->settlement.quantity_flags) over += flag.quantity_over;
    within_cap += 20 - over;
  }
  EXPECT_EQ(within_cap, 60);
  EXPECT_EQ(open_cases().size(), 5u);  // one per settlement past the cap
}

TEST_F(QuantityLimitTest, R_K6_AnAuditorClosesACaseOnceAndEveryStepIsAudited) {
  ASSERT_TRUE(capped_.settle(pharmacy_, statins("atv-1", 61)).ok());
  const auto case_id = open_cases().at(0).record.case_id;
  const auto auditor = Actor::of_operator(t_.make_operator("auditor", OperatorRole::kAuditor));
  EXPECT_EQ(p().risk_cases.close(auditor, case_id, "maybe", "").error().extras.field, "outcome");
  EXPECT_EQ(p().risk_cases.close(auditor, "case_unknown", "fraud", "").error().code,
            ErrorCode::kNotFound);
  const auto closed = p().risk_cases.close(auditor, case_id, "legitimate", "医嘱加量");
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->record.outcome, domain::CaseOutcome::kLegitimate);
  EXPECT_EQ(closed->record.closed_by, "operator:auditor");
  EXPECT_EQ(p().risk_cases.close(auditor, case_id, "fraud", "").error().code, ErrorCode::kConflict);
  EXPECT_TRUE(open_cases().empty());
  const auto page = p().risk_cases.list("closed", 50, std::nullopt);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].record.note, "医嘱加量");

  std::vector<std::string> actions;
  for (const auto& e : t_.audit_entries()) {
    if (e.target == case_id) actions.push_back(e.action + " " + e.outcome);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"risk.case.open ITEM_QUANTITY_LIMIT",
                                               "risk.case.close legitimate"}));
  // R-K1: the statistics count what each rule opened, by day.
  const auto today = format_cst_date(t_.clock().now_ms());
  const auto stats = p().stats.range(today, today);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->days.at(0).risk_cases,
            (std::map<std::string, std::int64_t>{{"ITEM_QUANTITY_LIMIT", 1}}));
}

TEST_F(QuantityLimitTest, R_K6_CasesPageNewestFirstWithACursor) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(capped_.settle(pharmacy_, statins("atv-" + std::to_string(i), 61)).ok());
    t_.clock().advance_ms(1000);
  }
  const auto first = p().risk_cases.list("open", 2, std::nullopt);
  ASSERT_EQ(first->items.size(), 2u);
  ASSERT_TRUE(first->next_cursor);
  EXPECT_GT(first->items[0].record.opened_at_ms, first->items[1].record.opened_at_ms);
  const auto second = p().risk_cases.list("open", 2, first->next_cursor);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_LT(second->items[0].record.opened_at_ms, first->items[1].record.opened_at_ms);
  EXPECT_EQ(p().risk_cases.list("open", 2, std::string("x")).error().extras.field, "cursor");
  EXPECT_EQ(p().risk_cases.list("all", 2, std::nullopt).error().extras.field, "status");
}

// R-K2, R-K3 (POLICY.md "Risk rules"): the step-up rules, read inside the write of the
// settlement or the code they guard.
class StepUpTest : public UseTest {
 protected:
  static constexpr char kNewPassword[] = "369147";

  StepUpTest() {
    auto policies = testing::test_region_policies();
    auto& ningbo = policies.at("330200");
    ningbo.risk.settlements_per_hour_max = 3;
    ningbo.risk.institutions_per_day_max = 2;
    p().policies.replace(std::move(policies));
    pharmacy_two_ = institution("pharmacy");
    t_.bank().fund(kAccount, 10'000'000);
  }

  // R-W3: a reset ends every session; the cardholder opens a new one with the new password.
  void reset_password() {
    const auto vid =
        p().verifications
            .start(channel_, {"reset_password", std::nullopt, std::nullopt, binding_, std::nullopt})
            ->verification_id;
    ASSERT_TRUE(p().verifications.face(channel_, vid, crypto::to_base64("face")).ok());
    ASSERT_TRUE(p().ecards.reset_password(channel_, binding_, vid, kNewPassword).ok());
    session_ = p().usage.open_session(channel_, binding_, kNewPassword)->token;
  }

  Status pass_step_up(const std::string& risk_id) {
    ESSC_ASSIGN_OR_RETURN(
        auto v, p().verifications.start(
                    channel_, {"step_up", std::nullopt, std::nullopt, binding_, risk_id}));
    ESSC_TRY(p().verifications.face(channel_, v.verification_id, crypto::to_base64("face")));
    return {};
  }

  Result<SettlementOutcome> settle_small(const domain::Client& at, const std::string& order_id,
                                         const std::string& token) {
    return p().settlements.settle(
        at, {token, order_id, "pharmacy", {{"A1", "药", ItemCategory::kA, 1, 100}}, false});
  }

  // R-K5's outcome: the card reported lost and one open case, this one. Returns the case.
  domain::RiskCase expect_lost_with_one_not_me_case(const std::string& case_id) {
    EXPECT_EQ(p().ecards.get(channel_, binding_)->card.status, domain::CardStatus::kLost);
    const auto cases = p().risk_cases.list("open", 50, std::nullopt);
    EXPECT_TRUE(cases.ok() && cases->items.size() == 1U);
    if (!cases.ok() || cases->items.size() != 1U) return {};
    EXPECT_EQ(cases->items[0].record.case_id, case_id);
    EXPECT_EQ(cases->items[0].record.rule, domain::kRuleNotMe);
    return cases->items[0].record;
  }

  domain::RiskEvent event(const std::string& risk_id) {
    auto found =
        t_.ctx().db.read([&](store::Connection& c) { return store::find_risk_event(c, risk_id); });
    EXPECT_TRUE(found.has_value());
    return found.value_or(domain::RiskEvent{});
  }

  domain::Client pharmacy_two_;
};

TEST_F(StepUpTest, R_K2_BankMoneyLeavingSoonAfterAPasswordResetNeedsAStepUp) {
  upgrade_to_level_two();
  reset_password();
  const auto token = code();
  const auto refused = p().settlements.settle(pharmacy_, bank_paid(token, "k2-1", 60000));
  ASSERT_FALSE(refused.ok());
  ASSERT_EQ(refused.error().code, ErrorCode::kRiskStepUpRequired);
  const auto risk_id = refused.error().extras.risk_id.value_or("");
  EXPECT_EQ(refused.error().extras.methods, (std::vector<std::string>{"face", "sms"}));
  EXPECT_TRUE(due_transfers().empty()) << "nothing was debited";
  // The code is not consumed; the till's retry meets the same open decision.
  const auto again = p().settlements.settle(pharmacy_, bank_paid(token, "k2-1", 60000));
  EXPECT_EQ(again.error().extras.risk_id, risk_id);
  // Under the threshold, and in cash, money does not leave the bank: no step-up.
  const auto small = p().settlements.settle(pharmacy_, bank_paid(code(), "k2-small", 30000));
  EXPECT_TRUE(small.ok()) << error_code_name(small.error().code) << " " << small.error().detail;
  const auto inbox = p().ecards.notifications(channel_, binding_, 0, 50);
  ASSERT_TRUE(inbox.ok());
  EXPECT_TRUE(std::any_of(inbox->begin(), inbox->end(), [](const domain::Notification& n) {
    return n.type == "ecard.step_up_required";
  }));
  const auto e = event(risk_id);
  EXPECT_EQ(e.rules, std::vector<std::string>{std::string(domain::kRuleAccountTakeover)});
  EXPECT_EQ(e.status, domain::RiskEventStatus::kOpen);

  const auto day =
      p().stats.range(format_cst_date(t_.clock().now_ms()), format_cst_date(t_.clock().now_ms()));
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(day->days.at(0).risk_decisions,
            (std::map<std::string, std::int64_t>{{std::string(domain::kRuleAccountTakeover), 1}}))
      << "R-K1: decisions are counted, once for the till's retry";
  ASSERT_TRUE(pass_step_up(risk_id).ok());
  EXPECT_EQ(event(risk_id).status, domain::RiskEventStatus::kCleared);
  EXPECT_TRUE(p().settlements.settle(pharmacy_, bank_paid(token, "k2-1", 60000)).ok())
      << "the same code settles once the cardholder passed the check";
  // Cleared for step_up_valid_minutes, then asked again while the window lasts.
  t_.clock().advance_ms(31 * 60'000);
  session_ = p().usage.open_session(channel_, binding_, kNewPassword)->token;
  EXPECT_EQ(p().settlements.settle(pharmacy_, bank_paid(code(), "k2-2", 60000)).error().code,
            ErrorCode::kRiskStepUpRequired);
  // The window closes 24 hours after the reset.
  t_.clock().advance_ms(24 * 3'600'000);
  session_ = p().usage.open_session(channel_, binding_, kNewPassword)->token;
  EXPECT_TRUE(p().settlements.settle(pharmacy_, bank_paid(code(), "k2-3", 60000)).ok());
}

TEST_F(StepUpTest, R_K2_AContributionSoonAfterAResetNeedsAStepUpToo) {
  upgrade_to_level_two();
  reset_password();
  const auto before = t_.bank().balance_fen(kAccount);
  const NewContribution pension{kNewPassword, "flexible_pension", "2026-11", 96000};
  const auto refused = p().contributions.pay(channel_, binding_, pension);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kRiskStepUpRequired);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), before) << "nothing was debited";
  EXPECT_TRUE(
      p().contributions.pay(channel_, binding_, {kNewPassword, "resident_medical", "2027", 38000})
          .ok())
      << "under the amount";
  ASSERT_TRUE(pass_step_up(refused.error().extras.risk_id.value_or("")).ok());
  EXPECT_TRUE(p().contributions.pay(channel_, binding_, pension).ok());
}

TEST_F(StepUpTest, R_K1_AStepUpAnswersOnlyTheCardholdersOwnOpenDecision) {
  upgrade_to_level_two();
  reset_password();
  const auto refused = p().settlements.settle(pharmacy_, bank_paid(code(), "k1-1", 60000));
  const auto risk_id = refused.error().extras.risk_id.value_or("");
  EXPECT_EQ(pass_step_up("rk_unknown").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(p().verifications
                .start(channel_, {"step_up", std::nullopt, std::nullopt, binding_, std::nullopt})
                .error()
                .code,
            ErrorCode::kInvalidRequest);
  ASSERT_TRUE(pass_step_up(risk_id).ok());
  EXPECT_EQ(pass_step_up(risk_id).error().code, ErrorCode::kConflict) << "cleared once";
}

TEST_F(StepUpTest, R_K3_TheNextPaymentCodeAfterManySettlementsNeedsAStepUp) {
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(settle_small(pharmacy_, "k3-" + std::to_string(i), code()).ok());
  auto holder = p().usage.authenticate_session(channel_, binding_, session_);
  const auto refused = p().usage.issue_qr(*holder, "payment");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kRiskStepUpRequired);
  EXPECT_TRUE(p().usage.issue_qr(*holder, "identity").ok()) << "proving who one is stays open";
  const auto risk_id = refused.error().extras.risk_id.value_or("");
  EXPECT_EQ(event(risk_id).rules,
            std::vector<std::string>{std::string(domain::kRuleSettlementsPerHour)});
  ASSERT_TRUE(pass_step_up(risk_id).ok());
  EXPECT_TRUE(settle_small(pharmacy_, "k3-after", code()).ok());
}

TEST_F(StepUpTest, R_K3_AThirdInstitutionInADayNeedsAStepUp) {
  const auto early_one = code();
  const auto early_two = code();
  ASSERT_TRUE(settle_small(pharmacy_, "inst-1", code()).ok());
  ASSERT_TRUE(settle_small(pharmacy_two_, "inst-2", code()).ok());
  auto holder = p().usage.authenticate_session(channel_, binding_, session_);
  const auto next = p().usage.issue_qr(*holder, "payment");
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(event(next.error().extras.risk_id.value_or("")).rules,
            std::vector<std::string>{std::string(domain::kRuleInstitutionsPerDay)});
  // A code issued before is checked again at the till: a third institution steps up,
  // one of the day's two does not.
  const auto third = institution("pharmacy");
  EXPECT_EQ(settle_small(third, "inst-3", early_one).error().code, ErrorCode::kRiskStepUpRequired);
  EXPECT_TRUE(settle_small(pharmacy_, "inst-again", early_two).ok());
}

// A burst of pre-issued codes at two pharmacies at once cannot pass the hour's limit: the
// rules read the person's settlements under the person's lock.
TEST_F(StepUpTest, R_K3_AConcurrentBurstAtSeveralInstitutionsCannotSkipTheStepUp) {
  constexpr int kBurst = 12;
  std::vector<std::string> tokens;
  for (int i = 0; i < kBurst; ++i) tokens.push_back(code());
  std::atomic<int> settled{0};
  std::atomic<int> stepped_up{0};
  std::latch start(kBurst);
  std::vector<std::thread> threads;
  for (int i = 0; i < kBurst; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto s =
          settle_small(i % 2 ? pharmacy_ : pharmacy_two_, "burst-" + std::to_string(i), tokens[i]);
      if (s.ok()) {
        ++settled;
      } else {
        EXPECT_EQ(s.error().code, ErrorCode::kRiskStepUpRequired) << s.error().detail;
        ++stepped_up;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(settled.load(), 3);
  EXPECT_EQ(stepped_up.load(), kBurst - 3);
}

TEST_F(StepUpTest, R_K5_NotMeReportsTheCardLostAndOpensACase) {
  upgrade_to_level_two();
  reset_password();
  const auto refused = p().settlements.settle(pharmacy_, bank_paid(code(), "k5-1", 60000));
  const auto risk_id = refused.error().extras.risk_id.value_or("");
  auto holder = p().usage.authenticate_session(channel_, binding_, session_);
  ASSERT_TRUE(holder.ok());
  EXPECT_EQ(p().risk_events.not_me(channel_, *holder, risk_id, "147258").error().code,
            ErrorCode::kPasswordIncorrect);
  EXPECT_EQ(event(risk_id).status, domain::RiskEventStatus::kOpen);
  const auto case_id = p().risk_events.not_me(channel_, *holder, risk_id, kNewPassword);
  ASSERT_TRUE(case_id.ok());
  EXPECT_EQ(event(risk_id).status, domain::RiskEventStatus::kNotMe);
  expect_lost_with_one_not_me_case(*case_id);
  EXPECT_EQ(p().risk_events.not_me(channel_, *holder, risk_id, kNewPassword).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(p().risk_events.of(*holder).front().status, domain::RiskEventStatus::kNotMe);
}

// R-K5 on the authentication history: each use can be answered "not me" with the
// password; another person's use is unknown, and a use is answered once.
TEST_F(StepUpTest, R_K5_NotMeToAUseOfTheAuthenticationHistory) {
  auto holder = p().usage.authenticate_session(channel_, binding_, session_);
  ASSERT_TRUE(holder.ok());
  const auto uses = [&](std::int64_t person_id) {
    return t_.ctx().db.read([&](store::Connection& c) {
      return store::list_records(c, "auth", person_id, 0, INT64_MAX, 0, 50);
    });
  };
  const auto mine = uses(holder->person.person_id);
  ASSERT_FALSE(mine.empty());
  const auto event_id = mine.front().cursor;

  const auto other_id = testing::make_id_number("33020219850101123");
  ASSERT_TRUE(
      p().registry.add_person(clerk_, {"李四", other_id, "330200", std::nullopt, true, true}).ok());
  const auto other = t_.ctx().db.read([&](store::Connection& c) {
    return store::find_person_by_id_number(c, t_.ctx().vault, other_id);
  });
  ASSERT_TRUE(other.has_value());
  ASSERT_TRUE(t_.ctx()
                  .db
                  .write<bool>([&](store::Connection& c) -> Result<bool> {
                    store::insert_auth_event(c, other->person_id, channel_.client_id, "face", "ok",
                                             t_.clock().now_ms());
                    return true;
                  })
                  .ok());
  const auto others_use = uses(other->person_id).front().cursor;
  EXPECT_EQ(p().risk_events.not_me_to_use(channel_, *holder, others_use, kPassword).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(p().risk_events.not_me_to_use(channel_, *holder, 999'999, kPassword).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(p().risk_events.not_me_to_use(channel_, *holder, event_id, "147258").error().code,
            ErrorCode::kPasswordIncorrect);
  EXPECT_EQ(p().ecards.get(channel_, binding_)->card.status, domain::CardStatus::kActive);

  const auto case_id = p().risk_events.not_me_to_use(channel_, *holder, event_id, kPassword);
  ASSERT_TRUE(case_id.ok()) << case_id.error().detail;
  EXPECT_NE(expect_lost_with_one_not_me_case(*case_id).detail.find("authentication"),
            std::string::npos);
  EXPECT_EQ(p().risk_events.not_me_to_use(channel_, *holder, event_id, kPassword).error().code,
            ErrorCode::kConflict);
  const auto answered = uses(holder->person.person_id);
  const auto it = std::find_if(answered.begin(), answered.end(),
                               [&](const auto& r) { return r.cursor == event_id; });
  ASSERT_NE(it, answered.end());
  EXPECT_EQ(it->text.back(), (std::pair<std::string, std::string>{"status", "not_me"}));
}
}  // namespace
}  // namespace essc::services
