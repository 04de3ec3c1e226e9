#include "crypto/signed_note.hpp"

#include <sodium.h>

#include <charconv>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/sodium.hpp"

namespace essc::crypto {
namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // "— "
constexpr std::size_t kKeyHashBytes = 4;
constexpr std::size_t kTimestampBytes = 8;

bool valid_key_name(std::string_view name) {
  return !name.empty() && name.find_first_of(" \t\n+") == std::string_view::npos;
}

std::string signature_bytes(std::string_view message, std::string_view seed) {
  initialize_sodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, reinterpret_cast<const unsigned char*>(seed.data()));
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), sk);
  sodium_memzero(sk, sizeof sk);
  return {reinterpret_cast<const char*>(sig), sizeof sig};
}

bool ed25519_verifies(std::string_view message, std::string_view signature,
                      std::string_view public_key) {
  initialize_sodium();
  return signature.size() == crypto_sign_BYTES && public_key.size() == crypto_sign_PUBLICKEYBYTES &&
         crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(signature.data()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
             reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

std::string signature_line(std::string_view name, std::string_view key_hash,
                           std::string_view bytes) {
  std::string payload(key_hash);
  payload += bytes;
  return std::string(kSignaturePrefix) + std::string(name) + " " + to_base64(payload) + "\n";
}

// The signature of `text` whose name and key hash are the verifier's.
std::optional<std::pair<std::string, NoteSignature>> signature_for(std::string_view text,
                                                                   const NoteVerifier& v) {
  auto note = parse_note(text);
  if (!note) return std::nullopt;
  for (auto& s : note->signatures) {
    if (s.name == v.name && s.key_hash == v.key_hash) return std::pair{note->body, std::move(s)};
  }
  return std::nullopt;
}

std::string cosigned_message(std::string_view body, std::uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(body);
}

}  // namespace

std::string ed25519_public_key(std::string_view seed) {
  initialize_sodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, reinterpret_cast<const unsigned char*>(seed.data()));
  sodium_memzero(sk, sizeof sk);
  return {reinterpret_cast<const char*>(pk), sizeof pk};
}

std::string note_key_hash(std::string_view name, unsigned char type, std::string_view public_key) {
  std::string input(name);
  input += '\n';
  input += static_cast<char>(type);
  input += public_key;
  return sha256(input).substr(0, kKeyHashBytes);
}

std::string note_vkey(std::string_view name, std::string_view public_key, unsigned char type) {
  std::string typed(1, static_cast<char>(type));
  typed += public_key;
  return std::string(name) + "+" + to_hex(note_key_hash(name, type, public_key)) + "+" +
         to_base64(typed);
}

std::optional<NoteVerifier> parse_vkey(std::string_view vkey) {
  const auto first = vkey.find('+');
  if (first == std::string_view::npos || vkey.size() < first + 10 || vkey[first + 9] != '+')
    return std::nullopt;
  NoteVerifier v;
  v.name = std::string(vkey.substr(0, first));
  const auto hash = from_hex(vkey.substr(first + 1, 8));
  const auto typed = from_base64(vkey.substr(first + 10));
  if (!valid_key_name(v.name) || !hash || !typed || typed->size() != 1 + crypto_sign_PUBLICKEYBYTES)
    return std::nullopt;
  v.type = static_cast<unsigned char>((*typed)[0]);
  v.public_key = typed->substr(1);
  if (v.type != kNoteKeyEd25519 && v.type != kNoteKeyCosignature) return std::nullopt;
  if (note_key_hash(v.name, v.type, v.public_key) != *hash) return std::nullopt;
  v.key_hash = *hash;
  return v;
}

std::string checkpoint_body(const Checkpoint& checkpoint) {
  return checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
         to_base64(checkpoint.root) + "\n";
}

std::optional<Checkpoint> parse_checkpoint_body(std::string_view body) {
  std::vector<std::string_view> lines;
  while (!body.empty()) {
    const auto end = body.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    lines.push_back(body.substr(0, end));
    body.remove_prefix(end + 1);
  }
  if (lines.size() < 3 || lines[0].empty()) return std::nullopt;
  Checkpoint cp;
  cp.origin = std::string(lines[0]);
  const auto& size = lines[1];
  const auto [ptr, ec] = std::from_chars(size.data(), size.data() + size.size(), cp.size);
  if (ec != std::errc() || ptr != size.data() + size.size() || size.empty() ||
      (size.size() > 1 && size[0] == '0'))
    return std::nullopt;
  const auto root = from_base64(lines[2]);
  if (!root || root->size() != kSha256Bytes) return std::nullopt;
  cp.root = *root;
  return cp;
}

std::string sign_note(std::string_view body, std::string_view name, std::string_view seed) {
  const auto key_hash = note_key_hash(name, kNoteKeyEd25519, ed25519_public_key(seed));
  return std::string(body) + "\n" + signature_line(name, key_hash, signature_bytes(body, seed));
}

std::optional<Note> parse_note(std::string_view text) {
  const auto split = text.rfind("\n\n");
  if (split == std::string_view::npos || !text.ends_with('\n')) return std::nullopt;
  Note note{std::string(text.substr(0, split + 1)), {}};
  auto rest = text.substr(split + 2);
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    auto line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    if (!line.starts_with(kSignaturePrefix)) return std::nullopt;
    line.remove_prefix(kSignaturePrefix.size());
    const auto space = line.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    const auto payload = from_base64(line.substr(space + 1));
    const auto name = line.substr(0, space);
    if (!valid_key_name(name) || !payload || payload->size() <= kKeyHashBytes) return std::nullopt;
    note.signatures.push_back(
        {std::string(name), payload->substr(0, kKeyHashBytes), payload->substr(kKeyHashBytes)});
  }
  if (note.signatures.empty()) return std::nullopt;
  return note;
}

std::optional<std::string> verify_note(std::string_view text, std::string_view vkey) {
  const auto v = parse_vkey(vkey);
  if (!v || v->type != kNoteKeyEd25519) return std::nullopt;
  auto found = signature_for(text, *v);
  if (!found || !ed25519_verifies(found->first, found->second.signature, v->public_key))
    return std::nullopt;
  return std::move(found->first);
}

std::string cosignature_line(std::string_view body, std::string_view name, std::string_view seed,
                             std::uint64_t timestamp) {
  std::string bytes;
  for (int shift = 56; shift >= 0; shift -= 8)
    bytes += static_cast<char>((timestamp >> shift) & 0xff);
  bytes += signature_bytes(cosigned_message(body, timestamp), seed);
  const auto key_hash = note_key_hash(name, kNoteKeyCosignature, ed25519_public_key(seed));
  return signature_line(name, key_hash, bytes);
}

std::optional<std::uint64_t> verify_cosignature(std::string_view text, std::string_view vkey) {
  const auto v = parse_vkey(vkey);
  if (!v || v->type != kNoteKeyCosignature) return std::nullopt;
  const auto found = signature_for(text, *v);
  if (!found || found->second.signature.size() != kTimestampBytes + crypto_sign_BYTES)
    return std::nullopt;
  std::uint64_t timestamp = 0;
  for (std::size_t i = 0; i < kTimestampBytes; ++i)
    timestamp = (timestamp << 8) | static_cast<unsigned char>(found->second.signature[i]);
  if (timestamp > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  if (!ed25519_verifies(cosigned_message(found->first, timestamp),
                        std::string_view(found->second.signature).substr(kTimestampBytes),
                        v->public_key))
    return std::nullopt;
  return timestamp;
}

}  // namespace essc::crypto
