// E-card issuance and life cycle on a real SQLite file, named after the FAQ's questions
// and the rules they became (R-E*, R-W*, R-L*, R-S3).
#include "services/ecards.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "common/limits.hpp"
#include "crypto/encoding.hpp"
#include "domain/client.hpp"
#include "domain/operator.hpp"
#include "services/platform.hpp"
#include "store/ecard_repository.hpp"
#include "store/notification_repository.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

using domain::CardAction;
using domain::OperatorRole;

constexpr int kBurst = 40;

// Runs `attempt(i)` on kBurst threads released together.
void in_parallel(const std::function<void(int)>& attempt) {
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kBurst; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      attempt(i);
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
}

// The sandbox adapters, counted and slowed down a little, so a burst overlaps the slow step.
class CountingFace final : public adapters::FaceVerifier {
 public:
  adapters::FaceOutcome verify(const adapters::FaceRequest& request) override {
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return inner_.verify(request);
  }
  std::atomic<int> calls{0};

 private:
  adapters::SandboxFaceVerifier inner_;
};

class CountingBank final : public adapters::Bank {
 public:
  explicit CountingBank(adapters::Bank& inner) : inner_(inner) {}
  Result<bool> four_factor_check(const adapters::FourFactors& presented,
                                 const adapters::FourFactors& on_file) override {
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return inner_.four_factor_check(presented, on_file);
  }
  Status credit(std::string_view account, std::int64_t fen, std::string_view ref) override {
    return inner_.credit(account, fen, ref);
  }
  Status debit(std::string_view account, std::int64_t fen, std::string_view ref) override {
    return inner_.debit(account, fen, ref);
  }
  std::atomic<int> calls{0};

 private:
  adapters::Bank& inner_;
};

// The verification service over the counting adapters, on the test platform's database.
struct CountedVerifications {
  explicit CountedVerifications(testing::TestPlatform& t)
      : bank(t.bank()), service(t.clock(), t.ctx().db, t.vault(), bank, face, t.sms()) {}
  CountingBank bank;
  CountingFace face;
  VerificationService service;
};

// A second platform process on the same database file: its own connections and writer.
struct SecondProcess {
  explicit SecondProcess(testing::TestPlatform& t)
      : db(t.open_database()),
        ctx(t.clock(), *db, t.ctx().nonces, t.vault(), t.ctx().hasher, t.qr(), t.bank(),
            t.ctx().face, t.sms()),
        notifier(ctx.vault, ctx.clients),
        registry(ctx.clock, ctx.db, ctx.vault, ctx.hasher, ctx.clients, notifier),
        ecards(ctx.clock, ctx.db, ctx.vault, ctx.hasher, ctx.clients, notifier, registry, policies),
        codes(ctx.clock, ctx.vault, ctx.qr, ctx.clients),
        usage(ctx.clock, ctx.db, codes, notifier, ecards, policies) {}
  std::unique_ptr<store::Database> db;
  Context ctx;
  Notifier notifier;
  RegistryService registry;
  RegionPolicies policies;
  EcardService ecards;
  QrCodes codes;
  UsageService usage;
};

constexpr char kAccount[] = "6222021234567890128";
constexpr char kReservedPhone[] = "13900139000";
constexpr char kPassword[] = "258147";

class EcardTest : public ::testing::Test {
 protected:
  EcardTest() {
    clerk_ = Actor::of_operator(t_.make_operator("clerk", domain::OperatorRole::kHrClerk));
    teller_ =
        Actor::of_operator(t_.make_operator("teller", domain::OperatorRole::kBankTeller, "NBCB"));
    gov_ = channel("政务APP", "gov", "https://gov.example/hook");
    bank_ = channel("银行APP", "bank", "https://bank.example/hook");
    id_ = testing::make_id_number("33020219900307123");
    card_no_ = person_with_card(id_, "张三", true);
  }

  domain::Client channel(const std::string& name, const std::string& type,
                         const std::string& hook) {
    return *p().clients.add(Actor::command_line(),
                            {"channel", name, type, std::nullopt, "330200", hook});
  }

  Platform& p() { return t_.platform(); }

  // A registered person with an active card (financial function when asked).
  std::string person_with_card(const std::string& id, const std::string& name, bool financial,
                               bool photos = true) {
    EXPECT_TRUE(
        p().registry.add_person(clerk_, {name, id, "330200", "13800138000", photos, photos}).ok());
    const auto no = p().registry.issue_card(clerk_, id, "NBCB")->card.card_no;
    EXPECT_TRUE(p().registry.apply(clerk_, no, CardAction::kCollect).ok());
    EXPECT_TRUE(p().registry.activate(clerk_, no, "975310").ok());
    if (financial) {
      EXPECT_TRUE(
          p().registry.activate_financial(teller_, no, {kAccount, kReservedPhone, "864200"}).ok());
    }
    return no;
  }

  std::string start(const domain::Client& client, const std::string& purpose = "issue",
                    std::optional<std::string> binding = std::nullopt) {
    NewVerification r{purpose, std::nullopt, std::nullopt, binding, std::nullopt};
    if (purpose == "issue") r = {purpose, "张三", id_, std::nullopt, std::nullopt};
    auto v = p().verifications.start(client, r);
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : error_code_name(v.error().code));
    return v.ok() ? v->verification_id : "";
  }

  Result<std::int64_t> face(const domain::Client& client, const std::string& vid,
                            const std::string& image = "a real face") {
    return p().verifications.face(client, vid, crypto::to_base64(image));
  }

  // The SMS path: four factors, then the code the sandbox gateway received.
  Result<std::int64_t> sms(const domain::Client& client, const std::string& vid) {
    auto sent = p().verifications.send_sms(client, vid, kAccount, kReservedPhone);
    if (!sent) return std::move(sent).error();
    return p().verifications.verify_sms(client, vid, last_code());
  }

  std::string last_code() {
    const auto messages = t_.sms().messages_to(kReservedPhone);
    EXPECT_FALSE(messages.empty());
    return testing::sms_code_in(messages.front().text);
  }

  std::string issue_by_face(const domain::Client& client, const std::string& password = kPassword) {
    const auto vid = start(client);
    EXPECT_TRUE(face(client, vid).ok());
    auto binding = p().ecards.issue(client, vid, password);
    EXPECT_TRUE(binding.ok()) << (binding.ok() ? "" : error_code_name(binding.error().code));
    return binding.ok() ? binding->binding.binding_id : "";
  }

  domain::BindingStatus status(const domain::Client& client, const std::string& binding_id) {
    return p().ecards.get(client, binding_id)->binding.status;
  }

  testing::TestPlatform t_;
  Actor clerk_, teller_;
  domain::Client gov_, bank_;
  std::string id_, card_no_;
};

TEST_F(EcardTest, R_E3_WhatIsLevelOneIssuance_FaceGivesLevelOne) {
  const auto vid = start(gov_);
  ASSERT_EQ(*face(gov_, vid), 1);
  auto binding = p().ecards.issue(gov_, vid, kPassword);
  ASSERT_TRUE(binding.ok());
  EXPECT_EQ(binding->binding.level, 1);
  EXPECT_EQ(binding->binding.status, domain::BindingStatus::kUsable);
  EXPECT_TRUE(binding->binding.binding_id.starts_with("bd_"));
  // Single use (R-S3).
  EXPECT_EQ(p().ecards.issue(gov_, vid, kPassword).error().code, ErrorCode::kVerificationExpired);
}

TEST_F(EcardTest, R_E4_WhatIsLevelTwoIssuance_SmsAfterFourFactorsGivesLevelTwo) {
  const auto vid = start(gov_);
  ASSERT_EQ(*sms(gov_, vid), 2);
  auto binding = p().ecards.issue(gov_, vid, kPassword);
  ASSERT_TRUE(binding.ok());
  EXPECT_EQ(binding->binding.level, 2);
}

TEST_F(EcardTest, R_E4_WrongReservedPhoneFailsTheFourFactorCheck) {
  const auto vid = start(gov_);
  auto sent = p().verifications.send_sms(gov_, vid, kAccount, "13700137000");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kFourFactorMismatch);
  EXPECT_NE(error_info(ErrorCode::kFourFactorMismatch).message_zh.find("网点柜面修改"),
            std::string_view::npos);
}

TEST_F(EcardTest, R_E5_WhyDoesApplicationFail_EachCardStateNamesItsCause) {
  auto attempt = [&](const std::string& name, const std::string& id) {
    return p().verifications.start(gov_, {"issue", name, id, std::nullopt, std::nullopt});
  };
  // An unregistered ID number answers as a wrong name does
  // (R_E5_UnknownIdNumberAndWrongNameAnswerAlike).
  EXPECT_EQ(attempt("张三", testing::make_id_number("33020219700101000")).error().code,
            ErrorCode::kNameIdMismatch);
  EXPECT_EQ(attempt("李四", id_).error().code, ErrorCode::kNameIdMismatch);
  EXPECT_EQ(attempt("张三", "123").error().code, ErrorCode::kInvalidIdNumber);

  const auto after = [&](CardAction action, std::optional<ErrorCode> expected) {
    ASSERT_TRUE(p().registry.apply(clerk_, card_no_, action).ok());
    auto result = attempt("张三", id_);
    if (expected) {
      ASSERT_FALSE(result.ok());
      EXPECT_EQ(result.error().code, *expected);
      EXPECT_EQ(error_info(*expected).http_status, 422);
    } else {
      EXPECT_TRUE(result.ok());
    }
  };
  after(CardAction::kReportLoss, ErrorCode::kCardReportedLost);
  after(CardAction::kCancelLoss, std::nullopt);
  after(CardAction::kLock, ErrorCode::kCardLocked);
  after(CardAction::kUnlock, std::nullopt);
  after(CardAction::kCancel, ErrorCode::kCardCancelled);

  // Not collected, then not activated.
  const auto id2 = testing::make_id_number("33020219800202123");
  ASSERT_TRUE(
      p().registry.add_person(clerk_, {"王五", id2, "330200", std::nullopt, true, true}).ok());
  const auto no2 = p().registry.issue_card(clerk_, id2, "NBCB")->card.card_no;
  EXPECT_EQ(attempt("王五", id2).error().code, ErrorCode::kCardNotCollected);
  ASSERT_TRUE(p().registry.apply(clerk_, no2, CardAction::kCollect).ok());
  EXPECT_EQ(attempt("王五", id2).error().code, ErrorCode::kCardNotActivated);
  // Every R-E5 message points to the hotline for other causes.
  EXPECT_NE(error_info(ErrorCode::kCardNotFound).message_zh.find("12333"), std::string_view::npos);
}

TEST_F(EcardTest, R_E6_FaceFailsThenSmsOpensLevelTwo) {
  const auto vid = start(gov_);
  for (const auto& [image, code] :
       {std::pair{"sandbox:liveness_fail", ErrorCode::kFaceLivenessFailed},
        std::pair{"sandbox:mismatch", ErrorCode::kFaceMismatch},
        std::pair{"sandbox:error", ErrorCode::kFaceServiceUnavailable}}) {
    auto result = face(gov_, vid, image);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, code);
    EXPECT_EQ(result.error().extras.fallback, "sms");
  }
  ASSERT_EQ(*sms(gov_, vid), 2);
  EXPECT_EQ(p().ecards.issue(gov_, vid, kPassword)->binding.level, 2);
}

TEST_F(EcardTest, R_E6_NoReferencePhotoFallsBackToSms) {
  const auto id = testing::make_id_number("33020219750505123");
  person_with_card(id, "赵六", false, /*photos=*/false);
  auto v = p().verifications.start(gov_, {"issue", "赵六", id, std::nullopt, std::nullopt});
  ASSERT_TRUE(v.ok());
  auto result = face(gov_, v->verification_id);
  EXPECT_EQ(result.error().code, ErrorCode::kFaceNoReferencePhoto);
  EXPECT_EQ(result.error().extras.fallback, "sms");
  // No financial function: the SMS path is not offered and is refused.
  EXPECT_EQ(v->methods, std::vector<std::string>{"face"});
  EXPECT_EQ(
      p().verifications.send_sms(gov_, v->verification_id, kAccount, kReservedPhone).error().code,
      ErrorCode::kFinancialNotActivated);
}

TEST_F(EcardTest, R_S3_FaceTriesAreLimitedAndSessionsExpire) {
  const auto vid = start(gov_);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(face(gov_, vid, "sandbox:mismatch").error().code, ErrorCode::kFaceMismatch);
  EXPECT_EQ(face(gov_, vid).error().code, ErrorCode::kAttemptsExceeded);
  const auto other = start(gov_);
  t_.clock().advance_ms(limits::kVerificationTtlMs);
  EXPECT_EQ(face(gov_, other).error().code, ErrorCode::kVerificationExpired);
  // A session belongs to the channel that opened it.
  const auto mine = start(gov_);
  EXPECT_EQ(face(bank_, mine).error().code, ErrorCode::kNotFound);
}

TEST_F(EcardTest, R_S3_SmsCodesExpireAllowFiveTriesAndAreRateLimited) {
  const auto vid = start(gov_);
  ASSERT_TRUE(p().verifications.send_sms(gov_, vid, kAccount, kReservedPhone).ok());
  auto again = p().verifications.send_sms(gov_, vid, kAccount, kReservedPhone);
  EXPECT_EQ(again.error().code, ErrorCode::kOtpResendTooSoon);
  EXPECT_EQ(again.error().extras.retry_after, 60);
  for (int i = 1; i <= 4; ++i) {
    auto wrong = p().verifications.verify_sms(gov_, vid, "000000");
    EXPECT_EQ(wrong.error().code, ErrorCode::kOtpInvalid);
    EXPECT_EQ(wrong.error().extras.tries_left, 5 - i);
  }
  EXPECT_EQ(p().verifications.verify_sms(gov_, vid, "000000").error().code,
            ErrorCode::kAttemptsExceeded);
  EXPECT_EQ(p().verifications.verify_sms(gov_, vid, last_code()).error().code,
            ErrorCode::kAttemptsExceeded);

  const auto late = start(gov_);
  t_.clock().advance_ms(61'000);
  ASSERT_TRUE(p().verifications.send_sms(gov_, late, kAccount, kReservedPhone).ok());
  t_.clock().advance_ms(limits::kOtpTtlMs);
  EXPECT_EQ(p().verifications.verify_sms(gov_, late, last_code()).error().code,
            ErrorCode::kOtpExpired);
}

TEST_F(EcardTest, R_S3_TenCodesAPhoneADay) {
  for (int i = 0; i < 10; ++i) {
    const auto vid = start(gov_);
    ASSERT_TRUE(p().verifications.send_sms(gov_, vid, kAccount, kReservedPhone).ok()) << i;
  }
  const auto vid = start(gov_);
  EXPECT_EQ(p().verifications.send_sms(gov_, vid, kAccount, kReservedPhone).error().code,
            ErrorCode::kOtpDailyLimit);
}

TEST_F(EcardTest, R_E7_IsTheEcardPasswordSharedAcrossChannels_SecondChannelUsesTheFirstPassword) {
  const auto first = issue_by_face(gov_);
  const auto vid = start(bank_);
  ASSERT_TRUE(face(bank_, vid).ok());
  auto wrong = p().ecards.issue(bank_, vid, "369258");
  EXPECT_EQ(wrong.error().code, ErrorCode::kPasswordIncorrect);
  EXPECT_EQ(wrong.error().extras.tries_left, 4);
  auto second = p().ecards.issue(bank_, vid, kPassword);
  ASSERT_TRUE(second.ok());
  // R-E2: each channel its own opaque id.
  EXPECT_NE(second->binding.binding_id, first);
  EXPECT_EQ(status(bank_, second->binding.binding_id), domain::BindingStatus::kUsable);
  // The same channel twice is ECARD_EXISTS.
  EXPECT_EQ(p().verifications.start(gov_, {"issue", "张三", id_, std::nullopt, std::nullopt})
                .error()
                .code,
            ErrorCode::kEcardExists);
  // A channel cannot see another's binding.
  EXPECT_EQ(p().ecards.get(bank_, first).error().code, ErrorCode::kNotFound);
}

TEST_F(EcardTest, R_W2_WeakPasswordsAreRefusedWithTheirReason) {
  const auto vid = start(gov_);
  ASSERT_TRUE(face(gov_, vid).ok());
  for (const auto& [password, reason] :
       {std::pair{"111111", "repeated_digits"}, std::pair{"123456", "sequential"},
        std::pair{"900307", "birth_date"}, std::pair{"071236", "id_suffix"},
        std::pair{"975310", "same_as_card_pin"}, std::pair{"864200", "same_as_card_pin"}}) {
    auto refused = p().ecards.issue(gov_, vid, password);
    ASSERT_FALSE(refused.ok()) << password;
    EXPECT_EQ(refused.error().code, ErrorCode::kWeakPassword) << password;
    EXPECT_EQ(refused.error().extras.reason, reason) << password;
  }
  EXPECT_EQ(p().ecards.issue(gov_, vid, "12345").error().code, ErrorCode::kInvalidPasswordFormat);
  EXPECT_TRUE(p().ecards.issue(gov_, vid, kPassword).ok());
}

// Each new password compared with the card PINs answers "is this a PIN?": one face check
// let anyone search the financial PIN for 15 minutes. Ten comparisons a day, counted
// before the comparison, whatever channel or verification they come through.
TEST_F(EcardTest, R_W2_NewPasswordsAreComparedWithTheCardPinsTenTimesADay) {
  const auto binding = issue_by_face(gov_);  // the first comparison
  const std::vector<std::string> passwords{kPassword, "369147", "147258", "358147",
                                           "469258",  "579361", "681472", "792583",
                                           "813694",  "924705", "135792"};
  for (int i = 1; i < limits::kCardPinChecksPerPersonPerDayMax; ++i) {
    ASSERT_TRUE(p().ecards.change_password(gov_, binding, passwords[i - 1], passwords[i]).ok())
        << i;
  }
  const auto last = passwords[limits::kCardPinChecksPerPersonPerDayMax - 1];
  EXPECT_EQ(p().ecards.change_password(gov_, binding, last, "864200").error().code,
            ErrorCode::kAttemptsExceeded)
      << "the financial PIN is not even compared";
  t_.clock().advance_ms(24LL * 3600 * 1000);
  EXPECT_EQ(p().ecards.change_password(gov_, binding, last, "864200").error().extras.reason,
            "same_as_card_pin");
}

TEST_F(EcardTest, R_W3_R_W4_LockoutIsSharedAndResetEndsIt) {
  const auto a = issue_by_face(gov_);
  const auto vid = start(bank_);
  ASSERT_TRUE(face(bank_, vid).ok());
  const auto b = p().ecards.issue(bank_, vid, kPassword)->binding.binding_id;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(p().ecards.change_password(i % 2 ? gov_ : bank_, i % 2 ? a : b, "369258", "147036")
                  .error()
                  .code,
              ErrorCode::kPasswordIncorrect);
  }
  auto locked = p().ecards.unlink(gov_, a, "369258");
  EXPECT_EQ(locked.error().code, ErrorCode::kPasswordLocked);
  EXPECT_TRUE(locked.error().extras.unlock_at.has_value());
  // Locked for every channel, even with the right password.
  EXPECT_EQ(p().ecards.unlink(bank_, b, kPassword).error().code, ErrorCode::kPasswordLocked);

  const auto reset = start(gov_, "reset_password", a);
  ASSERT_TRUE(face(gov_, reset).ok());
  ASSERT_TRUE(p().ecards.reset_password(gov_, a, reset, "147036").ok());
  // Effective everywhere at once: the old one fails and the new one works in the other channel.
  EXPECT_EQ(p().ecards.change_password(bank_, b, kPassword, "258036").error().code,
            ErrorCode::kPasswordIncorrect);
  EXPECT_TRUE(p().ecards.change_password(bank_, b, "147036", "258036").ok());
  t_.clock().advance_ms(limits::kPasswordLockMs);
}

TEST_F(EcardTest, R_W4_LockLastsADay) {
  const auto a = issue_by_face(gov_);
  for (int i = 0; i < 5; ++i) (void)p().ecards.unlink(gov_, a, "369258");
  EXPECT_EQ(p().ecards.unlink(gov_, a, kPassword).error().code, ErrorCode::kPasswordLocked);
  t_.clock().advance_ms(limits::kPasswordLockMs);
  EXPECT_TRUE(p().ecards.unlink(gov_, a, kPassword).ok());
}

TEST_F(EcardTest, R_L1_R_L2_R_L5_LossSuspendsEveryChannelAndCancellingRestores) {
  const auto a = issue_by_face(gov_);
  const auto vid = start(bank_);
  ASSERT_TRUE(face(bank_, vid).ok());
  const auto b = p().ecards.issue(bank_, vid, kPassword)->binding.binding_id;
  // FAQ case ①: a card that is lost but not reported stays usable.
  EXPECT_EQ(status(gov_, a), domain::BindingStatus::kUsable);

  auto reported = p().ecards.report_loss(gov_, a, kPassword);
  ASSERT_TRUE(reported.ok());
  EXPECT_EQ(reported->card.status, domain::CardStatus::kLost);
  EXPECT_EQ(status(gov_, a), domain::BindingStatus::kSuspended);
  EXPECT_EQ(status(bank_, b), domain::BindingStatus::kSuspended);

  const auto cancel = start(bank_, "cancel_loss", b);
  ASSERT_TRUE(face(bank_, cancel).ok());
  ASSERT_TRUE(p().ecards.cancel_loss(bank_, b, cancel).ok());
  EXPECT_EQ(status(gov_, a), domain::BindingStatus::kUsable);
  EXPECT_EQ(status(bank_, b), domain::BindingStatus::kUsable);

  // A counter's loss report and lock act the same way.
  ASSERT_TRUE(p().registry.apply(clerk_, card_no_, CardAction::kLock).ok());
  EXPECT_EQ(status(bank_, b), domain::BindingStatus::kSuspended);
  ASSERT_TRUE(p().registry.apply(clerk_, card_no_, CardAction::kUnlock).ok());
  EXPECT_EQ(status(bank_, b), domain::BindingStatus::kUsable);
}

TEST_F(EcardTest, R_L3_AfterReplacementTheOldEcardIsUnlinkedAndTheNewCardIsIssuedAfresh) {
  const auto a = issue_by_face(gov_);
  auto fresh = p().registry.replace(clerk_, card_no_);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(status(gov_, a), domain::BindingStatus::kUnlinked);
  EXPECT_EQ(p().ecards.unlink(gov_, a, kPassword).error().code, ErrorCode::kEcardUnlinked);
  EXPECT_EQ(p().verifications.start(gov_, {"issue", "张三", id_, std::nullopt, std::nullopt})
                .error()
                .code,
            ErrorCode::kCardNotCollected);
  const auto no = fresh->card.card_no;
  ASSERT_TRUE(p().registry.apply(clerk_, no, CardAction::kCollect).ok());
  ASSERT_TRUE(p().registry.activate(clerk_, no, "975310").ok());
  // A new e-card: a new password is set (the old one belonged to the old card).
  const auto again = issue_by_face(gov_, "369147");
  EXPECT_NE(again, a);
}

TEST_F(EcardTest, R_L4_CancellationUnlinksEveryBinding) {
  const auto a = issue_by_face(gov_);
  ASSERT_TRUE(p().registry.apply(clerk_, card_no_, CardAction::kCancel).ok());
  EXPECT_EQ(status(gov_, a), domain::BindingStatus::kUnlinked);
}

TEST_F(EcardTest, R_E8_UnlinkingOneChannelKeepsTheOthers) {
  const auto a = issue_by_face(gov_);
  const auto vid = start(bank_);
  ASSERT_TRUE(face(bank_, vid).ok());
  const auto b = p().ecards.issue(bank_, vid, kPassword)->binding.binding_id;
  ASSERT_TRUE(p().ecards.unlink(gov_, a, kPassword).ok());
  EXPECT_EQ(status(gov_, a), domain::BindingStatus::kUnlinked);
  EXPECT_EQ(status(bank_, b), domain::BindingStatus::kUsable);
  // The channel may issue again later.
  EXPECT_NE(issue_by_face(gov_), "");
}

TEST_F(EcardTest, R_E3_UpgradeTakesTheSmsCheck) {
  const auto a = issue_by_face(gov_);
  const auto vid = start(gov_, "upgrade", a);
  EXPECT_EQ(face(gov_, vid).error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(p().ecards.upgrade(gov_, a, vid).error().code, ErrorCode::kVerificationIncomplete);
  ASSERT_EQ(*sms(gov_, vid), 2);
  auto upgraded = p().ecards.upgrade(gov_, a, vid);
  ASSERT_TRUE(upgraded.ok());
  EXPECT_EQ(upgraded->binding.level, 2);
  EXPECT_EQ(p().verifications.start(gov_, {"upgrade", std::nullopt, std::nullopt, a, std::nullopt})
                .error()
                .code,
            ErrorCode::kConflict);
}

TEST_F(EcardTest, R_L6_ChangesWriteTheInboxSmsAndOneWebhookPerChannel) {
  const auto a = issue_by_face(gov_);
  const auto vid = start(bank_);
  ASSERT_TRUE(face(bank_, vid).ok());
  ASSERT_TRUE(p().ecards.issue(bank_, vid, kPassword).ok());
  ASSERT_TRUE(p().registry.apply(clerk_, card_no_, CardAction::kReportLoss).ok());
  // A suspended binding reads its inbox, which says why (R-L6); once restored, the inbox
  // tells both changes.
  auto while_lost = p().ecards.notifications(gov_, a, 0, 50);
  ASSERT_TRUE(while_lost.ok());
  EXPECT_EQ(while_lost->at(0).type, "ecard.suspended");
  ASSERT_TRUE(p().registry.apply(clerk_, card_no_, CardAction::kCancelLoss).ok());
  auto inbox = p().ecards.notifications(gov_, a, 0, 50);
  ASSERT_TRUE(inbox.ok());
  ASSERT_GE(inbox->size(), 2u);
  EXPECT_EQ(inbox->at(0).type, "ecard.restored");
  EXPECT_EQ(inbox->at(1).type, "ecard.suspended");
  const auto due = t_.ctx().db.read([&](store::Connection& c) {
    return store::due_outbox_events(c, t_.ctx().vault, t_.clock().now_ms(), 100);
  });
  int webhooks = 0, sms_messages = 0;
  for (const auto& e : due) {
    if (e.kind == "webhook" && e.payload.find("ecard.suspended") != std::string::npos) ++webhooks;
    if (e.kind == "sms") ++sms_messages;
  }
  EXPECT_EQ(webhooks, 2);
  EXPECT_GE(sms_messages, 3);  // two issuances and the suspension
}

// Findings of the attack on the cardholder side ---------------------------------------

TEST_F(EcardTest, R_E1_R_E8_UnlinkedBindingAnswersOnlyItsStatus) {
  const auto a = issue_by_face(gov_);
  issue_by_face(bank_);
  const auto session = p().usage.open_session(gov_, a, kPassword)->token;
  ASSERT_TRUE(p().ecards.unlink(gov_, a, kPassword).ok());

  EXPECT_EQ(status(gov_, a), domain::BindingStatus::kUnlinked);
  const auto unlinked = [](const auto& result) {
    return !result.ok() && result.error().code == ErrorCode::kEcardUnlinked;
  };
  EXPECT_TRUE(unlinked(p().records.account(gov_, a)));
  EXPECT_TRUE(unlinked(p().records.list(gov_, a, {"settlements", 0, INT64_MAX, 0, 50})));
  EXPECT_TRUE(unlinked(p().records.list(gov_, a, {"auth", 0, INT64_MAX, 0, 50})));
  EXPECT_TRUE(unlinked(p().ecards.notifications(gov_, a, 0, 50)));
  EXPECT_TRUE(unlinked(p().usage.open_session(gov_, a, kPassword)));
  EXPECT_TRUE(unlinked(p().usage.authenticate_session(gov_, a, session)));
  EXPECT_TRUE(unlinked(p().ecards.change_password(gov_, a, kPassword, "147036")));
  EXPECT_TRUE(unlinked(p().ecards.report_loss(gov_, a, kPassword)));
  EXPECT_TRUE(
      unlinked(p().contributions.pay(gov_, a, {kPassword, "resident_medical", "2027", 38000})));
  EXPECT_TRUE(unlinked(p().verifications.start(
      gov_, {"reset_password", std::nullopt, std::nullopt, a, std::nullopt})));
  EXPECT_TRUE(unlinked(
      p().verifications.start(gov_, {"upgrade", std::nullopt, std::nullopt, a, std::nullopt})));
}

TEST_F(EcardTest, R_L3_ReplacedCardsBindingsReadNothingMore) {
  const auto a = issue_by_face(gov_);
  ASSERT_TRUE(p().registry.replace(clerk_, card_no_).ok());
  EXPECT_EQ(status(gov_, a), domain::BindingStatus::kUnlinked);
  EXPECT_EQ(p().records.account(gov_, a).error().code, ErrorCode::kEcardUnlinked);
  EXPECT_EQ(p().records.list(gov_, a, {"account", 0, INT64_MAX, 0, 50}).error().code,
            ErrorCode::kEcardUnlinked);
  EXPECT_EQ(p().ecards.notifications(gov_, a, 0, 50).error().code, ErrorCode::kEcardUnlinked);
}

TEST_F(EcardTest, R_L1_SuspendedBindingServesOnlyWhatProtectsIt) {
  const auto a = issue_by_face(gov_);
  ASSERT_TRUE(p().ecards.report_loss(gov_, a, kPassword).ok());
  EXPECT_EQ(status(gov_, a), domain::BindingStatus::kSuspended);
  const auto suspended = [](const auto& result) {
    return !result.ok() && result.error().code == ErrorCode::kEcardSuspended;
  };
  // Reading is not using: the cardholder reads what happened and why (R-L6).
  EXPECT_TRUE(p().records.account(gov_, a).ok());
  EXPECT_TRUE(p().records.list(gov_, a, {"auth", 0, INT64_MAX, 0, 50}).ok());
  EXPECT_TRUE(p().ecards.notifications(gov_, a, 0, 50).ok());
  const auto session = p().usage.open_session(gov_, a, kPassword);
  ASSERT_TRUE(session.ok());
  EXPECT_TRUE(suspended(p().usage.authenticate_session(gov_, a, session->token)));
  EXPECT_TRUE(
      suspended(p().contributions.pay(gov_, a, {kPassword, "resident_medical", "2027", 38000})));
  EXPECT_TRUE(suspended(
      p().verifications.start(gov_, {"upgrade", std::nullopt, std::nullopt, a, std::nullopt})));

  // What protects the e-card still works: a reset (the finder may know the password)…
  const auto reset = start(gov_, "reset_password", a);
  ASSERT_TRUE(face(gov_, reset).ok());
  ASSERT_TRUE(p().ecards.reset_password(gov_, a, reset, "147036").ok());
  // …and cancelling the loss report (R-L2).
  const auto cancel = start(gov_, "cancel_loss", a);
  ASSERT_TRUE(face(gov_, cancel).ok());
  ASSERT_TRUE(p().ecards.cancel_loss(gov_, a, cancel).ok());
  EXPECT_TRUE(p().records.account(gov_, a).ok());
  EXPECT_TRUE(p().usage.open_session(gov_, a, "147036").ok());
}

TEST_F(EcardTest, R_E2_InboxNamesAnotherChannelByItsNameOnly) {
  const auto a = issue_by_face(gov_);
  const auto b = issue_by_face(bank_);  // the same password (R-E7)
  ASSERT_TRUE(p().ecards.unlink(bank_, b, kPassword).ok());

  auto inbox = p().ecards.notifications(gov_, a, 0, 50);
  ASSERT_TRUE(inbox.ok());
  int from_bank = 0;
  for (const auto& note : *inbox) {
    EXPECT_NE(note.binding_id, std::optional<std::string>(b)) << note.type;
    if (note.channel_name == "银行APP") {
      ++from_bank;
      EXPECT_FALSE(note.binding_id.has_value()) << note.type;
    }
  }
  EXPECT_EQ(from_bank, 2);  // ecard.issued and ecard.unlinked, by the bank's name
  // Its own issuance keeps its own binding id.
  EXPECT_EQ(inbox->back().binding_id, std::optional<std::string>(a));
}

TEST_F(EcardTest, R_W3_ChangeAndResetEndEverySessionInEveryChannel) {
  const auto a = issue_by_face(gov_);
  const auto b = issue_by_face(bank_);  // the same password (R-E7)
  const auto in_gov = p().usage.open_session(gov_, a, kPassword)->token;
  const auto in_bank = p().usage.open_session(bank_, b, kPassword)->token;

  const auto reset = start(gov_, "reset_password", a);
  ASSERT_TRUE(face(gov_, reset).ok());
  ASSERT_TRUE(p().ecards.reset_password(gov_, a, reset, "147036").ok());
  EXPECT_EQ(p().usage.authenticate_session(bank_, b, in_bank).error().code,
            ErrorCode::kSessionInvalid);
  EXPECT_EQ(p().usage.authenticate_session(gov_, a, in_gov).error().code,
            ErrorCode::kSessionInvalid);

  const auto again = p().usage.open_session(bank_, b, "147036")->token;
  ASSERT_TRUE(p().ecards.change_password(gov_, a, "147036", "258036").ok());
  EXPECT_EQ(p().usage.authenticate_session(bank_, b, again).error().code,
            ErrorCode::kSessionInvalid);
}

TEST_F(EcardTest, R_W4_ParallelWrongPasswordsGetNoMoreThanFiveTries) {
  const auto a = issue_by_face(gov_);
  const auto checks_before = t_.ctx().hasher.verifications_run();
  std::atomic<int> opened{0};
  in_parallel([&](int) { opened += p().usage.open_session(gov_, a, "369258").ok() ? 1 : 0; });
  EXPECT_EQ(opened, 0);
  EXPECT_LE(t_.ctx().hasher.verifications_run() - checks_before, 5u);
  // The limit is reached: the right password is refused too.
  EXPECT_EQ(p().usage.open_session(gov_, a, kPassword).error().code, ErrorCode::kPasswordLocked);
}

TEST_F(EcardTest, R_W4_AfterFourFailuresABurstOnTwoProcessesGetsOneTry) {
  const auto a = issue_by_face(gov_);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(p().usage.open_session(gov_, a, "369258").error().code,
              ErrorCode::kPasswordIncorrect);
  }
  SecondProcess other(t_);
  const auto checks_before = t_.ctx().hasher.verifications_run();
  in_parallel(
      [&](int i) { (void)(i % 2 ? p().usage : other.usage).open_session(gov_, a, "369258"); });
  EXPECT_LE(t_.ctx().hasher.verifications_run() - checks_before, 1u);
  EXPECT_EQ(p().usage.open_session(gov_, a, kPassword).error().code, ErrorCode::kPasswordLocked);
  EXPECT_EQ(other.usage.open_session(gov_, a, kPassword).error().code, ErrorCode::kPasswordLocked);
}

TEST_F(EcardTest, R_S3_ParallelFaceTriesAreFiveAVerification) {
  CountedVerifications counted(t_);
  auto& verifications = counted.service;
  const auto vid = start(gov_);
  in_parallel(
      [&](int) { (void)verifications.face(gov_, vid, crypto::to_base64("sandbox:mismatch")); });
  EXPECT_LE(counted.face.calls.load(), 5);
  EXPECT_EQ(verifications.face(gov_, vid, crypto::to_base64("a real face")).error().code,
            ErrorCode::kAttemptsExceeded);
}

TEST_F(EcardTest, R_S3_ParallelFourFactorChecksAreFiveAVerification) {
  CountedVerifications counted(t_);
  auto& verifications = counted.service;
  const auto vid = start(gov_);
  in_parallel([&](int) { (void)verifications.send_sms(gov_, vid, kAccount, "13700137000"); });
  EXPECT_LE(counted.bank.calls.load(), 5);
  EXPECT_EQ(verifications.send_sms(gov_, vid, kAccount, kReservedPhone).error().code,
            ErrorCode::kAttemptsExceeded);
}

TEST_F(EcardTest, R_S3_ParallelSendsSendOneCodeAMinute) {
  CountedVerifications counted(t_);
  auto& verifications = counted.service;
  const auto vid = start(gov_);
  std::atomic<int> sent{0};
  in_parallel([&](int) {
    sent += verifications.send_sms(gov_, vid, kAccount, kReservedPhone).ok() ? 1 : 0;
  });
  EXPECT_EQ(sent, 1);
  EXPECT_EQ(t_.sms().messages_to(kReservedPhone).size(), 1u);
  EXPECT_LE(counted.bank.calls.load(), 5);
}

TEST_F(EcardTest, R_E4_WrongFourFactorChecksAreBoundedPerPersonPerDay) {
  CountedVerifications counted(t_);
  auto& verifications = counted.service;
  int wrong = 0;
  for (int v = 0; v < 4; ++v) {
    const auto vid = start(v % 2 ? gov_ : bank_);
    for (int i = 0; i < limits::kFourFactorAttemptsMax; ++i) {
      const auto phone = "1370013700" + std::to_string(i);
      wrong += verifications.send_sms(v % 2 ? gov_ : bank_, vid, kAccount, phone).error().code ==
               ErrorCode::kFourFactorMismatch;
    }
  }
  EXPECT_EQ(wrong, limits::kFourFactorChecksPerPersonPerDayMax);
  EXPECT_EQ(counted.bank.calls.load(), limits::kFourFactorChecksPerPersonPerDayMax);
  const auto vid = start(gov_);
  EXPECT_EQ(verifications.send_sms(gov_, vid, kAccount, kReservedPhone).error().code,
            ErrorCode::kAttemptsExceeded);
  // The next China Standard Time day the cardholder may try again.
  t_.clock().advance_ms(24LL * 3600 * 1000);
  const auto tomorrow = start(gov_);
  EXPECT_TRUE(verifications.send_sms(gov_, tomorrow, kAccount, kReservedPhone).ok());
}

TEST_F(EcardTest, R_E5_UnknownIdNumberAndWrongNameAnswerAlike) {
  const auto unknown = p().verifications.start(
      gov_,
      {"issue", "张三", testing::make_id_number("33020219700101000"), std::nullopt, std::nullopt});
  const auto wrong_name =
      p().verifications.start(gov_, {"issue", "李四", id_, std::nullopt, std::nullopt});
  ASSERT_FALSE(unknown.ok());
  ASSERT_FALSE(wrong_name.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNameIdMismatch);
  EXPECT_EQ(wrong_name.error().code, ErrorCode::kNameIdMismatch);
  EXPECT_EQ(unknown.error().extras.field, wrong_name.error().extras.field);
  // CARD_NOT_FOUND needs the right name with a registered ID number.
  const auto id = testing::make_id_number("33020219850505123");
  ASSERT_TRUE(
      p().registry.add_person(clerk_, {"钱七", id, "330200", std::nullopt, true, true}).ok());
  EXPECT_EQ(
      p().verifications.start(gov_, {"issue", "钱七", id, std::nullopt, std::nullopt}).error().code,
      ErrorCode::kCardNotFound);
  EXPECT_EQ(
      p().verifications.start(gov_, {"issue", "张三", id, std::nullopt, std::nullopt}).error().code,
      ErrorCode::kNameIdMismatch);
}

// R-E9 ------------------------------------------------------------------------------

TEST_F(EcardTest, R_E9_EveryChannelHoldingTheEcardIsSeenFromAnyOfThem) {
  const auto a = issue_by_face(gov_);
  t_.clock().advance_ms(60'000);
  const auto b = issue_by_face(bank_);
  ASSERT_TRUE(p().usage.open_session(bank_, b, kPassword).ok());
  const auto holder = p().ecards.get(gov_, a);
  ASSERT_TRUE(holder.ok());
  auto held = p().ecards.channels(*holder);
  ASSERT_EQ(held.size(), 2u);
  if (held[0].channel_id != gov_.client_id) std::swap(held[0], held[1]);
  EXPECT_EQ(held[0].channel_id, gov_.client_id);
  EXPECT_EQ(held[0].channel_name, "政务APP");
  EXPECT_FALSE(held[0].last_used_ms.has_value());
  EXPECT_EQ(held[1].channel_id, bank_.client_id);
  EXPECT_EQ(held[1].channel_type, domain::ChannelType::kBank);
  EXPECT_EQ(held[1].level, 1);
  EXPECT_EQ(held[1].since_ms, t_.clock().now_ms());
  EXPECT_EQ(held[1].last_used_ms, t_.clock().now_ms());
  for (const auto& h : held) EXPECT_NE(h.channel_id, b);  // a channel id, never a binding id
}

TEST_F(EcardTest, R_E9_TheCardholderUnlinksAnotherChannelWithThePassword) {
  const auto a = issue_by_face(gov_);
  const auto b = issue_by_face(bank_);
  const auto holder = *p().ecards.get(gov_, a);
  EXPECT_EQ(p().ecards.revoke_channel(gov_, holder, bank_.client_id, "369258").error().code,
            ErrorCode::kPasswordIncorrect);
  EXPECT_EQ(status(bank_, b), domain::BindingStatus::kUsable);
  EXPECT_EQ(p().ecards.revoke_channel(gov_, holder, "cl_unknown", kPassword).error().code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(p().ecards.revoke_channel(gov_, holder, bank_.client_id, kPassword).ok());
  EXPECT_EQ(status(bank_, b), domain::BindingStatus::kUnlinked);
  EXPECT_EQ(status(gov_, a), domain::BindingStatus::kUsable);
  EXPECT_EQ(p().ecards.channels(holder).size(), 1u);
  EXPECT_EQ(p().ecards.revoke_channel(gov_, holder, bank_.client_id, kPassword).error().code,
            ErrorCode::kNotFound);
  // The revoked channel hears of it under its own binding id; no other channel does.
  const auto due = t_.ctx().db.read([&](store::Connection& c) {
    return store::due_outbox_events(c, t_.ctx().vault, t_.clock().now_ms(), 100);
  });
  int unlinked = 0;
  for (const auto& e : due) {
    if (e.kind != "webhook" || e.payload.find("ecard.unlinked") == std::string::npos) continue;
    ++unlinked;
    EXPECT_EQ(e.client_id, bank_.client_id);
    EXPECT_NE(e.payload.find(b), std::string::npos);
    EXPECT_EQ(e.payload.find(a), std::string::npos);
  }
  EXPECT_EQ(unlinked, 1);
  const auto inbox = p().ecards.notifications(gov_, a, 0, 50);
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(inbox->at(0).type, "ecard.unlinked");
  EXPECT_EQ(inbox->at(0).channel_name, "银行APP");
}

}  // namespace
}  // namespace essc::services
