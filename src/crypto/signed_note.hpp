// Signed notes (c2sp.org/signed-note) with Ed25519, the checkpoints of a transparency log
// (c2sp.org/tlog-checkpoint) and witnesses' cosignatures of them (c2sp.org/tlog-cosignature,
// cosignature/v1): the formats the audit log publishes (API.md "Audit log").
//
// A note is a body of newline-terminated lines, an empty line, then signature lines
// "— <key name> <base64(4-byte key hash ‖ signature)>". The key hash of a note key is
// SHA-256(name ‖ "\n" ‖ type ‖ public key)[:4], type 0x01 for a log's Ed25519 key and
// 0x04 for a cosigner's; a verifier key (vkey) is "<name>+<key hash hex>+<base64(type ‖
// public key)>".
//
// Thread safety: pure functions, safe from any thread (libsodium is initialised by each).
// Invariants: a note this signs verifies here and with any signed-note verifier; parsing
// never throws, whatever the input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essc::crypto {

inline constexpr unsigned char kNoteKeyEd25519 = 0x01;
inline constexpr unsigned char kNoteKeyCosignature = 0x04;

struct NoteVerifier {
  std::string name;
  std::string key_hash;  // 4 bytes
  unsigned char type = kNoteKeyEd25519;
  std::string public_key;  // 32 bytes
};

std::string ed25519_public_key(std::string_view seed);
std::string note_key_hash(std::string_view name, unsigned char type, std::string_view public_key);
std::string note_vkey(std::string_view name, std::string_view public_key,
                      unsigned char type = kNoteKeyEd25519);
std::optional<NoteVerifier> parse_vkey(std::string_view vkey);

// The three lines of a checkpoint body.
struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  std::string root;  // 32 raw bytes
};
std::string checkpoint_body(const Checkpoint& checkpoint);
// Extension lines after the third are allowed and ignored.
std::optional<Checkpoint> parse_checkpoint_body(std::string_view body);

// body + "\n" + the signature line of `name` with the Ed25519 `seed`.
std::string sign_note(std::string_view body, std::string_view name, std::string_view seed);

struct NoteSignature {
  std::string name;
  std::string key_hash;   // 4 bytes
  std::string signature;  // what follows the key hash
};
struct Note {
  std::string body;  // up to and including its last newline
  std::vector<NoteSignature> signatures;
};
std::optional<Note> parse_note(std::string_view text);

// The body of `text` when a signature line of `vkey`'s name and key hash verifies over it.
std::optional<std::string> verify_note(std::string_view text, std::string_view vkey);

// A cosignature/v1 line of the checkpoint `body` by the cosigner `name` at `timestamp`
// (POSIX seconds).
std::string cosignature_line(std::string_view body, std::string_view name, std::string_view seed,
                             std::uint64_t timestamp);
// The timestamp of the cosignature of the witness `vkey` (type 0x04) in `text`, when one
// verifies.
std::optional<std::uint64_t> verify_cosignature(std::string_view text, std::string_view vkey);

}  // namespace essc::crypto
