// The append-only journal of claimed request nonces (R-S2) that lets NonceStore survive
// a restart: without it, a request answered by one process could be replayed to the
// next (docs/architecture.md "Nonces across restarts").
//
// Files: `<folder>/journal-<opened ms>.log`, mode 0600, one line per record:
//   B <boot id>                 first line: the boot of the machine that wrote the file
//   R <seconds>                 refuse timestamps at or before this (carried forward)
//   N <expires ms> <client> <nonce>   a claimed nonce, written before the request is answered
//   S <ms>                      every N written before this time is on disk (fdatasync)
//   C                           closed cleanly: nothing written is missing
// Each N is one write(2) on an O_APPEND descriptor, so it survives a crash of the
// process (the kernel has it) with no fsync per request. A background thread calls
// sync() about once a second: fdatasync, then an S line. If the machine itself went
// down (another boot id, no C), what was written after the last S may be lost, so the
// next process refuses timestamps up to that S + the signature window + the sync
// interval and a second of rounding: the only requests it cannot prove it never saw.
// That bound is written as R into the new file, so a clean restart soon after keeps it.
//
// Files rotate every limits::kNonceJournalRotateMs and are removed once every nonce in
// them has expired: a few files of at most some minutes of signed requests each.
//
// Thread safety: append() from any thread, concurrently with sync(); the constructor,
// close() and abandon() from the owner.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/periodic_task.hpp"

namespace essc::store {

// A nonce as the journal read it: the views last only for the call that is given it.
struct JournalledNonce {
  std::int64_t expires_at_ms = 0;
  std::string_view client_id;
  std::string_view nonce;
};
using JournalledNonceSink = std::function<void(const JournalledNonce&)>;

// The content of /proc/sys/kernel/random/boot_id; empty where there is none (then every
// unclean end counts as a crash of the machine).
std::string read_boot_id();

class NonceJournal {
 public:
  static constexpr std::int64_t kNothingRefused = std::numeric_limits<std::int64_t>::min();

  // Reads the journal files in `folder` (created 0700 if missing), giving each nonce not
  // yet expired to `unexpired` as it is read, removes the expired files, and opens a new
  // one. Throws std::runtime_error naming the file on I/O errors and when another process
  // holds the folder.
  NonceJournal(std::filesystem::path folder, const Clock& clock, std::string boot_id,
               const JournalledNonceSink& unexpired);
  ~NonceJournal();
  NonceJournal(const NonceJournal&) = delete;
  NonceJournal& operator=(const NonceJournal&) = delete;

  // What the files held: the latest timestamp (seconds) that must be refused
  // (kNothingRefused when none). `found_journal`: false when there was no folder: a data
  // folder an earlier essc made and served, whose nonces no journal holds (`essc init`
  // makes the folder, so a new data folder has one).
  std::int64_t refuse_through_s() const { return refuse_through_s_; }
  bool found_journal() const { return found_journal_; }

  // One record of a claimed nonce. Throws std::runtime_error when the write fails: the
  // request must not be answered as if its nonce were remembered.
  void append(std::string_view client_id, std::string_view nonce, std::int64_t expires_at_ms);

  // fdatasync and an S line; rotates and removes old files when due.
  void sync();
  // Starts the thread that calls sync() every limits::kNonceJournalSyncMs.
  void start();
  // Clean end: stops the thread, writes S and C, syncs and closes. Idempotent.
  void close();
  // As a killed process would end: no C, no final sync (tests).
  void abandon();

 private:
  void load(std::int64_t now_ms, const JournalledNonceSink& unexpired);
  void open_file(std::int64_t now_ms);
  void write_line(int fd, std::string_view line) const;
  void remove_expired(std::int64_t now_ms);

  const std::filesystem::path folder_;
  const Clock& clock_;
  const std::string boot_id_;
  int lock_fd_ = -1;
  std::int64_t refuse_through_s_ = kNothingRefused;
  bool found_journal_ = false;

  std::shared_mutex fd_mutex_;  // shared: append and sync; exclusive: rotation and close
  int fd_ = -1;
  std::int64_t opened_ms_ = 0;
  std::int64_t last_file_ms_ = 0;  // file names are unique and increasing

  PeriodicTask syncer_;
};

}  // namespace essc::store
