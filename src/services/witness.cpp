#include "services/witness.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "common/assert.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/merkle.hpp"
#include "crypto/signed_note.hpp"

namespace essc::services {
namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // "— "

struct AddRequest {
  std::uint64_t old_size = 0;
  std::vector<std::string> proof;
  std::string_view note;
};

WitnessAnswer answer(int status, std::string body) {
  return {status, "text/plain; charset=utf-8", std::move(body)};
}

// ASCII decimal without leading zeroes ("0" itself excepted), as the spec writes sizes.
std::optional<std::uint64_t> parse_size(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The next newline-terminated line of `text`, without its newline; nullopt when none is
// terminated.
std::optional<std::string_view> take_line(std::string_view& text) {
  const auto end = text.find('\n');
  if (end == std::string_view::npos) return std::nullopt;
  const auto line = text.substr(0, end);
  text.remove_prefix(end + 1);
  return line;
}

// "old <size>\n", up to 63 base64 hashes one a line, an empty line, then the note.
std::optional<AddRequest> parse_request(std::string_view body) {
  AddRequest request;
  const auto old_line = take_line(body);
  if (!old_line || !old_line->starts_with("old ")) return std::nullopt;
  const auto old_size = parse_size(old_line->substr(4));
  if (!old_size) return std::nullopt;
  request.old_size = *old_size;
  while (true) {
    const auto line = take_line(body);
    if (!line) return std::nullopt;
    if (line->empty()) break;
    const auto hash = crypto::from_base64(*line);
    if (!hash || hash->size() != crypto::kSha256Bytes ||
        request.proof.size() == kWitnessProofLinesMax)
      return std::nullopt;
    request.proof.push_back(*hash);
  }
  request.note = body;
  return request;
}

// The signature line of the note `text` made by the key `vkey`, rebuilt from its parts so
// that what the witness keeps holds no other signer's lines.
std::optional<std::string> signature_line_of(std::string_view text, std::string_view vkey) {
  const auto verifier = crypto::parse_vkey(vkey);
  const auto note = crypto::parse_note(text);
  if (!verifier || !note) return std::nullopt;
  for (const auto& signature : note->signatures) {
    if (signature.name != verifier->name || signature.key_hash != verifier->key_hash) continue;
    return std::string(kSignaturePrefix) + signature.name + " " +
           crypto::to_base64(signature.key_hash + signature.signature) + "\n";
  }
  return std::nullopt;
}

void write_all(int fd, std::string_view text, const std::filesystem::path& file) {
  while (!text.empty()) {
    const auto n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw std::runtime_error("cannot write " + file.string() + ": " + std::strerror(errno));
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void fsync_or_throw(int fd, const std::filesystem::path& file) {
  if (::fsync(fd) != 0) {
    const auto reason = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("cannot sync " + file.string() + ": " + reason);
  }
}

// Temporary file, fsync, rename, fsync of the folder: after a crash the file holds the
// old text or the new, and once this returns the new text survives one.
void replace_durably(const std::filesystem::path& file, std::string_view text) {
  const auto next = std::filesystem::path(file.string() + ".next");
  const int fd = ::open(next.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error("cannot create " + next.string() + ": " + std::strerror(errno));
  try {
    write_all(fd, text, next);
  } catch (...) {
    ::close(fd);
    throw;
  }
  fsync_or_throw(fd, next);
  ::close(fd);
  if (::rename(next.c_str(), file.c_str()) != 0)
    throw std::runtime_error("cannot replace " + file.string() + ": " + std::strerror(errno));
  const int folder = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder < 0) throw std::runtime_error("cannot open " + file.parent_path().string());
  fsync_or_throw(folder, file.parent_path());
  ::close(folder);
}

// The state a log's file holds; throws when it is not a cosigned checkpoint of `origin`.
std::optional<WitnessedCheckpoint> read_state(const std::filesystem::path& file,
                                              std::string_view origin) {
  if (!std::filesystem::exists(file)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw std::runtime_error("cannot read " + file.string());
  const auto note = crypto::parse_note(text.str());
  const auto checkpoint = note ? crypto::parse_checkpoint_body(note->body) : std::nullopt;
  if (!checkpoint || checkpoint->origin != origin)
    throw std::runtime_error(file.string() + " is not a cosigned checkpoint of " +
                             std::string(origin) + "; restore it from a backup");
  return WitnessedCheckpoint{checkpoint->size, checkpoint->root, text.str()};
}

}  // namespace

std::string witness_state_file_name(std::string_view origin) {
  return "log-" + crypto::to_hex(crypto::sha256(origin)) + ".note";
}

TlogWitness::TlogWitness(std::filesystem::path state_dir, WitnessIdentity identity,
                         std::vector<WitnessedLog> logs, SecondsClock clock)
    : state_dir_(std::move(state_dir)), identity_(std::move(identity)), clock_(std::move(clock)) {
  ESSC_INVARIANT(identity_.seed.size() == 32);
  for (auto& config : logs) {
    ESSC_INVARIANT(!config.vkeys.empty());
    for (const auto& vkey : config.vkeys) {
      const auto verifier = crypto::parse_vkey(vkey);
      ESSC_INVARIANT(verifier && verifier->type == crypto::kNoteKeyEd25519);
    }
    auto log = std::make_unique<Log>();
    log->state_file = state_dir_ / witness_state_file_name(config.origin);
    log->held = read_state(log->state_file, config.origin);
    log->config = std::move(config);
    const auto [_, inserted] = logs_.emplace(log->config.origin, std::move(log));
    ESSC_INVARIANT(inserted);
  }
}

WitnessAnswer TlogWitness::add_checkpoint(std::string_view request_body) {
  if (request_body.size() > kWitnessRequestBytesMax) return answer(400, "request too large\n");
  const auto request = parse_request(request_body);
  if (!request) return answer(400, "malformed add-checkpoint request\n");
  const auto note = crypto::parse_note(request->note);
  const auto checkpoint = note ? crypto::parse_checkpoint_body(note->body) : std::nullopt;
  if (!checkpoint) return answer(400, "malformed checkpoint\n");
  const auto found = logs_.find(checkpoint->origin);
  if (found == logs_.end()) return answer(404, "unknown log origin\n");
  Log& log = *found->second;
  std::optional<std::string> log_line;
  for (const auto& vkey : log.config.vkeys) {
    log_line = signature_line_of(request->note, vkey);
    if (log_line && crypto::verify_note(request->note, vkey)) break;
    log_line.reset();
  }
  if (!log_line) return answer(403, "no signature of the log's keys verifies\n");
  if (request->old_size > checkpoint->size) return answer(400, "old size above the checkpoint's\n");
  return add_to_log(log, request->old_size, request->proof, note->body, *log_line);
}

WitnessAnswer TlogWitness::add_to_log(Log& log, std::uint64_t old_size,
                                      const std::vector<std::string>& proof, std::string_view body,
                                      std::string_view log_signature_line) {
  const auto checkpoint = crypto::parse_checkpoint_body(body);
  ESSC_INVARIANT(checkpoint.has_value());
  const std::lock_guard lock(log.mutex);
  const std::uint64_t held_size = log.held ? log.held->size : 0;
  const std::string held_root = log.held ? log.held->root : crypto::merkle_empty_root();
  if (old_size != held_size) return {409, kTlogSizeContentType, std::to_string(held_size) + "\n"};
  if (checkpoint->size == held_size && checkpoint->root != held_root)
    return answer(409, "same size, another root: a fork of the checkpoint cosigned\n");
  // From size 0 only an empty proof verifies, as the spec asks.
  if (!crypto::verify_merkle_consistency(held_size, checkpoint->size, held_root, checkpoint->root,
                                         proof))
    return answer(422, "the consistency proof does not verify\n");
  const auto cosignature = crypto::cosignature_line(body, identity_.name, identity_.seed, clock_());
  WitnessedCheckpoint next{
      checkpoint->size, checkpoint->root,
      std::string(body) + "\n" + std::string(log_signature_line) + cosignature};
  replace_durably(log.state_file, next.note);
  log.held = std::move(next);
  return answer(200, cosignature);
}

WitnessAnswer TlogWitness::latest(std::optional<std::string_view> origin) const {
  if (!origin && logs_.size() != 1) return answer(400, "name the log: ?origin=\n");
  const auto found = origin ? logs_.find(*origin) : logs_.begin();
  if (found == logs_.end()) return answer(404, "unknown log origin\n");
  const std::lock_guard lock(found->second->mutex);
  if (!found->second->held) return answer(404, "no checkpoint cosigned yet\n");
  return answer(200, found->second->held->note);
}

std::optional<WitnessedCheckpoint> TlogWitness::held(std::string_view origin) const {
  const auto found = logs_.find(origin);
  if (found == logs_.end()) return std::nullopt;
  const std::lock_guard lock(found->second->mutex);
  return found->second->held;
}

std::string TlogWitness::vkey() const {
  return crypto::note_vkey(identity_.name, crypto::ed25519_public_key(identity_.seed),
                           crypto::kNoteKeyCosignature);
}

}  // namespace essc::services
