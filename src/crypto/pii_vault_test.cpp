#include "crypto/pii_vault.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "crypto/random.hpp"

namespace essc::crypto {
namespace {

class PiiVaultTest : public ::testing::Test {
 protected:
  const std::string encryption_key_ = std::string(32, '\x11');
  const std::string blind_index_key_ = std::string(32, '\x22');
  const PiiVault vault_{encryption_key_, blind_index_key_};
};

constexpr std::string_view kIdNumber = "11010519491231002X";

TEST_F(PiiVaultTest, R_S5_RoundTrip) {
  const std::string sealed = vault_.seal("id_number", kIdNumber);
  EXPECT_EQ(sealed.size(), kIdNumber.size() + kPiiSealOverheadBytes);
  EXPECT_EQ(sealed.find(kIdNumber), std::string::npos);  // no plaintext at rest
  EXPECT_EQ(vault_.open("id_number", sealed), std::optional<std::string>(kIdNumber));
}

TEST_F(PiiVaultTest, R_S5_RoundTripEmptyAndBinary) {
  EXPECT_EQ(vault_.open("phone", vault_.seal("phone", "")), std::optional<std::string>(""));
  const std::string binary = random_bytes(1000);
  EXPECT_EQ(vault_.open("client_secret", vault_.seal("client_secret", binary)),
            std::optional<std::string>(binary));
}

TEST_F(PiiVaultTest, R_S5_TamperingAnyByteIsDetected) {
  const std::string sealed = vault_.seal("phone", "13800138000");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string altered = sealed;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    EXPECT_FALSE(vault_.open("phone", altered).has_value()) << "byte " << i;
  }
  EXPECT_FALSE(vault_.open("phone", sealed.substr(0, sealed.size() - 1)).has_value());
  EXPECT_FALSE(vault_.open("phone", sealed + "x").has_value());
}

TEST_F(PiiVaultTest, R_S5_TooShortIsRejected) {
  EXPECT_FALSE(vault_.open("phone", "").has_value());
  EXPECT_FALSE(vault_.open("phone", std::string(kPiiSealOverheadBytes - 1, 'a')).has_value());
  EXPECT_FALSE(vault_.open("phone", std::string(kPiiSealOverheadBytes, 'a')).has_value());
}

TEST_F(PiiVaultTest, R_S5_CiphertextCannotMoveToAnotherField) {
  const std::string sealed = vault_.seal("phone", "13800138000");
  EXPECT_FALSE(vault_.open("id_number", sealed).has_value());
  EXPECT_FALSE(vault_.open("phone ", sealed).has_value());
  EXPECT_FALSE(vault_.open("", sealed).has_value());
}

TEST_F(PiiVaultTest, R_S5_AnotherKeyCannotOpen) {
  const PiiVault other(std::string(32, '\x33'), blind_index_key_);
  EXPECT_FALSE(other.open("phone", vault_.seal("phone", "13800138000")).has_value());
}

TEST_F(PiiVaultTest, R_S5_EachSealUsesAFreshNonce) {
  std::set<std::string> nonces;
  std::set<std::string> sealed_values;
  for (int i = 0; i < 100; ++i) {
    const std::string sealed = vault_.seal("id_number", kIdNumber);
    nonces.insert(sealed.substr(0, kPiiNonceBytes));
    sealed_values.insert(sealed);
  }
  EXPECT_EQ(nonces.size(), 100u);
  EXPECT_EQ(sealed_values.size(), 100u);
}

TEST_F(PiiVaultTest, R_S5_BlindIndexIsDeterministic) {
  const std::string a = vault_.blind_index("id_number", kIdNumber);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a, vault_.blind_index("id_number", kIdNumber));
  // Another vault with the same keys (a restart) finds the same rows.
  const PiiVault restarted(encryption_key_, blind_index_key_);
  EXPECT_EQ(a, restarted.blind_index("id_number", kIdNumber));
  EXPECT_NE(a, vault_.blind_index("id_number", "110105194912310021"));
}

TEST_F(PiiVaultTest, R_S5_BlindIndexIsFieldSeparated) {
  EXPECT_NE(vault_.blind_index("phone", "13800138000"),
            vault_.blind_index("bank_account", "13800138000"));
  // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
  EXPECT_NE(vault_.blind_index("ab", "c"), vault_.blind_index("a", "bc"));
}

TEST_F(PiiVaultTest, R_S5_BlindIndexDependsOnItsOwnKey) {
  const PiiVault other_index_key(encryption_key_, std::string(32, '\x44'));
  EXPECT_NE(vault_.blind_index("phone", "13800138000"),
            other_index_key.blind_index("phone", "13800138000"));
  // Changing only the encryption key leaves the index (and lookups) unchanged.
  const PiiVault other_encryption_key(std::string(32, '\x55'), blind_index_key_);
  EXPECT_EQ(vault_.blind_index("phone", "13800138000"),
            other_encryption_key.blind_index("phone", "13800138000"));
}

TEST(PiiVault, R_S5_KeysMustBe32Bytes) {
  const std::string good(32, 'k');
  EXPECT_THROW(PiiVault(std::string(31, 'k'), good), std::invalid_argument);
  EXPECT_THROW(PiiVault(std::string(33, 'k'), good), std::invalid_argument);
  EXPECT_THROW(PiiVault(good, ""), std::invalid_argument);
  EXPECT_THROW(PiiVault(good, std::string(64, 'k')), std::invalid_argument);
  EXPECT_NO_THROW(PiiVault(good, good));
  EXPECT_THROW(PiiVault(good, good, {std::string(31, 'k')}), std::invalid_argument);
}

// R-S9: after a rotation the new key seals, the retired one still opens what it sealed,
// and re-sealing moves each value to the new key; without the retired key it is gone.
TEST(PiiVault, R_S9_RotationKeepsOldSealsReadableUntilResealed) {
  const std::string old_key(32, '\x11');
  const std::string new_key(32, '\x66');
  PiiVault vault(old_key, std::string(32, '\x22'));
  const auto old_id = vault.key_id();
  const auto before = vault.seal("phone", "13800138000");
  EXPECT_FALSE(vault.has_retired_keys());

  vault.set_encryption_keys(new_key, {old_key});
  EXPECT_TRUE(vault.has_retired_keys());
  EXPECT_NE(vault.key_id(), old_id);
  EXPECT_EQ(vault.key_id().size(), 16U);
  EXPECT_EQ(vault.open("phone", before), std::optional<std::string>("13800138000"));
  const auto after = vault.seal("phone", "13900139000");
  EXPECT_EQ(PiiVault(new_key, std::string(32, '\x22')).open("phone", after),
            std::optional<std::string>("13900139000"));
  EXPECT_EQ(PiiVault(old_key, std::string(32, '\x22')).open("phone", after), std::nullopt);

  EXPECT_EQ(vault.reseal("phone", after).outcome, PiiVault::Resealed::Outcome::kCurrent);
  const auto moved = vault.reseal("phone", before);
  ASSERT_EQ(moved.outcome, PiiVault::Resealed::Outcome::kResealed);
  EXPECT_EQ(vault.reseal("name", before).outcome, PiiVault::Resealed::Outcome::kUnreadable);

  vault.set_encryption_keys(new_key, {});
  EXPECT_FALSE(vault.has_retired_keys());
  EXPECT_EQ(vault.open("phone", moved.sealed), std::optional<std::string>("13800138000"));
  EXPECT_EQ(vault.open("phone", before), std::nullopt);
  EXPECT_EQ(vault.reseal("phone", before).outcome, PiiVault::Resealed::Outcome::kUnreadable);
  EXPECT_THROW(vault.set_encryption_keys(std::string(3, 'k'), {}), std::invalid_argument);
  EXPECT_EQ(vault.open("phone", moved.sealed), std::optional<std::string>("13800138000"));
}

}  // namespace
}  // namespace essc::crypto
