// E-card issuance and life cycle on a real SQLite file, named after the FAQ's questions
// and the rules they became (R-E*, R-W*, R-L*, R-S3).
#include "services/ecards.hpp"

#include <gtest/gtest.h>

#include "common/limits.hpp"
#include "crypto/encoding.hpp"
#include "services/platform.hpp"
#include "store/ecard_repository.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

using domain::CardAction;
using store::OperatorRole;

constexpr char kAccount[] = "6222021234567890128";
constexpr char kReservedPhone[] = "13900139000";
constexpr char kPassword[] = "258147";

class EcardTest : public ::testing::Test {
 protected:
  EcardTest() {
    clerk_ = Actor::of_operator(t_.make_operator("clerk", OperatorRole::kHrClerk));
    teller_ = Actor::of_operator(t_.make_operator("teller", OperatorRole::kBankTeller, "NBCB"));
    gov_ = channel("政务APP", "gov", "https://gov.example/hook");
    bank_ = channel("银行APP", "bank", "https://bank.example/hook");
    id_ = testing::make_id_number("33020219900307123");
    card_no_ = person_with_card(id_, "张三", true);
  }

  store::ClientRecord channel(const std::string& name, const std::string& type, const std::string& hook) {
    return *p().clients.add(Actor::command_line(), {"channel", name, type, std::nullopt, "330200", hook});
  }

  Platform& p() { return t_.platform(); }

  // A registered person with an active card (financial function when asked).
  std::string person_with_card(const std::string& id, const std::string& name, bool financial,
                               bool photos = true) {
    EXPECT_TRUE(p().registry.add_person(clerk_, {name, id, "330200", "13800138000", photos, photos}).ok());
    const auto no = p().registry.issue_card(clerk_, id, "NBCB")->card.card_no;
    EXPECT_TRUE(p().registry.apply(clerk_, no, CardAction::kCollect).ok());
    EXPECT_TRUE(p().registry.activate(clerk_, no, "975310").ok());
    if (financial) {
      EXPECT_TRUE(p().registry.activate_financial(teller_, no, {kAccount, kReservedPhone, "864200"}).ok());
    }
    return no;
  }

  std::string start(const store::ClientRecord& client, const std::string& purpose = "issue",
                    std::optional<std::string> binding = std::nullopt) {
    NewVerification r{purpose, std::nullopt, std::nullopt, binding};
    if (purpose == "issue") r = {purpose, "张三", id_, std::nullopt};
    auto v = p().verifications.start(client, r);
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : error_code_name(v.error().code));
    return v.ok() ? v->verification_id : "";
  }

  Result<std::int64_t> face(const store::ClientRecord& client, const std::string& vid,
                            const std::string& image = "a real face") {
    return p().verifications.face(client, vid, crypto::to_base64(image));
  }

  // The SMS path: four factors, then the code the sandbox gateway received.
  Result<std::int64_t> sms(const store::ClientRecord& client, const std::string& vid) {
    auto sent = p().verifications.send_sms(client, vid, kAccount, kReservedPhone);
    if (!sent) return std::move(sent).error();
    return p().verifications.verify_sms(client, vid, last_code());
  }

  std::string last_code() {
    const auto messages = t_.sms().messages_to(kReservedPhone);
    EXPECT_FALSE(messages.empty());
    return testing::sms_code_in(messages.front().text);
  }

  std::string issue_by_face(const store::ClientRecord& client, const std::string& password = kPassword) {
    const auto vid = start(client);
    EXPECT_TRUE(face(client, vid).ok());
    auto binding = p().ecards.issue(client, vid, password);
    EXPECT_TRUE(binding.ok()) << (binding.ok() ? "" : error_code_name(binding.error().code));
    return binding.ok() ? binding->binding.binding_id : "";
  }

  domain::BindingStatus status(const store::ClientRecord& client, const std::string& binding_id) {
    return p().ecards.get(client, binding_id)->binding.status;
  }

  testing::TestPlatform t_;
  Actor clerk_, teller_;
  store::ClientRecord gov_, bank_;
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
  EXPECT_NE(error_info(ErrorCode::kFourFactorMismatch).message_zh.find("网点柜面修改"), std::string_view::npos);
}

TEST_F(EcardTest, R_E5_WhyDoesApplicationFail_EachCardStateNamesItsCause) {
  auto attempt = [&](const std::string& name, const std::string& id) {
    return p().verifications.start(gov_, {"issue", name, id, std::nullopt});
  };
  EXPECT_EQ(attempt("张三", testing::make_id_number("33020219700101000")).error().code, ErrorCode::kCardNotFound);
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
  ASSERT_TRUE(p().registry.add_person(clerk_, {"王五", id2, "330200", std::nullopt, true, true}).ok());
  const auto no2 = p().registry.issue_card(clerk_, id2, "NBCB")->card.card_no;
  EXPECT_EQ(attempt("王五", id2).error().code, ErrorCode::kCardNotCollected);
  ASSERT_TRUE(p().registry.apply(clerk_, no2, CardAction::kCollect).ok());
  EXPECT_EQ(attempt("王五", id2).error().code, ErrorCode::kCardNotActivated);
  // Every R-E5 message points to the hotline for other causes.
  EXPECT_NE(error_info(ErrorCode::kCardNotFound).message_zh.find("12333"), std::string_view::npos);
}

TEST_F(EcardTest, R_E6_FaceFailsThenSmsOpensLevelTwo) {
  const auto vid = start(gov_);
  for (const auto& [image, code] : {std::pair{"sandbox:liveness_fail", ErrorCode::kFaceLivenessFailed},
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
  auto v = p().verifications.start(gov_, {"issue", "赵六", id, std::nullopt});
  ASSERT_TRUE(v.ok());
  auto result = face(gov_, v->verification_id);
  EXPECT_EQ(result.error().code, ErrorCode::kFaceNoReferencePhoto);
  EXPECT_EQ(result.error().extras.fallback, "sms");
  // No financial function: the SMS path is not offered and is refused.
  EXPECT_EQ(v->methods, std::vector<std::string>{"face"});
  EXPECT_EQ(p().verifications.send_sms(gov_, v->verification_id, kAccount, kReservedPhone).error().code,
            ErrorCode::kFinancialNotActivated);
}

TEST_F(EcardTest, R_S3_FaceTriesAreLimitedAndSessionsExpire) {
  const auto vid = start(gov_);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(face(gov_, vid, "sandbox:mismatch").error().code, ErrorCode::kFaceMismatch);
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
  EXPECT_EQ(p().verifications.verify_sms(gov_, vid, "000000").error().code, ErrorCode::kAttemptsExceeded);
  EXPECT_EQ(p().verifications.verify_sms(gov_, vid, last_code()).error().code, ErrorCode::kAttemptsExceeded);

  const auto late = start(gov_);
  t_.clock().advance_ms(61'000);
  ASSERT_TRUE(p().verifications.send_sms(gov_, late, kAccount, kReservedPhone).ok());
  t_.clock().advance_ms(limits::kOtpTtlMs);
  EXPECT_EQ(p().verifications.verify_sms(gov_, late, last_code()).error().code, ErrorCode::kOtpExpired);
}

TEST_F(EcardTest, R_S3_TenCodesAPhoneADay) {
  for (int i = 0; i < 10; ++i) {
    const auto vid = start(gov_);
    ASSERT_TRUE(p().verifications.send_sms(gov_, vid, kAccount, kReservedPhone).ok()) << i;
  }
  const auto vid = start(gov_);
  EXPECT_EQ(p().verifications.send_sms(gov_, vid, kAccount, kReservedPhone).error().code, ErrorCode::kOtpDailyLimit);
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
  EXPECT_EQ(p().verifications.start(gov_, {"issue", "张三", id_, std::nullopt}).error().code, ErrorCode::kEcardExists);
  // A channel cannot see another's binding.
  EXPECT_EQ(p().ecards.get(bank_, first).error().code, ErrorCode::kNotFound);
}

TEST_F(EcardTest, R_W2_WeakPasswordsAreRefusedWithTheirReason) {
  const auto vid = start(gov_);
  ASSERT_TRUE(face(gov_, vid).ok());
  for (const auto& [password, reason] : {std::pair{"111111", "repeated_digits"}, std::pair{"123456", "sequential"},
                                         std::pair{"900307", "birth_date"}, std::pair{"071236", "id_suffix"},
                                         std::pair{"975310", "same_as_card_pin"},
                                         std::pair{"864200", "same_as_card_pin"}}) {
    auto refused = p().ecards.issue(gov_, vid, password);
    ASSERT_FALSE(refused.ok()) << password;
    EXPECT_EQ(refused.error().code, ErrorCode::kWeakPassword) << password;
    EXPECT_EQ(refused.error().extras.reason, reason) << password;
  }
  EXPECT_EQ(p().ecards.issue(gov_, vid, "12345").error().code, ErrorCode::kInvalidPasswordFormat);
  EXPECT_TRUE(p().ecards.issue(gov_, vid, kPassword).ok());
}

TEST_F(EcardTest, R_W3_R_W4_LockoutIsSharedAndResetEndsIt) {
  const auto a = issue_by_face(gov_);
  const auto vid = start(bank_);
  ASSERT_TRUE(face(bank_, vid).ok());
  const auto b = p().ecards.issue(bank_, vid, kPassword)->binding.binding_id;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(p().ecards.change_password(i % 2 ? gov_ : bank_, i % 2 ? a : b, "369258", "147036").error().code,
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
  EXPECT_EQ(p().ecards.change_password(bank_, b, kPassword, "258036").error().code, ErrorCode::kPasswordIncorrect);
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
  EXPECT_EQ(p().verifications.start(gov_, {"issue", "张三", id_, std::nullopt}).error().code,
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
  EXPECT_EQ(p().verifications.start(gov_, {"upgrade", std::nullopt, std::nullopt, a}).error().code,
            ErrorCode::kConflict);
}

TEST_F(EcardTest, R_L6_ChangesWriteTheInboxSmsAndOneWebhookPerChannel) {
  const auto a = issue_by_face(gov_);
  const auto vid = start(bank_);
  ASSERT_TRUE(face(bank_, vid).ok());
  ASSERT_TRUE(p().ecards.issue(bank_, vid, kPassword).ok());
  ASSERT_TRUE(p().registry.apply(clerk_, card_no_, CardAction::kReportLoss).ok());
  auto inbox = p().ecards.notifications(gov_, a, 0, 50);
  ASSERT_TRUE(inbox.ok());
  ASSERT_FALSE(inbox->empty());
  EXPECT_EQ(inbox->front().type, "ecard.suspended");
  const auto due = t_.ctx().db.read([&](store::Connection& c) { return t_.ctx().outbox.due(c, t_.clock().now_ms(), 100); });
  int webhooks = 0, sms_messages = 0;
  for (const auto& e : due) {
    if (e.kind == "webhook" && e.payload.find("ecard.suspended") != std::string::npos) ++webhooks;
    if (e.kind == "sms") ++sms_messages;
  }
  EXPECT_EQ(webhooks, 2);
  EXPECT_GE(sms_messages, 3);  // two issuances and the suspension
}

}  // namespace
}  // namespace essc::services
