#include "cli/keys.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "cli/config.hpp"
#include "cli/file_stamp.hpp"
#include "cli/key_file.hpp"
#include "cli/store_choice.hpp"
#include "common/clock.hpp"
#include "common/limits.hpp"
#include "common/log.hpp"
#include "crypto/pii_vault.hpp"
#include "crypto/random.hpp"
#include "crypto/signed_note.hpp"
#include "store/pii_reseal_repository.hpp"

namespace essc::cli {
namespace {

// An exclusive lock on the data folder for the life of the object (flock on the folder).
class FolderLock {
 public:
  explicit FolderLock(const std::filesystem::path& folder) {
    fd_ = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
      const std::string reason = std::strerror(errno);
      if (fd_ >= 0) ::close(fd_);
      throw std::runtime_error("cannot lock " + folder.string() + ": " + reason);
    }
  }
  ~FolderLock() { ::close(fd_); }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

std::int64_t published_until_ms(const crypto::SigningKey& key) {
  return key.retired_at_ms + limits::kQrKeyRetiredPublishedMs;
}

// The vault key, any retired one, and re-sealing's progress (from the store) under the
// current key while one is retired.
void print_pii_key_status(const DataDir& dir, const Config& config, const crypto::KeySet& keys,
                          std::ostream& out) {
  const auto current = crypto::pii_key_id(keys.pii_key);
  out << "pii " << current << " current: seals personal data\n";
  for (const auto& retired : keys.retired_pii_keys) {
    out << "pii " << crypto::pii_key_id(retired.key) << " retired "
        << format_rfc3339(retired.retired_at_ms) << ", opens what it sealed until re-sealed\n";
  }
  if (keys.retired_pii_keys.empty()) return;
  SystemClock clock;
  OpenedStore opened(dir.database(), dir.nonces(), config, clock);
  const auto progress = opened.database().read(
      [&](store::Connection& c) { return store::reseal_progress(c, current); });
  for (const auto& table : progress) {
    out << "pii re-sealing " << table.table << ": " << (table.done ? "done" : "in progress") << ", "
        << table.checked << " rows checked, " << table.resealed << " values re-sealed";
    if (table.unreadable > 0) out << ", " << table.unreadable << " unreadable";
    out << "\n";
  }
}

}  // namespace

crypto::KeySet rotated_qr_keys(crypto::KeySet keys, std::string_view algorithm,
                               std::int64_t now_ms) {
  for (auto it = keys.qr_signing_keys.rbegin(); it != keys.qr_signing_keys.rend(); ++it) {
    if (it->algorithm == algorithm && it->retired_at_ms == 0) {
      it->retired_at_ms = now_ms;
      break;
    }
  }
  keys.qr_signing_keys.push_back(algorithm == crypto::kSm2
                                     ? crypto::generate_sm2_signing_key(now_ms)
                                     : crypto::generate_signing_key(now_ms));
  return keys;
}

crypto::KeySet rotated_audit_keys(crypto::KeySet keys, std::int64_t now_ms) {
  keys.retired_audit_keys.push_back({crypto::ed25519_public_key(keys.audit_log_seed), now_ms});
  keys.audit_log_seed = crypto::random_bytes(crypto::kSecretKeyBytes);
  return keys;
}

crypto::KeySet rotated_pii_keys(crypto::KeySet keys, std::int64_t now_ms) {
  if (!keys.retired_pii_keys.empty()) {
    throw std::runtime_error("the pii key rotated on " +
                             format_rfc3339(keys.retired_pii_keys.back().retired_at_ms) +
                             " is still re-sealing; `essc keys status` shows how far it has come");
  }
  keys.retired_pii_keys.push_back({keys.pii_key, now_ms});
  keys.pii_key = crypto::random_bytes(crypto::kSecretKeyBytes);
  return keys;
}

void rotate_pii_key(const DataDir& dir, std::ostream& out) {
  FolderLock lock(dir.root);
  SystemClock clock;
  const auto now = clock.now_ms();
  const auto after = rotated_pii_keys(read_key_file(dir.keys()), now);
  replace_key_file(dir.keys(), after);
  out << "pii key " << crypto::pii_key_id(after.pii_key) << " seals from now on; servers of "
      << dir.root.string() << " take it within " << limits::kKeyFileWatchMs / 1000 << " s\n";
  out << "pii key " << crypto::pii_key_id(after.retired_pii_keys.back().key)
      << " retired; running servers re-seal every sealed field from "
      << format_rfc3339(now + limits::kPiiResealGraceMs)
      << " and then remove it from the key file (`essc keys status` shows the progress)\n";
}

bool drop_retired_pii_keys(const DataDir& dir, std::string_view current_key_id) {
  FolderLock lock(dir.root);
  auto keys = read_key_file(dir.keys());
  if (keys.retired_pii_keys.empty() || crypto::pii_key_id(keys.pii_key) != current_key_id)
    return false;
  keys.retired_pii_keys.clear();
  replace_key_file(dir.keys(), keys);
  return true;
}

void rotate_qr_key(const DataDir& dir, std::ostream& out) {
  const auto config = load_config(dir.config());
  FolderLock lock(dir.root);
  SystemClock clock;
  const auto now = clock.now_ms();
  const auto before = read_key_file(dir.keys());
  const auto after = rotated_qr_keys(before, config.qr_algorithm, now);
  replace_key_file(dir.keys(), after);
  const auto& added = after.qr_signing_keys.back();
  out << "qr key " << added.kid << " (" << added.algorithm << ") signs from now on; servers of "
      << dir.root.string() << " take it within " << limits::kKeyFileWatchMs / 1000 << " s\n";
  for (std::size_t i = 0; i < before.qr_signing_keys.size(); ++i) {
    const auto& old = after.qr_signing_keys[i];
    if (old.retired_at_ms == now) {
      out << "qr key " << old.kid << " retired; published in /v1/keys until "
          << format_rfc3339(published_until_ms(old)) << "\n";
    }
  }
}

void rotate_audit_key(const DataDir& dir, std::ostream& out) {
  const auto origin = App::audit_origin(load_config(dir.config()), dir);
  FolderLock lock(dir.root);
  SystemClock clock;
  const auto now = clock.now_ms();
  const auto before = read_key_file(dir.keys());
  if (before.audit_log_seed.empty())
    throw std::runtime_error(
        "the folder's log has no key yet; `essc serve` or `essc audit verify` "
        "gives it one");
  const auto after = rotated_audit_keys(before, now);
  replace_key_file(dir.keys(), after);
  const auto new_vkey = crypto::note_vkey(origin, crypto::ed25519_public_key(after.audit_log_seed));
  const auto old_vkey = crypto::note_vkey(origin, after.retired_audit_keys.back().public_key);
  out << "audit key " << new_vkey << " signs the next checkpoint; servers of " << dir.root.string()
      << " take it within " << limits::kKeyFileWatchMs / 1000 << " s\n";
  out << "audit key " << old_vkey << " retired " << format_rfc3339(now)
      << "; it still verifies the checkpoints it signed\n";
  out << "witnesses: give each witness's operator the new vkey, to serve with `essc audit witness "
         "serve ... --log "
      << old_vkey << " --log " << new_vkey << "`; until then they refuse the new checkpoints\n";
}

void print_key_status(const DataDir& dir, std::ostream& out) {
  const auto config = load_config(dir.config());
  const auto keys = read_key_file(dir.keys());
  SystemClock clock;
  const auto now = clock.now_ms();
  std::string signing_kid;
  for (const auto& key : keys.qr_signing_keys) {
    if (key.algorithm == config.qr_algorithm && key.retired_at_ms == 0) signing_kid = key.kid;
  }
  for (const auto& key : keys.qr_signing_keys) {
    out << "qr " << key.kid << " " << key.algorithm << " created "
        << format_rfc3339(key.created_at_ms) << " ";
    if (key.kid == signing_kid) {
      out << "current: signs QR codes\n";
    } else if (key.retired_at_ms == 0) {
      out << "standby: signs when [security] qr_algorithm = \"" << key.algorithm << "\"\n";
    } else if (published_until_ms(key) > now) {
      out << "retired " << format_rfc3339(key.retired_at_ms) << ", in /v1/keys until "
          << format_rfc3339(published_until_ms(key)) << "\n";
    } else {
      out << "retired " << format_rfc3339(key.retired_at_ms)
          << ", no longer published (kept to verify what it signed)\n";
    }
  }
  print_pii_key_status(dir, config, keys, out);
  const auto origin = App::audit_origin(config, dir);
  if (keys.audit_log_seed.empty()) {
    out << "audit no key yet: the first `essc serve` or `essc audit verify` makes one\n";
  } else {
    out << "audit " << crypto::note_vkey(origin, crypto::ed25519_public_key(keys.audit_log_seed))
        << " current: signs the log's checkpoints\n";
  }
  for (auto it = keys.retired_audit_keys.rbegin(); it != keys.retired_audit_keys.rend(); ++it) {
    out << "audit " << crypto::note_vkey(origin, it->public_key) << " retired "
        << format_rfc3339(it->retired_at_ms) << ", verifies the checkpoints it signed\n";
  }
}

// stamp_ starts empty: the first check reads the file, so a rotation since start-up counts.
KeyFileWatch::KeyFileWatch(std::filesystem::path file, Apply apply)
    : file_(std::move(file)), apply_(std::move(apply)) {}

void KeyFileWatch::start() {
  task_.start("key_file_reload_failed", std::chrono::milliseconds(limits::kKeyFileWatchMs), false,
              [this] { check(); });
}

void KeyFileWatch::stop() { task_.stop(); }

void KeyFileWatch::check() {
  const auto stamp = file_stamp(file_);
  if (stamp.empty() || stamp == stamp_) return;
  const auto keys = read_key_file(file_);  // a throw is logged; the next period tries again
  apply_(keys);
  stamp_ = stamp;
  log_event(spdlog::level::info, {{"event", "keys_reloaded"}});
}

}  // namespace essc::cli
