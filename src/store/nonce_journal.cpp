#include "store/nonce_journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "common/limits.hpp"
#include "common/log.hpp"

namespace essc::store {
namespace {

constexpr std::string_view kPrefix = "journal-";
constexpr std::string_view kSuffix = ".log";

// How long after a file was opened every nonce in it has expired: written until the
// file rotates (and one sync later), each expiring at most a window after its timestamp,
// which may itself be a window ahead of the clock.
constexpr std::int64_t kFileLifeMs = limits::kNonceJournalRotateMs +
                                     2 * limits::kNonceJournalSyncMs +
                                     (2 * limits::kSignatureWindowSeconds + 2) * 1000;

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
  throw std::runtime_error("nonce journal: " + what + " " + path.string() + ": " +
                           std::strerror(errno));
}

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The opening time a journal file's name carries, or nullopt for any other file.
std::optional<std::int64_t> opened_ms_of(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return std::nullopt;
  return to_int(
      std::string_view(name).substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size()));
}

std::filesystem::path file_name(const std::filesystem::path& folder, std::int64_t opened_ms) {
  std::string digits = std::to_string(opened_ms);
  digits.insert(0, 16 - std::min<std::size_t>(16, digits.size()), '0');  // names sort as times
  return folder / (std::string(kPrefix) + digits + std::string(kSuffix));
}

struct FileSummary {
  std::string boot_id;
  std::int64_t last_sync_ms = 0;
  std::int64_t refuse_through_s = NonceJournal::kNothingRefused;
  bool closed = false;
};

// One complete line of a journal file: what it says goes into `summary`, and its nonce,
// if unexpired, to `unexpired`.
void read_line(std::string_view line, std::int64_t now_ms, const JournalledNonceSink& unexpired,
               FileSummary& summary) {
  summary.closed = line == "C";
  if (line.size() < 2 || line[1] != ' ') return;
  const auto rest = line.substr(2);
  if (line[0] == 'B') summary.boot_id = std::string(rest);
  if (line[0] == 'S')
    summary.last_sync_ms = std::max(summary.last_sync_ms, to_int(rest).value_or(0));
  if (line[0] == 'R')
    summary.refuse_through_s = std::max(summary.refuse_through_s, to_int(rest).value_or(0));
  if (line[0] != 'N') return;
  const auto a = rest.find(' ');
  const auto b = a == std::string_view::npos ? a : rest.find(' ', a + 1);
  if (b == std::string_view::npos) return;
  const auto expires = to_int(rest.substr(0, a));
  if (expires && *expires > now_ms)
    unexpired({*expires, rest.substr(a + 1, b - a - 1), rest.substr(b + 1)});
}

// Reads one file's complete lines (a torn last line is ignored) a block at a time. A file
// that cannot be read stops the start: its nonces, forgotten, could be replayed.
FileSummary read_file(const std::filesystem::path& path, std::int64_t now_ms,
                      const JournalledNonceSink& unexpired) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", path);
  const struct Closed {
    int fd;
    ~Closed() { ::close(fd); }
  } fd_closed{fd};
  FileSummary summary;
  std::string block(std::size_t{64} << 10, '\0');
  std::string pending;  // lines not yet read whole
  for (;;) {
    const auto got = ::read(fd, block.data(), block.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail("cannot read", path);
    if (got == 0) return summary;  // what is left pending is the torn last line
    pending.append(block.data(), static_cast<std::size_t>(got));
    std::size_t start = 0;
    for (std::size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1)
      read_line(std::string_view(pending).substr(start, end - start), now_ms, unexpired, summary);
    pending.erase(0, start);
  }
}

}  // namespace

std::string read_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

NonceJournal::NonceJournal(std::filesystem::path folder, const Clock& clock, std::string boot_id,
                           const JournalledNonceSink& unexpired)
    : folder_(std::move(folder)), clock_(clock), boot_id_(std::move(boot_id)) {
  found_journal_ = std::filesystem::is_directory(folder_);
  std::filesystem::create_directories(folder_);
  std::filesystem::permissions(folder_, std::filesystem::perms::owner_all);
  const auto lock_path = folder_ / "lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) fail("cannot open", lock_path);
  try {
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
      throw std::runtime_error("nonce journal: " + folder_.string() +
                               " is in use by another essc process");
    }
    const auto now = clock_.now_ms();
    load(now, unexpired);
    remove_expired(now);
    open_file(now);
  } catch (...) {
    ::close(lock_fd_);  // and with it any lock: the folder is free for the next attempt
    lock_fd_ = -1;
    throw;
  }
}

NonceJournal::~NonceJournal() {
  try {
    close();
  } catch (const std::exception& e) {
    log_event(spdlog::level::err,
              {{"event", "nonce_journal_close_failed"}, {"detail", std::string_view(e.what())}});
  }
}

void NonceJournal::load(std::int64_t now_ms, const JournalledNonceSink& unexpired) {
  std::vector<std::pair<std::int64_t, std::filesystem::path>> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
    if (const auto opened = opened_ms_of(entry.path())) files.emplace_back(*opened, entry.path());
  }
  std::sort(files.begin(), files.end());
  FileSummary newest;
  for (const auto& [opened, path] : files) {
    newest = read_file(path, now_ms, unexpired);
    newest.last_sync_ms = std::max(newest.last_sync_ms, opened);
    refuse_through_s_ = std::max(refuse_through_s_, newest.refuse_through_s);
    last_file_ms_ = std::max(last_file_ms_, opened);
  }
  const bool machine_went_down = !files.empty() && !newest.closed && newest.boot_id != boot_id_;
  if (machine_went_down) {
    // Nonces written after the last sync may be lost; their timestamps were at most a
    // window ahead of a clock at most one sync interval past that sync.
    const std::int64_t lost_through_s = newest.last_sync_ms / 1000 +
                                        limits::kSignatureWindowSeconds +
                                        (limits::kNonceJournalSyncMs + 999) / 1000 + 1;
    refuse_through_s_ = std::max(refuse_through_s_, lost_through_s);
    log_event(spdlog::level::warn,
              {{"event", "nonce_journal_unclean_boot"}, {"refuse_through_s", refuse_through_s_}});
  }
  if (refuse_through_s_ < now_ms / 1000 - limits::kSignatureWindowSeconds)
    refuse_through_s_ = kNothingRefused;
}

void NonceJournal::write_line(int fd, std::string_view line) const {
  const auto written = ::write(fd, line.data(), line.size());
  if (written != static_cast<ssize_t>(line.size())) fail("cannot write to", folder_);
}

void NonceJournal::open_file(std::int64_t now_ms) {
  const std::int64_t opened = std::max(now_ms, last_file_ms_ + 1);
  const auto path = file_name(folder_, opened);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) fail("cannot create", path);
  std::string head = "B " + boot_id_ + "\n";
  if (refuse_through_s_ != kNothingRefused) head += "R " + std::to_string(refuse_through_s_) + "\n";
  head += "S " + std::to_string(now_ms) + "\n";
  write_line(fd, head);
  if (::fdatasync(fd) != 0) fail("cannot sync", path);
  const int dir = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);  // the new name survives a crash too
    ::close(dir);
  }
  std::unique_lock lock(fd_mutex_);
  const int old = fd_;
  fd_ = fd;
  opened_ms_ = opened;
  last_file_ms_ = opened;
  if (old >= 0) {
    write_line(old, "S " + std::to_string(now_ms) + "\nC\n");
    ::fdatasync(old);
    ::close(old);
  }
}

void NonceJournal::append(std::string_view client_id, std::string_view nonce,
                          std::int64_t expires_at_ms) {
  char line[2 + 20 + 1 + 64 + 1 + 64 + 1];
  char* at = line;
  *at++ = 'N';
  *at++ = ' ';
  at = std::to_chars(at, line + sizeof line, expires_at_ms).ptr;
  const auto put = [&](std::string_view text) {
    if (at + 1 + text.size() + 1 > line + sizeof line)
      throw std::runtime_error("nonce journal: record too long");
    *at++ = ' ';
    at = std::copy(text.begin(), text.end(), at);
  };
  put(client_id);
  put(nonce);
  *at++ = '\n';
  std::shared_lock lock(fd_mutex_);
  if (fd_ < 0) throw std::runtime_error("nonce journal: closed");
  write_line(fd_, std::string_view(line, static_cast<std::size_t>(at - line)));
}

void NonceJournal::sync() {
  const auto now = clock_.now_ms();
  bool rotate = false;
  {
    std::shared_lock lock(fd_mutex_);
    if (fd_ < 0) return;
    if (::fdatasync(fd_) != 0) fail("cannot sync", folder_);
    write_line(fd_, "S " + std::to_string(now) + "\n");
    rotate = now - opened_ms_ >= limits::kNonceJournalRotateMs;
  }
  if (!rotate) return;
  open_file(now);
  remove_expired(now);
}

void NonceJournal::remove_expired(std::int64_t now_ms) {
  for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
    const auto opened = opened_ms_of(entry.path());
    if (opened && *opened != opened_ms_ && *opened + kFileLifeMs < now_ms) {
      std::error_code ignored;
      std::filesystem::remove(entry.path(), ignored);
    }
  }
}

void NonceJournal::start() {
  syncer_.start("nonce_journal_sync_failed", std::chrono::milliseconds(limits::kNonceJournalSyncMs),
                false, [this] { sync(); });
}

void NonceJournal::close() {
  syncer_.stop();
  std::unique_lock lock(fd_mutex_);
  if (fd_ >= 0) {
    write_line(fd_, "S " + std::to_string(clock_.now_ms()) + "\nC\n");
    ::fdatasync(fd_);
    ::close(fd_);
    fd_ = -1;
  }
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);
    lock_fd_ = -1;
  }
}

void NonceJournal::abandon() {
  syncer_.stop();
  std::unique_lock lock(fd_mutex_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
}

}  // namespace essc::store
