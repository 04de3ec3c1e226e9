#include "crypto/signed_note.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace essc::crypto {
namespace {

// The example of golang.org/x/mod/sumdb/note, which c2sp.org/signed-note follows.
constexpr char kPeterText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr char kPeterVkey[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr char kPeterSignature[] =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

std::string peter_seed() {
  return from_base64("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")->substr(1);
}

TEST(SignedNote, R_S6_SignsAndVerifiesTheReferenceNoteByteForByte) {
  const auto seed = peter_seed();
  EXPECT_EQ(note_vkey("PeterNeumann", ed25519_public_key(seed)), kPeterVkey);
  const auto note = sign_note(kPeterText, "PeterNeumann", seed);
  EXPECT_EQ(note, std::string(kPeterText) + "\n" + kPeterSignature);
  EXPECT_EQ(verify_note(note, kPeterVkey), kPeterText);
}

TEST(SignedNote, R_S6_RefusesATamperedBodyOrSignatureOrAnotherKey) {
  const auto note = sign_note(kPeterText, "PeterNeumann", peter_seed());
  auto body_changed = note;
  body_changed[3] = 'X';
  EXPECT_FALSE(verify_note(body_changed, kPeterVkey));
  auto signature_changed = note;
  signature_changed[signature_changed.size() - 6] ^= 1;
  EXPECT_FALSE(verify_note(signature_changed, kPeterVkey));
  const auto other = random_bytes(32);
  EXPECT_FALSE(verify_note(note, note_vkey("PeterNeumann", ed25519_public_key(other))));
  EXPECT_FALSE(verify_note(sign_note(kPeterText, "PeterNeumann", other), kPeterVkey));
  for (const char* bad : {"", "\n", "a\n\n", "a\n\n\xE2\x80\x94 x\n", "a\n\n\xE2\x80\x94 x !!!\n",
                          "a\n\n- PeterNeumann x08go/ZJ==\n"}) {
    EXPECT_FALSE(verify_note(bad, kPeterVkey)) << bad;
  }
  for (const char* bad : {"", "PeterNeumann", "PeterNeumann+c74f20a3", "PeterNeumann+c74f20a4+ARpc",
                          "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"}) {
    EXPECT_FALSE(parse_vkey(bad)) << bad;
  }
}

TEST(SignedNote, R_S6_ACheckpointBodyIsOriginSizeAndRoot) {
  const Checkpoint cp{"essc.local/330200", 20852163, sha256("root")};
  const auto body = checkpoint_body(cp);
  EXPECT_EQ(body, "essc.local/330200\n20852163\n" + to_base64(sha256("root")) + "\n");
  const auto parsed = parse_checkpoint_body(body + "extension line\n");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->origin, cp.origin);
  EXPECT_EQ(parsed->size, cp.size);
  EXPECT_EQ(parsed->root, cp.root);
  for (const char* bad : {"o\n1\n", "o\n01\nAAAA\n",
                          "o\n-1\n"
                          "AAAA\n",
                          "\n1\nAAAA\n", "o\n1\nAAAA"}) {
    EXPECT_FALSE(parse_checkpoint_body(bad)) << bad;
  }
}

TEST(SignedNote, R_S7_ACosignatureCoversTheTimeAndTheBody) {
  const auto log_seed = random_bytes(32);
  const auto witness_seed = random_bytes(32);
  const auto body = checkpoint_body({"essc.test/log", 5, sha256("r")});
  const auto note = sign_note(body, "essc.test/log", log_seed);
  const auto witness_vkey =
      note_vkey("witness.example/w1", ed25519_public_key(witness_seed), kNoteKeyCosignature);
  const auto cosigned =
      note + cosignature_line(body, "witness.example/w1", witness_seed, 1679315147);
  EXPECT_EQ(verify_cosignature(cosigned, witness_vkey), 1679315147u);
  EXPECT_TRUE(verify_note(cosigned, note_vkey("essc.test/log", ed25519_public_key(log_seed))));
  // The log's own signature is not a cosignature, and a cosignature of another body fails.
  EXPECT_FALSE(verify_cosignature(note, witness_vkey));
  const auto other = checkpoint_body({"essc.test/log", 6, sha256("r")});
  EXPECT_FALSE(verify_cosignature(
      note + cosignature_line(other, "witness.example/w1", witness_seed, 1), witness_vkey));
}

// A cosignature of the spec's example checkpoint (c2sp.org/tlog-cosignature) by the seed
// 00 01 … 1f at the spec's time, computed apart with Python's `cryptography` (OpenSSL).
TEST(SignedNote, R_S7_CosignsTheSpecExampleAsAnotherImplementationDoes) {
  std::string seed;
  for (int i = 0; i < 32; ++i) seed += static_cast<char>(i);
  const auto vkey = note_vkey("witness.example/w1", ed25519_public_key(seed), kNoteKeyCosignature);
  EXPECT_EQ(vkey, "witness.example/w1+e75f6532+BAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4");
  const std::string body =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  const std::string line =
      "\xE2\x80\x94 witness.example/w1 "
      "519lMgAAAABkGFDLBuRDazBLVac2NE+Y+IjbjQOcXLfF9CSDZVUIoS83rE1nFZsVE8YiWV6Ngr7lV8H6bdoBQGP/"
      "l73euDMQ9k+bBQ==\n";
  EXPECT_EQ(cosignature_line(body, "witness.example/w1", seed, 1679315147), line);
  const auto note = sign_note(body, "example.com/behind-the-sofa", random_bytes(32));
  EXPECT_EQ(verify_cosignature(note + line, vkey), 1679315147u);
  // The timestamp is signed: the same line with another time does not verify.
  const auto space = line.rfind(' ');
  auto payload = from_base64(line.substr(space + 1, line.size() - space - 2));
  ASSERT_TRUE(payload);
  (*payload)[11] ^= 1;
  const auto moved = line.substr(0, space + 1) + to_base64(*payload) + "\n";
  EXPECT_FALSE(verify_cosignature(note + moved, vkey));
}

}  // namespace
}  // namespace essc::crypto
