// R-U2, R-F3: what a code stands for (its binding, a family member) comes back from the
// code alone, in both forms; the compact form packs the ids of the platform's shape into
// their random bytes and keeps any other id as text.
#include "services/qr_codes.hpp"

#include <gtest/gtest.h>

#include "crypto/random.hpp"
#include "services/family.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

BindingView holder_of(std::string binding_id) {
  BindingView view;
  view.binding.binding_id = std::move(binding_id);
  return view;
}

class CodeReferenceTest : public ::testing::Test {
 protected:
  // The binding and membership the platform reads back from a fresh code of `format`.
  CheckedCode round_trip(const std::string& binding_id, std::optional<std::string> member_id,
                         crypto::QrFormat format) {
    const auto& codes = t_.platform().qr_codes;
    auto issued = codes.issue(holder_of(binding_id), "payment", std::move(member_id), format);
    EXPECT_TRUE(issued.ok());
    return codes.check(issued->token);
  }

  testing::TestPlatform t_;
};

TEST_F(CodeReferenceTest, R_U2_R_F3_PlatformIdsArePackedInTheCompactForm) {
  const auto binding = std::string(kBindingIdPrefix) + crypto::random_token(kBindingIdRandomBytes);
  const auto member =
      std::string(kFamilyMemberIdPrefix) + crypto::random_token(kFamilyMemberIdRandomBytes);
  for (auto format : {crypto::QrFormat::kEssc1, crypto::QrFormat::kCompact}) {
    const auto own = round_trip(binding, std::nullopt, format);
    ASSERT_TRUE(own.claims.ok());
    EXPECT_EQ(own.binding_id, binding);
    EXPECT_FALSE(own.family_member_id.has_value());
    const auto members = round_trip(binding, member, format);
    ASSERT_TRUE(members.claims.ok());
    EXPECT_EQ(members.binding_id, binding);
    EXPECT_EQ(members.family_member_id, member);
    if (format == crypto::QrFormat::kCompact) {
      EXPECT_EQ(own.claims->reference.size(), kBindingIdRandomBytes);
      EXPECT_EQ(members.claims->reference.size(),
                kBindingIdRandomBytes + kFamilyMemberIdRandomBytes);
    }
  }
}

// Ids of another shape (made by hand, or by an older version) travel as text, including
// texts exactly as long as packed ids.
TEST_F(CodeReferenceTest, R_U2_R_F3_IdsOfAnotherShapeTravelAsText) {
  const std::vector<std::pair<std::string, std::optional<std::string>>> cases = {
      {"bd_short", std::nullopt},
      {std::string(18, 'b'), std::nullopt},            // 18 characters of text
      {"bd_" + std::string(24, '!'), std::nullopt},    // the prefix, but no base64url
      {"b", std::string(28, 'm')},                     // 30 characters of text
      {"bd_" + crypto::random_token(18), "member-7"},  // a packable binding, a member that is not
      {"bd_" + crypto::random_token(17), "fm_" + crypto::random_token(12)},
  };
  for (const auto& [binding, member] : cases) {
    const auto read = round_trip(binding, member, crypto::QrFormat::kCompact);
    ASSERT_TRUE(read.claims.ok()) << binding;
    EXPECT_EQ(read.binding_id, binding);
    EXPECT_EQ(read.family_member_id, member) << binding;
  }
}

}  // namespace
}  // namespace essc::services
