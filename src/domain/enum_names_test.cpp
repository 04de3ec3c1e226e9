// Every enum the API and the store spell: each value prints as API.md writes it and
// parses back to itself; anything else parses to nothing.
#include "domain/enum_names.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/client.hpp"
#include "domain/operator.hpp"
#include "domain/settlement.hpp"
#include "domain/verification.hpp"

namespace essc::domain {
namespace {

template <typename Enum, typename Parse>
void expect_spellings(const std::vector<std::pair<Enum, std::string>>& spellings, Parse parse) {
  for (const auto& [value, text] : spellings) {
    EXPECT_EQ(to_string(value), text);
    EXPECT_EQ(parse(text), value) << text;
  }
  EXPECT_EQ(parse(""), std::nullopt);
  EXPECT_EQ(parse("Channel"), std::nullopt);
  EXPECT_EQ(parse(spellings.front().second + " "), std::nullopt);
}

TEST(EnumNames, R_S2_ClientKindsAndTypesAreSpelledAsTheApi) {
  expect_spellings<ClientKind>(
      {{ClientKind::kChannel, "channel"}, {ClientKind::kInstitution, "institution"}},
      parse_client_kind);
  expect_spellings<ChannelType>({{ChannelType::kGov, "gov"},
                                 {ChannelType::kBank, "bank"},
                                 {ChannelType::kThirdParty, "third_party"}},
                                parse_channel_type);
  expect_spellings<InstitutionType>({{InstitutionType::kPharmacy, "pharmacy"},
                                     {InstitutionType::kHospital, "hospital"},
                                     {InstitutionType::kServiceHall, "service_hall"}},
                                    parse_institution_type);
}

TEST(EnumNames, OperatorRolesAreSpelledAsTheApi) {
  expect_spellings<OperatorRole>({{OperatorRole::kAdmin, "admin"},
                                  {OperatorRole::kHrClerk, "hr_clerk"},
                                  {OperatorRole::kBankTeller, "bank_teller"}},
                                 parse_operator_role);
}

TEST(EnumNames, R_E3_VerificationPurposesAreSpelledAsTheApi) {
  expect_spellings<VerificationPurpose>({{VerificationPurpose::kIssue, "issue"},
                                         {VerificationPurpose::kUpgrade, "upgrade"},
                                         {VerificationPurpose::kResetPassword, "reset_password"},
                                         {VerificationPurpose::kCancelLoss, "cancel_loss"},
                                         {VerificationPurpose::kFamilyConsent, "family_consent"}},
                                        parse_verification_purpose);
}

TEST(EnumNames, R_U4_VisitsAndSelfPayMethodsAreSpelledAsTheApi) {
  expect_spellings<Visit>({{Visit::kPharmacy, "pharmacy"}, {Visit::kOutpatient, "outpatient"}},
                          parse_visit);
  expect_spellings<SelfPayMethod>({{SelfPayMethod::kCash, "cash"}, {SelfPayMethod::kBank, "bank"}},
                                  parse_self_pay_method);
}

}  // namespace
}  // namespace essc::domain
